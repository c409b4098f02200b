"""Opening a service's store at start while PostgreSQL may still refuse: not up yet, starting up, or out of
connection slots ("too many clients already").

Each refusal is logged as one line (the database, and PostgreSQL's reason) and tried again after a growing pause,
for at most PATHWAY_START_TIMEOUT seconds (default 120). Then StoreUnreachable, whose message is the one line a
process exits non-zero with, for a supervisor to restart it: never a traceback.
"""

from __future__ import annotations

import logging
import os
import re
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import psycopg
from eventsourcing.application import Application
from eventsourcing.persistence import PersistenceError

from shared.backoff import Backoff
from shared.eventstore.postgres import connect
from shared.eventstore.reading import reachable

log = logging.getLogger(__name__)
T = TypeVar("T")
App = TypeVar("App", bound=Application[Any])

START_TIMEOUT_VARIABLE = "PATHWAY_START_TIMEOUT"
DEFAULT_START_TIMEOUT = 120.0
# What a database that does not (yet) let us in raises, from psycopg directly or through eventsourcing's pool.
REFUSALS: tuple[type[BaseException], ...] = (psycopg.Error, PersistenceError)
# A reason is shown whole up to here: PostgreSQL's are a line or two.
LONGEST_REASON = 300
# How libpq begins a refusal: `connection failed: connection to server at "HOST", port N failed: ` and the reason.
_SERVER_NAMED = re.compile(r'^connection failed: connection to server at "[^"]*"(?: \([^)]*\))?, port \d+ failed: ')


class StoreUnreachable(RuntimeError):
    """The store did not let this process in within its start timeout; the message says where and why."""


def start_timeout(environ: Mapping[str, str] | None = None) -> float:
    """PATHWAY_START_TIMEOUT: the seconds a process waits for its database at start (a bad value: the default)."""
    value = (os.environ if environ is None else environ).get(START_TIMEOUT_VARIABLE, "")
    try:
        seconds = float(value)
    except ValueError:
        return DEFAULT_START_TIMEOUT
    return seconds if seconds > 0 else DEFAULT_START_TIMEOUT


def where(env: Mapping[str, str]) -> str:
    """The database a process connects to, for a log line: never its password."""
    return f"database {env['POSTGRES_DBNAME']} on {env['POSTGRES_HOST']}:{env['POSTGRES_PORT']}"


def reason(error: BaseException) -> str:
    """An error as one line of a log: whitespace folded, anything that looks like a password hidden, capped."""
    text = " ".join(str(error).split()) or type(error).__name__
    text = _SERVER_NAMED.sub("", text)  # the log line names the database and its server already
    text = re.sub(r"(?i)(password\s*=\s*)\S+", r"\1***", text)
    text = re.sub(r"(://[^/:@\s]*:)[^@\s]*@", r"\1***@", text)
    return text if len(text) <= LONGEST_REASON else text[: LONGEST_REASON - 3] + "..."


def answers(env: Mapping[str, str]) -> bool:
    """True once the database lets a connection in (closed again at once); its refusal otherwise."""
    connect(env).close()
    return True


def open_store(env: Mapping[str, str], build: Callable[[Mapping[str, str]], App]) -> App:
    """The store built from `env` and answering: asked first on a connection of its own, whose refusal says why
    (the pool's own says only that it waited), then through its pool, which may open lazily."""
    answers(env)
    app = build(env)
    try:
        reachable(app)
    except BaseException:
        app.close()
        raise
    return app


def when_reachable(
    what: str,
    env: Mapping[str, str],
    attempt: Callable[[], T],
    timeout: float,
    stop: threading.Event | None = None,
) -> T | None:
    """`attempt()`'s result once the database lets it through; None if `stop` is set first.

    `what` names the process in the log lines ("consume intake"); each refusal is one warning, and after
    `timeout` seconds StoreUnreachable says where and the last reason.
    """
    stop = stop or threading.Event()
    deadline = time.monotonic() + timeout
    backoff = Backoff(stop)
    while not stop.is_set():
        try:
            return attempt()
        except REFUSALS as error:
            why = reason(error)
            left = deadline - time.monotonic()
            if left <= 0:
                raise StoreUnreachable(f"{what}: {where(env)} did not let us in within {timeout:.0f}s: {why}") from None
            pause = min(backoff.next, left)
            log.warning("%s: %s refused (%s); trying again in %.0fs", what, where(env), why, pause)
            backoff.pause(at_most=left)
    return None


def opened_for_serving(service: str, env: Mapping[str, str], build: Callable[[Mapping[str, str]], App]) -> App:
    """A `serve` process's store, waited for as long as PATHWAY_START_TIMEOUT allows (StoreUnreachable then).

    Under eventlet the pauses are green (the standard library is patched), so the process still answers its
    signals while it waits.
    """
    what = f"serve {service}"
    app = when_reachable(what, env, lambda: open_store(env, build), start_timeout())
    if app is None:  # nothing sets this wait's stop: only for the type checker
        raise StoreUnreachable(f"{what}: stopped while waiting for {where(env)}")
    log.info("%s: %s answers", what, where(env))
    return app
