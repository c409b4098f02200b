"""The distributed mode's plain (non-nameko) processes: a service's relay, its tracked consumer and its
command inbox.

They run without eventlet: eventsourcing's followers and psycopg's waits do
not mix with it (docs/STACK.md, traps 3 and 4), and they scale on their own.

At start each waits for its database while it refuses (not up yet, or out of connection slots), saying so in one
line, for at most PATHWAY_START_TIMEOUT seconds; then it exits non-zero with one line (shared/eventstore/opening.py).
Once started, outages are ridden out however long they last.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
from collections.abc import Callable, Mapping
from typing import TypeVar

import amqp
import kombu.exceptions
import psycopg
from eventsourcing.persistence import PersistenceError

from pathway.services import SERVICES
from shared.auth.agencies import AgencyPermissions
from shared.backoff import Backoff
from shared.eventstore.application import PathwayApplication
from shared.eventstore.opening import StoreUnreachable, answers, open_store, reason, start_timeout, when_reachable
from shared.eventstore.postgres import ChangeListener, Leadership
from shared.eventstore.settings import postgres_env
from shared.messaging.amqp import AmqpConsumerLoop, AmqpPublisher, PublishNotConfirmed, declare_topology
from shared.messaging.broker_settings import broker_connection
from shared.messaging.command_inbox import AmqpCommandInbox, CommandInbox
from shared.messaging.consumer import TrackedConsumer
from shared.messaging.publishers import Publishers, service_amqp_uri
from shared.messaging.relay import Relay

log = logging.getLogger(__name__)

T = TypeVar("T")


class LostLeadership(RuntimeError):
    """The relay's advisory lock went with its database connection: another relay may lead now."""


# What a broker or a database going away looks like from here. Retried; anything else is a bug,
# and the process exits non-zero rather than live on without working (a supervisor restarts it).
OUTAGES: tuple[type[BaseException], ...] = (
    OSError,
    psycopg.Error,
    PersistenceError,
    amqp.exceptions.AMQPError,
    kombu.exceptions.OperationalError,
    PublishNotConfirmed,
    LostLeadership,
)


def amqp_uri(service: str, environ: Mapping[str, str] | None = None) -> str:
    """The service's own broker user connects its processes: INTAKE_AMQP_URI for intake's, else AMQP_URI."""
    return service_amqp_uri(service, os.environ if environ is None else environ)


def build_postgres(service: str, environ: Mapping[str, str] | None = None, process: str = "cli") -> PathwayApplication:
    """The service's store as this kind of process opens it (its pool, its application_name)."""
    return SERVICES[service].build(postgres_env(service, environ, process))


def at_start(what: str, env: Mapping[str, str], attempt: Callable[[], T], stop: threading.Event) -> T | None:
    """`attempt()`'s result once the database lets it through (None if stopped first). After
    PATHWAY_START_TIMEOUT seconds of refusals: where and why in one line, and exit 1."""
    try:
        return when_reachable(what, env, attempt, start_timeout(), stop)
    except StoreUnreachable as error:
        log.error("%s; exiting", error)
        raise SystemExit(1) from None  # said once, above; a supervisor restarts us


def open_at_start(
    service: str, process: str, stop: threading.Event, environ: Mapping[str, str] | None
) -> PathwayApplication | None:
    """This process's store, once the database lets it in (None if stopped first)."""
    env = postgres_env(service, environ, process)
    return at_start(f"{process} {service}", env, lambda: open_store(env, SERVICES[service].build), stop)


def stop_on_signals() -> threading.Event:
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    return stop


def full_topology() -> dict[str, tuple[list[str], list[str]]]:
    """Every consuming service's bindings and upstreams, from the services' own policies."""
    topology = {}
    for name, parts in SERVICES.items():
        consumer = TrackedConsumer(parts.build({"PERSISTENCE_MODULE": "eventsourcing.popo"}))
        topology[name] = (consumer.bindings(), consumer.upstreams())
    return topology


def run_relay(service: str, stop: threading.Event, environ: Mapping[str, str] | None = None) -> None:
    """Follow the service's store and publish to RabbitMQ; one active relay per service.

    A lost broker or database connection is retried after a growing pause rather
    than ending the process: the relay simply starts again from its recorded
    position. Anything else propagates, and the process exits non-zero.
    """
    env = postgres_env(service, environ, "relay")
    if not at_start(f"relay {service}", env, lambda: answers(env), stop):
        return
    backoff = Backoff(stop)
    while not stop.is_set():
        try:
            _relay_while_leading(service, env, stop, environ, on_publishing=backoff.reset)
        except OUTAGES as error:  # start over from the recorded position
            why = f"{type(error).__name__}: {reason(error)}"
            log.warning("relay %s: stopped (%s); retrying in %.0fs", service, why, backoff.next)
            backoff.pause()
        except Exception:
            log.exception("relay %s: failed; exiting", service)
            raise SystemExit(1) from None  # said once, above; a supervisor restarts us


def _relay_while_leading(
    service: str,
    env: Mapping[str, str],
    stop: threading.Event,
    environ: Mapping[str, str] | None,
    on_publishing: Callable[[], None],
) -> None:
    leadership = Leadership(env, f"pathway-relay-{service}")
    try:
        if not leadership.acquire(stop):
            return
        app = SERVICES[service].build(env)
        uri = amqp_uri(service, environ)
        with broker_connection(uri) as connection:
            declare_topology(connection, full_topology())  # every consumer's queue exists before we publish
        publisher = AmqpPublisher(uri)
        listener = ChangeListener(env, app.recorder.events_table_name)  # type: ignore[attr-defined]
        relay = Relay(app, SERVICES[service].translate, publisher, watermarks=True)
        log.info("relay %s: publishing from notification %d", service, relay.position())
        on_publishing()
        try:
            while not stop.is_set():
                if not leadership.still_held():
                    raise LostLeadership(f"relay {service}: lost its leadership lock")
                if relay.pump() == 0:
                    publisher.keep_alive()  # its heartbeats, while there is nothing to publish
                    listener.wait(timeout=1.0)
        finally:
            listener.close()
            publisher.close()
            app.close()
    finally:
        leadership.release()


def run_consumer(service: str, stop: threading.Event, environ: Mapping[str, str] | None = None) -> None:
    """Apply other services' events to this service's store, exactly once each.

    The loop rides out broker and database outages itself; what escapes it is a
    bug, and ends the process non-zero.
    """
    app = open_at_start(service, "consume", stop, environ)
    if app is None:
        return
    try:
        publishers = Publishers.from_environ(os.environ if environ is None else environ)
        consumer = TrackedConsumer(app, publishers=publishers)
        AmqpConsumerLoop(amqp_uri(service, environ), consumer, stop).run()
    except Exception:
        log.exception("consume %s: failed; exiting", service)
        raise SystemExit(1) from None  # said once, above; a supervisor restarts us
    finally:
        app.close()


def run_inbox(service: str, stop: threading.Event, environ: Mapping[str, str] | None = None) -> None:
    """Apply agencies' commands from the service's AMQP command queue, in order, each acked once committed.

    Outages are ridden out as in `run_consumer`; what escapes the loop ends the process non-zero.
    """
    app = open_at_start(service, "inbox", stop, environ)
    if app is None:
        return
    try:
        inbox = CommandInbox(app, AgencyPermissions.from_environ(os.environ if environ is None else environ))
        AmqpCommandInbox(amqp_uri(service, environ), inbox, stop, services=sorted(SERVICES)).run()
    except Exception:
        log.exception("inbox %s: failed; exiting", service)
        raise SystemExit(1) from None  # said once, above; a supervisor restarts us
    finally:
        app.close()
