"""Where each service keeps its events: SQLite files (embedded) or PostgreSQL (distributed).

eventsourcing reads its settings from an env mapping; we build that mapping
explicitly per application instead of mutating os.environ, so three
applications with three stores can live in one process.

PostgreSQL settings, each `<SERVICE>_POSTGRES_*` first, then `POSTGRES_*`:

- `HOST`, `PORT`, `USER`, `PASSWORD`, `POOL_SIZE`, `MAX_OVERFLOW`; the database is `<SERVICE>_POSTGRES_DBNAME`
  only (default: the service's name), one database per service.
- TLS, as libpq names it: `SSLMODE` (`verify-full` checks the server's certificate and host name; `require`
  encrypts without checking who answers), `SSLROOTCERT` (the CA file the server's certificate must chain to),
  `SSLCERT` and `SSLKEY` (a client certificate, for servers that ask for one), `SSLCRL`. Unset, libpq's own
  defaults apply, including its `PGSSLMODE`-style environment variables.
- `CREATE_TABLES` (default `y`): whether the process creates its tables at start. Set `n` for a runtime
  role that owns nothing (`pathway database setup` creates them as the owner role): even `CREATE TABLE IF
  NOT EXISTS` needs the right to create in the schema.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

# Multi-row tracking: processed notification ids are recorded one by one and
# checked by membership, so redeliveries out of order and late dead-letter
# replays are neither dropped nor refused (docs/STACK.md, trap 10).
_COMMON = {"SINGLE_ROW_TRACKING": "f"}

# Our setting -> the libpq connection parameter it becomes.
TLS_PARAMETERS = {
    "POSTGRES_SSLMODE": "sslmode",
    "POSTGRES_SSLROOTCERT": "sslrootcert",
    "POSTGRES_SSLCERT": "sslcert",
    "POSTGRES_SSLKEY": "sslkey",
    "POSTGRES_SSLCRL": "sslcrl",
}
SSL_MODES = ("disable", "allow", "prefer", "require", "verify-ca", "verify-full")
# eventsourcing's own switch for creating tables (it reads CREATE_TABLE); ours follow it too.
CREATE_TABLE = "CREATE_TABLE"
_NO = ("n", "no", "f", "false", "off", "0")


def sqlite_env(service: str, data_dir: Path) -> dict[str, str]:
    """One SQLite file per service: applications sharing a file would share a table."""
    return {
        **_COMMON,
        "PERSISTENCE_MODULE": "eventsourcing.sqlite",
        "SQLITE_DBNAME": str(data_dir / f"{service}.sqlite"),
        "SQLITE_LOCK_TIMEOUT": "30",
    }


def postgres_env(service: str, environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """PostgreSQL settings for one service, from `<SERVICE>_POSTGRES_*` then `POSTGRES_*` (module docstring).

    Each service defaults to its own database, named after it. eventsourcing's
    default insert path is kept: POSTGRES_ENABLE_DB_FUNCTIONS would let a
    reader tailing the log skip late commits (docs/STACK.md, trap 5).
    """
    environ = os.environ if environ is None else environ
    prefix = service.upper() + "_"

    def setting(name: str, default: str) -> str:
        return environ.get(prefix + name) or environ.get(name) or default

    env = {
        **_COMMON,
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": environ.get(prefix + "POSTGRES_DBNAME") or service,
        "POSTGRES_HOST": setting("POSTGRES_HOST", "127.0.0.1"),
        "POSTGRES_PORT": setting("POSTGRES_PORT", "5432"),
        "POSTGRES_USER": setting("POSTGRES_USER", "postgres"),
        "POSTGRES_PASSWORD": setting("POSTGRES_PASSWORD", ""),
        "POSTGRES_POOL_SIZE": setting("POSTGRES_POOL_SIZE", "2"),
        "POSTGRES_MAX_OVERFLOW": setting("POSTGRES_MAX_OVERFLOW", "8"),
        CREATE_TABLE: setting("POSTGRES_CREATE_TABLES", "y"),
    }
    for name in TLS_PARAMETERS:
        value = setting(name, "")
        if value:
            env[name] = value
    mode = env.get("POSTGRES_SSLMODE")
    if mode is not None and mode not in SSL_MODES:
        raise ValueError(f"{prefix}POSTGRES_SSLMODE or POSTGRES_SSLMODE: {mode[:20]!r} is not one of {SSL_MODES}")
    return env


def tls_connect_options(env: Mapping[str, str]) -> dict[str, str]:
    """The libpq TLS parameters in a service's settings (from `postgres_env`), for psycopg's connect."""
    return {parameter: value for name, parameter in TLS_PARAMETERS.items() if (value := env.get(name))}


def creates_tables(env: Mapping[str, str]) -> bool:
    """Whether this process creates its store's tables (no, for a runtime role that owns none of them)."""
    return str(env.get(CREATE_TABLE) or "y").strip().lower() not in _NO
