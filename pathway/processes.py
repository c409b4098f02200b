"""The distributed mode's plain (non-nameko) processes: a service's relay, its tracked consumer and its
command inbox.

They run without eventlet: eventsourcing's followers and psycopg's waits do
not mix with it (docs/STACK.md, traps 3 and 4), and they scale on their own.
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
from shared.eventstore.application import PathwayApplication
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


class Backoff:
    """Pauses between attempts that double from `first` up to `longest`, so that a long outage is
    not hammered and a short one is not waited out for long; `stop` cuts a pause short."""

    def __init__(self, stop: threading.Event, first: float = 1.0, longest: float = 15.0) -> None:
        self.stop = stop
        self.first = first
        self.longest = longest
        self.next = first

    def pause(self) -> float:
        delay = self.next
        self.next = min(self.next * 2, self.longest)
        self.stop.wait(delay)
        return delay

    def reset(self) -> None:
        self.next = self.first


def when_available(what: str, attempt: Callable[[], T], stop: threading.Event) -> T | None:
    """`attempt()`'s result once the servers it needs answer; None when stopped first."""
    backoff = Backoff(stop)
    while not stop.is_set():
        try:
            return attempt()
        except OUTAGES as error:
            log.warning("%s: unavailable (%s); retrying in %.0fs", what, error, backoff.next)
            backoff.pause()
    return None


def amqp_uri(service: str, environ: Mapping[str, str] | None = None) -> str:
    """The service's own broker user connects its processes: INTAKE_AMQP_URI for intake's, else AMQP_URI."""
    return service_amqp_uri(service, os.environ if environ is None else environ)


def build_postgres(service: str, environ: Mapping[str, str] | None = None) -> PathwayApplication:
    return SERVICES[service].build(postgres_env(service, environ))


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
    backoff = Backoff(stop)
    while not stop.is_set():
        try:
            _relay_while_leading(service, stop, environ, on_publishing=backoff.reset)
        except OUTAGES as error:  # start over from the recorded position
            log.warning("relay %s: stopped (%r); retrying in %.0fs", service, error, backoff.next)
            backoff.pause()
        except Exception:
            log.exception("relay %s: failed; exiting", service)
            raise SystemExit(1) from None  # said once, above; a supervisor restarts us


def _relay_while_leading(
    service: str, stop: threading.Event, environ: Mapping[str, str] | None, on_publishing: Callable[[], None]
) -> None:
    env = postgres_env(service, environ)
    leadership = Leadership(env, f"pathway-relay-{service}")
    try:
        if not leadership.acquire(stop):
            return
        app = build_postgres(service, environ)
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
    app = when_available(f"consume {service}: store", lambda: build_postgres(service, environ), stop)
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
    app = when_available(f"inbox {service}: store", lambda: build_postgres(service, environ), stop)
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
