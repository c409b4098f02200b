"""Where each service keeps its events: SQLite files (embedded) or PostgreSQL (distributed).

eventsourcing reads its settings from an env mapping; we build that mapping
explicitly per application instead of mutating os.environ, so three
applications with three stores can live in one process.

PostgreSQL settings, each `<SERVICE>_POSTGRES_*` first, then `POSTGRES_*`:

- `HOST`, `PORT`, `USER`, `PASSWORD`; the database is `<SERVICE>_POSTGRES_DBNAME` only (default: the
  service's name), one database per service.
- `POOL_SIZE` (connections kept open) and `MAX_OVERFLOW` (more, opened under load and closed when idle): per
  kind of process first (`POSTGRES_SERVE_POOL_SIZE`, `INTAKE_POSTGRES_RELAY_MAX_OVERFLOW`, ...), then for every
  kind; unset, the kind's default in `POOLS`, sized so that all of every service's processes fit a default
  PostgreSQL (deploy/README.md, "Connections"). `POOL_TIMEOUT` (default 30): the seconds a process waits for
  a pooled connection when all are in use, before the request fails.
- TLS, as libpq names it: `SSLMODE` (`verify-full` checks the server's certificate and host name; `require`
  encrypts without checking who answers), `SSLROOTCERT` (the CA file the server's certificate must chain to),
  `SSLCERT` and `SSLKEY` (a client certificate, for servers that ask for one), `SSLCRL`. Unset, libpq's own
  defaults apply, including its `PGSSLMODE`-style environment variables.
- `CREATE_TABLES` (default `y`): whether the process creates its tables at start. Set `n` for a runtime
  role that owns nothing (`pathway database setup` creates them as the owner role): even `CREATE TABLE IF
  NOT EXISTS` needs the right to create in the schema.

Both stores: `<SERVICE>_SNAPSHOT_INTERVAL` then `SNAPSHOT_INTERVAL`, every how many events of an aggregate a
snapshot is taken (0 or `off`: none; unset: shared/eventstore/snapshots.py's default). PostgreSQL reads it
from the environment; the embedded SQLite stores keep the default.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import NamedTuple

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
# One attempt to connect gives up after this long (libpq's connect_timeout; unset, a host that drops packets
# holds a process for minutes); the attempts go on, with pauses, as long as the process waits.
CONNECT_TIMEOUT_SECONDS = "10"
SSL_MODES = ("disable", "allow", "prefer", "require", "verify-ca", "verify-full")
# eventsourcing's own switch for creating tables (it reads CREATE_TABLE); ours follow it too.
CREATE_TABLE = "CREATE_TABLE"
SNAPSHOT_INTERVAL = "SNAPSHOT_INTERVAL"
# Who connects, as pg_stat_activity shows it: the service and the kind of process.
APPLICATION_NAME = "POSTGRES_APPLICATION_NAME"
_NO = ("n", "no", "f", "false", "off", "0")


class Pool(NamedTuple):
    size: int  # kept open, at rest too
    overflow: int  # opened when all are busy, closed again once idle


# Each kind of process's pool, unless its settings say otherwise. Every request, message or command holds one
# connection for one statement or transaction at a time (none takes a second while holding one), so:
POOLS: dict[str, Pool] = {
    # eventlet runs up to PATHWAY_MAX_WORKERS (10) requests at once; their queries are short, and the store
    # serialises inserts anyway, so five connections keep them moving and the rest wait their turn briefly.
    "serve": Pool(2, 3),
    # Single-threaded loops: one connection at a time; the overflow one is slack, opened only if ever needed.
    "relay": Pool(1, 1),
    "consume": Pool(1, 1),
    "inbox": Pool(1, 1),
    # The command line: `pathway database setup` and the tools that open a store.
    "cli": Pool(1, 1),
}
# How long a process waits for a pooled connection when all are in use (eventsourcing's POSTGRES_CONNECT_TIMEOUT
# is that wait, not libpq's connect timeout): long enough to ride out a burst, short enough to answer.
POOL_TIMEOUT_SECONDS = "30"


def sqlite_env(service: str, data_dir: Path) -> dict[str, str]:
    """One SQLite file per service: applications sharing a file would share a table."""
    return {
        **_COMMON,
        "PERSISTENCE_MODULE": "eventsourcing.sqlite",
        "SQLITE_DBNAME": str(data_dir / f"{service}.sqlite"),
        "SQLITE_LOCK_TIMEOUT": "30",
    }


def postgres_env(service: str, environ: Mapping[str, str] | None = None, process: str = "cli") -> dict[str, str]:
    """PostgreSQL settings for one kind of process of one service (`process`: a key of POOLS), from
    `<SERVICE>_POSTGRES_*` then `POSTGRES_*` (module docstring).

    Each service defaults to its own database, named after it. Its connections are named
    `pathway-<service>-<process>` (PostgreSQL's application_name), so that an operator can tell in
    pg_stat_activity who holds them. eventsourcing's default insert path is kept: POSTGRES_ENABLE_DB_FUNCTIONS
    would let a reader tailing the log skip late commits (docs/STACK.md, trap 5).
    """
    if process not in POOLS:
        raise ValueError(f"{process!r} is not a kind of process: {sorted(POOLS)}")
    environ = os.environ if environ is None else environ
    prefix = service.upper() + "_"

    def setting(name: str, default: str) -> str:
        return environ.get(prefix + name) or environ.get(name) or default

    def pool_setting(name: str, default: int) -> str:
        per_kind = name.replace("POSTGRES_", f"POSTGRES_{process.upper()}_", 1)
        return environ.get(prefix + per_kind) or environ.get(per_kind) or setting(name, str(default))

    pool = POOLS[process]

    env = {
        **_COMMON,
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": environ.get(prefix + "POSTGRES_DBNAME") or service,
        "POSTGRES_HOST": setting("POSTGRES_HOST", "127.0.0.1"),
        "POSTGRES_PORT": setting("POSTGRES_PORT", "5432"),
        "POSTGRES_USER": setting("POSTGRES_USER", "postgres"),
        "POSTGRES_PASSWORD": setting("POSTGRES_PASSWORD", ""),
        "POSTGRES_POOL_SIZE": pool_setting("POSTGRES_POOL_SIZE", pool.size),
        "POSTGRES_MAX_OVERFLOW": pool_setting("POSTGRES_MAX_OVERFLOW", pool.overflow),
        "POSTGRES_CONNECT_TIMEOUT": setting("POSTGRES_POOL_TIMEOUT", POOL_TIMEOUT_SECONDS),
        APPLICATION_NAME: f"pathway-{service}-{process}",
        CREATE_TABLE: setting("POSTGRES_CREATE_TABLES", "y"),
    }
    for name in TLS_PARAMETERS:
        value = setting(name, "")
        if value:
            env[name] = value
    if interval := setting(SNAPSHOT_INTERVAL, ""):
        env[SNAPSHOT_INTERVAL] = interval
    mode = env.get("POSTGRES_SSLMODE")
    if mode is not None and mode not in SSL_MODES:
        raise ValueError(f"{prefix}POSTGRES_SSLMODE or POSTGRES_SSLMODE: {mode[:20]!r} is not one of {SSL_MODES}")
    return env


def tls_connect_options(env: Mapping[str, str]) -> dict[str, str]:
    """The libpq TLS parameters in a service's settings (from `postgres_env`), for psycopg's connect."""
    return {parameter: value for name, parameter in TLS_PARAMETERS.items() if (value := env.get(name))}


def connect_options(env: Mapping[str, str]) -> dict[str, str]:
    """Every libpq parameter beyond eventsourcing's own (host, port, database, credentials): TLS, the
    connection's application_name, and a bounded wait for one attempt to connect."""
    options = {**tls_connect_options(env), "connect_timeout": CONNECT_TIMEOUT_SECONDS}
    if env.get(APPLICATION_NAME):
        options["application_name"] = env[APPLICATION_NAME]
    return options


def creates_tables(env: Mapping[str, str]) -> bool:
    """Whether this process creates its store's tables (no, for a runtime role that owns none of them)."""
    return str(env.get(CREATE_TABLE) or "y").strip().lower() not in _NO
