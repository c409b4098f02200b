"""How many PostgreSQL connections a deployment holds at most: deploy/README.md's formula ("Connections"), from
the pool settings the processes will read, so that an operator, and a test, can check it against the server's
`max_connections`.

Each process holds at most its pool (POOL_SIZE + MAX_OVERFLOW) and the connections it opens itself; one that
creates its tables at start (POSTGRES_CREATE_TABLES=y) one more while it does, the schema-creation lock's, beside
a pool that may have grown to its largest by then (psycopg_pool adds a connection for whoever waits on one).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from shared.eventstore.settings import creates_tables, postgres_env

# Beside its pool, while it runs: the active relay holds its leadership lock and its LISTEN (postgres.py).
DIRECT = {"relay": 2}
# A relay standing by (another holds the lock) has opened only the connection it asks for the lock on.
STANDBY_RELAY = 1
# What PostgreSQL keeps back for superusers (superuser_reserved_connections' default); from version 16,
# reserved_connections (default 0) comes off too.
SUPERUSER_RESERVED = 3


@dataclass(frozen=True)
class Instances:
    """How many processes of each kind one service runs. `cli`: one-shot commands that open the store at the same
    time as the rest (`pathway database setup`, an operator's tools)."""

    serve: int = 1
    relay: int = 1  # one active, the rest standing by
    consume: int = 1  # one active (a single active consumer per queue), the rest hot standbys with their pools
    inbox: int = 1
    cli: int = 0


def process_connections(service: str, process: str, environ: Mapping[str, str]) -> int:
    """The most connections one process of this kind holds: its pool at its largest, its own ones, and the
    schema-creation lock's if it creates its tables at start."""
    env = postgres_env(service, environ, process)
    pool = int(env["POSTGRES_POOL_SIZE"]) + int(env["POSTGRES_MAX_OVERFLOW"])
    return pool + DIRECT.get(process, 0) + (1 if creates_tables(env) else 0)


def service_connections(service: str, instances: Instances, environ: Mapping[str, str]) -> int:
    """The most connections all of one service's processes hold together."""
    total = sum(
        count * process_connections(service, process, environ)
        for process, count in (
            ("serve", instances.serve),
            ("consume", instances.consume),
            ("inbox", instances.inbox),
            ("cli", instances.cli),
        )
    )
    if instances.relay:
        total += process_connections(service, "relay", environ) + (instances.relay - 1) * STANDBY_RELAY
    return total


def deployment_connections(services: Iterable[str], instances: Instances, environ: Mapping[str, str]) -> int:
    """The most connections a deployment holds: every service running `instances`, sharing one PostgreSQL."""
    return sum(service_connections(service, instances, environ) for service in services)


def available(max_connections: int = 100, reserved: int = SUPERUSER_RESERVED) -> int:
    """The connections PostgreSQL lets non-superusers open (a default server: 100 - 3)."""
    return max_connections - reserved
