"""Fixtures shared by every test layer."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pathway.embedded import EmbeddedSystem
from tests.identity.provider import identity_provider  # noqa: F401 - a session fixture for every test
from tests.stores import STORES, PostgresStores


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "system" in metafunc.fixturenames and metafunc.definition.get_closest_marker("both_stores"):
        metafunc.parametrize("system", STORES, indirect=True)


@pytest.fixture(scope="session")
def postgres_stores() -> Iterator[PostgresStores]:
    stores = PostgresStores()
    stores.create()
    try:
        yield stores
    finally:
        stores.drop()


@pytest.fixture
def system(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[EmbeddedSystem]:
    """The three services in one process, on SQLite stores in a fresh folder; or, in modules marked
    `tests.stores.BOTH_STORES`, on each of SQLite and (emptied) PostgreSQL databases in turn."""
    store_env = None
    if getattr(request, "param", "sqlite") == "postgres":
        stores: PostgresStores = request.getfixturevalue("postgres_stores")
        stores.empty()
        store_env = stores.env
    with EmbeddedSystem(tmp_path / "data", store_env=store_env) as embedded:
        yield embedded
