"""Where each service keeps its events: SQLite files (embedded) or PostgreSQL (distributed).

eventsourcing reads its settings from an env mapping; we build that mapping
explicitly per application instead of mutating os.environ, so three
applications with three stores can live in one process.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

# Multi-row tracking: processed notification ids are recorded one by one and
# checked by membership, so redeliveries out of order and late dead-letter
# replays are neither dropped nor refused (docs/STACK.md, trap 10).
_COMMON = {"SINGLE_ROW_TRACKING": "f"}


def sqlite_env(service: str, data_dir: Path) -> dict[str, str]:
    """One SQLite file per service: applications sharing a file would share a table."""
    return {
        **_COMMON,
        "PERSISTENCE_MODULE": "eventsourcing.sqlite",
        "SQLITE_DBNAME": str(data_dir / f"{service}.sqlite"),
        "SQLITE_LOCK_TIMEOUT": "30",
    }


def postgres_env(service: str, environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """PostgreSQL settings for one service, from `<SERVICE>_POSTGRES_*` then `POSTGRES_*`.

    Each service defaults to its own database, named after it. eventsourcing's
    default insert path is kept: POSTGRES_ENABLE_DB_FUNCTIONS would let a
    reader tailing the log skip late commits (docs/STACK.md, trap 5).
    """
    environ = os.environ if environ is None else environ
    prefix = service.upper() + "_"

    def setting(name: str, default: str) -> str:
        return environ.get(prefix + name) or environ.get(name) or default

    return {
        **_COMMON,
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": environ.get(prefix + "POSTGRES_DBNAME") or service,
        "POSTGRES_HOST": setting("POSTGRES_HOST", "127.0.0.1"),
        "POSTGRES_PORT": setting("POSTGRES_PORT", "5432"),
        "POSTGRES_USER": setting("POSTGRES_USER", "postgres"),
        "POSTGRES_PASSWORD": setting("POSTGRES_PASSWORD", ""),
        "POSTGRES_POOL_SIZE": setting("POSTGRES_POOL_SIZE", "2"),
        "POSTGRES_MAX_OVERFLOW": setting("POSTGRES_MAX_OVERFLOW", "8"),
    }
