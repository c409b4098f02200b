"""A service's processes start together on an empty database: each must find or make its tables.

PostgreSQL's CREATE TABLE IF NOT EXISTS races against itself (the loser fails on the catalogue),
which once failed a CI run. Processes, not threads, so the race is as real as in a deployment.
"""

from __future__ import annotations

import os
import uuid
from concurrent.futures import ProcessPoolExecutor

import psycopg

from shared.eventstore.settings import postgres_env
from tests.integration.cluster import POSTGRES, _create_database, require_servers

PROCESSES = 8
ROUNDS = 4


def _build_release_store(database: str) -> str:
    from services.release.bootstrap import build

    application = build(postgres_env("release", {"RELEASE_POSTGRES_DBNAME": database, "POSTGRES_POOL_SIZE": "1"}))
    application.close()
    return "built"


def test_processes_starting_together_on_an_empty_database_all_start() -> None:
    require_servers()
    databases = [f"pathway_creation_{os.getpid()}_{uuid.uuid4().hex[:8]}" for _ in range(ROUNDS)]
    try:
        with ProcessPoolExecutor(PROCESSES) as pool:
            for database in databases:
                _create_database(database)
                outcomes = list(pool.map(_build_release_store, [database] * PROCESSES))
                assert outcomes == ["built"] * PROCESSES
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **POSTGRES) as db:  # type: ignore[arg-type]
            for database in databases:
                db.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
