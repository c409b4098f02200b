"""The distributed mode's plain (non-nameko) processes: a service's relay, its tracked consumer and its
command inbox.

They run without eventlet: eventsourcing's followers and psycopg's waits do
not mix with it (STACK.md, traps 3 and 4), and they scale on their own.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
from collections.abc import Mapping

from kombu import Connection

from pathway.services import SERVICES
from shared.eventstore.application import PathwayApplication
from shared.eventstore.postgres import ChangeListener, Leadership
from shared.eventstore.settings import postgres_env
from shared.messaging.amqp import DEFAULT_AMQP_URI, AmqpConsumerLoop, AmqpPublisher, declare_topology
from shared.messaging.command_inbox import AmqpCommandInbox, CommandInbox
from shared.messaging.consumer import TrackedConsumer
from shared.messaging.relay import Relay

log = logging.getLogger(__name__)


def amqp_uri(environ: Mapping[str, str] | None = None) -> str:
    return (os.environ if environ is None else environ).get("AMQP_URI") or DEFAULT_AMQP_URI


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

    A lost broker or database connection is retried after a pause rather than
    ending the process: the relay simply starts again from its recorded position.
    """
    while not stop.is_set():
        try:
            _relay_while_leading(service, stop, environ)
        except Exception:  # a connection or the leadership lost: start over from the recorded position
            log.exception("relay %s: stopped; retrying in 2s", service)
            stop.wait(2.0)


def _relay_while_leading(service: str, stop: threading.Event, environ: Mapping[str, str] | None) -> None:
    env = postgres_env(service, environ)
    leadership = Leadership(env, f"pathway-relay-{service}")
    try:
        if not leadership.acquire(stop):
            return
        app = build_postgres(service, environ)
        uri = amqp_uri(environ)
        with Connection(uri) as connection:
            declare_topology(connection, full_topology())  # every consumer's queue exists before we publish
        publisher = AmqpPublisher(uri)
        listener = ChangeListener(env, app.recorder.events_table_name)  # type: ignore[attr-defined]
        relay = Relay(app, SERVICES[service].translate, publisher, watermarks=True)
        log.info("relay %s: publishing from notification %d", service, relay.position())
        try:
            while not stop.is_set():
                if not leadership.still_held():
                    raise RuntimeError(f"relay {service}: lost its leadership lock")
                if relay.pump() == 0:
                    listener.wait(timeout=1.0)
        finally:
            listener.close()
            publisher.close()
            app.close()
    finally:
        leadership.release()


def run_consumer(service: str, stop: threading.Event, environ: Mapping[str, str] | None = None) -> None:
    """Apply other services' events to this service's store, exactly once each."""
    app = build_postgres(service, environ)
    try:
        AmqpConsumerLoop(amqp_uri(environ), TrackedConsumer(app), stop).run()
    finally:
        app.close()


def run_inbox(service: str, stop: threading.Event, environ: Mapping[str, str] | None = None) -> None:
    """Apply agencies' commands from the service's AMQP command queue, in order, each acked once committed."""
    app = build_postgres(service, environ)
    try:
        AmqpCommandInbox(amqp_uri(environ), CommandInbox(app), stop, services=sorted(SERVICES)).run()
    finally:
        app.close()
