"""Fixtures shared by every test layer."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pathway.embedded import EmbeddedSystem


@pytest.fixture
def system(tmp_path: Path) -> Iterator[EmbeddedSystem]:
    """The three services in one process on SQLite stores in a fresh folder."""
    with EmbeddedSystem(tmp_path / "data") as embedded:
        yield embedded
