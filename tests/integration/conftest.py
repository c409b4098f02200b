"""Integration fixtures: a private cluster on the real RabbitMQ and PostgreSQL, per test module."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integration.cluster import Cluster, require_servers

_next_port = iter(range(18001, 19000, 10))


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    require_servers()
    running = Cluster(Path(tmp_path_factory.mktemp("cluster")), next(_next_port))
    running.create()
    try:
        running.start_all()
        yield running
    finally:
        running.destroy()
