"""The stores the embedded tests run on: SQLite files, and PostgreSQL for the modules that ask for both.

A module asks with `pytestmark = BOTH_STORES`; each of its tests using the `system` fixture then
runs twice, once per store, with the same bus (tests/conftest.py). The PostgreSQL databases are
made once per test session and emptied (their schema dropped and made again) before each test.
"""

from __future__ import annotations

import os

import psycopg
import pytest

from shared.eventstore.settings import postgres_env
from tests.integration.cluster import POSTGRES, _create_database, require_servers

BOTH_STORES = pytest.mark.both_stores
STORES = ("sqlite", "postgres")
SERVICES = ("intake", "programmes", "release")


class PostgresStores:
    """One database per service, private to this test session."""

    def __init__(self) -> None:
        self.names = {service: f"pathway_embedded_{os.getpid()}_{service}" for service in SERVICES}

    def create(self) -> None:
        require_servers()
        for name in self.names.values():
            _create_database(name)

    def empty(self) -> None:
        for name in self.names.values():
            with psycopg.connect(dbname=name, autocommit=True, **POSTGRES) as db:  # type: ignore[arg-type]
                db.execute("DROP SCHEMA public CASCADE")
                db.execute("CREATE SCHEMA public")

    def drop(self) -> None:
        with psycopg.connect(dbname="postgres", autocommit=True, **POSTGRES) as db:  # type: ignore[arg-type]
            for name in self.names.values():
                db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def env(self, service: str) -> dict[str, str]:
        settings = {f"{service.upper()}_POSTGRES_DBNAME": self.names[service], "POSTGRES_POOL_SIZE": "1"}
        return postgres_env(service, settings)
