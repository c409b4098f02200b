"""PostgreSQL helpers for the processes that follow a store: one active relay, and wake-ups.

eventsourcing's default insert path locks the events table and NOTIFYs a
channel named after it; a relay LISTENs there to publish promptly without
polling hard, and still polls now and then in case a notification is missed.
"""

from __future__ import annotations

import logging
import threading
import zlib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg import sql

from shared.eventstore.settings import connect_options

log = logging.getLogger(__name__)

# How long a connection opened under load (beyond POOL_SIZE) may sit idle before the pool closes it: psycopg_pool
# keeps it ten minutes, which leaves a burst's connections held long after, counted against other processes.
OVERFLOW_IDLE_SECONDS = 60.0


def connect(env: Mapping[str, str]) -> psycopg.Connection:
    """A connection of a process's own, beside its pool: named, bounded and secured as the pool's are."""
    options: dict[str, Any] = connect_options(env)
    return psycopg.connect(
        host=env["POSTGRES_HOST"],
        port=int(env["POSTGRES_PORT"]),
        dbname=env["POSTGRES_DBNAME"],
        user=env["POSTGRES_USER"],
        password=env.get("POSTGRES_PASSWORD") or None,
        autocommit=True,
        **options,
    )


def with_connection_options(datastore: Any, env: Mapping[str, str]) -> None:
    """Give eventsourcing's connection pool the rest of `env`'s connection settings: TLS (sslmode, sslrootcert,
    ...), the process's application_name and libpq's connect timeout; and let its overflow go once idle.

    eventsourcing passes libpq only the host, port, database and credentials; psycopg_pool reads its
    `kwargs` afresh for every connection it opens, so what is added here holds for all of them. The pool
    is not open yet (it opens on first use), so its idle limit holds from the start.
    """
    datastore.pool.kwargs.update(connect_options(env))
    datastore.pool.max_idle = OVERFLOW_IDLE_SECONDS


@contextmanager
def schema_creation_turn(env: Mapping[str, str]) -> Iterator[None]:
    """Hold the database's schema-creation lock while creating tables.

    A service's processes start together, and PostgreSQL's CREATE TABLE IF NOT
    EXISTS is not safe against itself: two sessions can both find the table
    missing, and the second fails on the catalogue's unique index (seen both as
    a unique violation and as "relation already exists"). Taking turns makes
    creation deterministic; the lock is released when its connection closes.
    """
    with connect(env) as connection:
        connection.execute("SELECT pg_advisory_lock(%s)", (SCHEMA_CREATION_KEY,))
        yield


# One fixed key per database: advisory locks are scoped to the database they are taken in.
SCHEMA_CREATION_KEY = zlib.crc32(b"pathway schema creation")


def relay_leadership(service: str) -> str:
    """The name of the lock the one active relay of a service holds."""
    return f"pathway-relay-{service}"


def lock_held(app: Any, name: str) -> bool:
    """Does some session hold the advisory lock `name` in the app's database (a Leadership's lock)?"""
    key = zlib.crc32(name.encode())
    sql = (
        "SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid::bigint = 0 AND objid::bigint = %s "
        "AND objsubid = 1 AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
    )
    with app.recorder.datastore.transaction(commit=False) as cursor:
        cursor.execute(sql, (key,))
        return cursor.fetchone() is not None


class Leadership:
    """A session-level advisory lock: whoever holds it is the one active relay of a service.

    The lock lives as long as this connection; if the process dies, PostgreSQL
    releases it and a standby takes over.
    """

    def __init__(self, env: Mapping[str, str], name: str) -> None:
        self.env = env
        self.name = name
        self.key = zlib.crc32(name.encode())
        self.connection: psycopg.Connection | None = None

    def acquire(self, stop: threading.Event, poll: float = 1.0) -> bool:
        """Wait until this process leads (True) or `stop` is set (False)."""
        waiting_logged = False
        while not stop.is_set():
            if self.connection is None or self.connection.closed:
                self.connection = connect(self.env)
            row = self.connection.execute("SELECT pg_try_advisory_lock(%s)", (self.key,)).fetchone()
            if row and row[0]:
                log.info("%s: now the active one", self.name)
                return True
            if not waiting_logged:
                log.info("%s: another instance is active; standing by", self.name)
                waiting_logged = True
            stop.wait(poll)
        return False

    def still_held(self) -> bool:
        try:
            return self.connection is not None and self.connection.execute("SELECT 1").fetchone() is not None
        except psycopg.Error:
            return False

    def release(self) -> None:
        if self.connection is not None and not self.connection.closed:
            self.connection.close()


class ChangeListener:
    """Wakes a follower when its store records new events."""

    def __init__(self, env: Mapping[str, str], channel: str) -> None:
        self.connection = connect(env)
        self.connection.execute(sql.SQL("LISTEN {}").format(sql.Identifier(channel)))

    def wait(self, timeout: float) -> None:
        for _ in self.connection.notifies(timeout=timeout, stop_after=1):
            break

    def close(self) -> None:
        self.connection.close()
