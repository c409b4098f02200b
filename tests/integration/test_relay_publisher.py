"""The relay's publisher on the real broker: what it writes (a batch's frames at once) arrives as consumers read
it, with the properties they rely on, the watermark after the batch; and a batch the broker refuses is never
taken for confirmed."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import amqp
import pytest
from kombu import Connection

from pathway.processes import full_topology
from pathway.services import SERVICES
from shared.contracts.envelope import Envelope
from shared.eventstore.application import PathwayApplication
from shared.eventstore.reading import head, notifications_after
from shared.eventstore.settings import sqlite_env
from shared.messaging.amqp import WATERMARK_EXCHANGE, AmqpPublisher, PublishNotConfirmed, declare_topology
from shared.messaging.broker_settings import amqp_params
from shared.messaging.consumer import Handled, TrackedConsumer
from shared.messaging.publishers import Publishers
from shared.messaging.relay import Relay, Watermark
from shared.messaging.topology import EXCHANGE, queue_name
from shared.messaging.translation import public_envelopes
from tests import examples as ex
from tests.integration.cluster import _management, require_servers

pytestmark = pytest.mark.integration

# Larger than RabbitMQ's default frame_max (128 KiB): its body goes out in several frames.
PADDING = 300_000


@pytest.fixture(scope="module")
def vhost_uri() -> Iterator[str]:
    """A vhost of this module's own, with the production topology declared."""
    require_servers()
    vhost = f"pathway-test-{uuid.uuid4().hex[:8]}"
    _management("PUT", f"/api/vhosts/{vhost}")
    _management("PUT", f"/api/permissions/{vhost}/guest", {"configure": ".*", "write": ".*", "read": ".*"})
    uri = f"amqp://guest:guest@127.0.0.1:5672/{vhost}"
    try:
        with Connection(uri) as connection:
            declare_topology(connection, full_topology())
        yield uri
    finally:
        _management("DELETE", f"/api/vhosts/{vhost}")


@pytest.fixture
def intake(tmp_path: Path) -> Iterator[PathwayApplication]:
    """A SQLite store: in-memory stores have no seals, and no tracking for a consumer."""
    app = SERVICES["intake"].build(sqlite_env("intake", tmp_path))
    try:
        yield app
    finally:
        app.close()


def deliveries(uri: str, queue: str) -> list[amqp.Message]:
    """Everything in the queue, taken off it."""
    connection = amqp.Connection(**amqp_params(uri))
    connection.connect()
    try:
        channel = connection.channel()
        taken = []
        while (message := channel.basic_get(queue, no_ack=True)) is not None:
            taken.append(message)
        return taken
    finally:
        connection.close()


def registrations(app: PathwayApplication, people: int) -> list[Envelope]:
    for n in range(people):
        app.handle("register_person", ex.register_person(f"RP{n}")["data"])
    return public_envelopes(app, SERVICES["intake"].translate, notifications_after(app, 0, head(app)))


def test_a_batch_arrives_as_consumers_read_it_with_its_watermark_after_it(
    vhost_uri: str, intake: PathwayApplication, tmp_path: Path
) -> None:
    first, second, third = registrations(intake, 3)
    padded = third.model_copy(update={"payload": {**third.payload, "padding": "x" * PADDING}})
    batch = [first, second, padded]
    publisher = AmqpPublisher(vhost_uri)
    try:
        publisher.publish(batch, Watermark("intake", 6))
    finally:
        publisher.close()

    *events, mark = deliveries(vhost_uri, queue_name("release"))
    assert [message.body for message in events] == [envelope.to_bytes() for envelope in batch]
    for message, envelope in zip(events, batch, strict=True):
        assert Envelope.from_bytes(message.body) == envelope
        assert message.delivery_info["exchange"] == EXCHANGE
        assert message.delivery_info["routing_key"] == envelope.type
        assert message.properties == {
            "content_type": "application/json",
            "delivery_mode": 2,
            "message_id": str(envelope.event_id),
            "type": envelope.type,
            "user_id": "guest",
        }
    assert (mark.body, mark.delivery_info["exchange"], mark.delivery_info["routing_key"]) == (
        b"{}",
        WATERMARK_EXCHANGE,
        "intake",
    )
    assert Watermark.from_headers(mark.headers) == Watermark("intake", 6)
    assert mark.properties["user_id"] == "guest"
    assert mark.properties["delivery_mode"] == 2

    release = SERVICES["release"].build(sqlite_env("release", tmp_path))
    try:
        consumer = TrackedConsumer(release, publishers=Publishers({"intake": "guest"}))
        handled = [consumer.handle(message.body, message.properties["user_id"]) for message in events]
    finally:
        release.close()
    assert handled == [Handled.APPLIED] * 3


def test_the_relay_drains_a_backlog_through_it_in_order(vhost_uri: str, intake: PathwayApplication) -> None:
    published = registrations(intake, 40)
    publisher = AmqpPublisher(vhost_uri)
    try:
        relay = Relay(intake, SERVICES["intake"].translate, publisher, batch_size=7, watermarks=True)
        assert relay.pump() == head(intake)
    finally:
        publisher.close()

    taken = deliveries(vhost_uri, queue_name("release"))
    events = [message for message in taken if message.delivery_info["exchange"] == EXCHANGE]
    marks = [Watermark.from_headers(m.headers).position for m in taken if m.delivery_info["exchange"] != EXCHANGE]
    assert [message.body for message in events] == [envelope.to_bytes() for envelope in published]
    assert marks == [*range(7, head(intake), 7), head(intake)]
    assert relay.position() == head(intake)


def test_a_batch_the_broker_refuses_is_not_taken_for_confirmed(vhost_uri: str, intake: PathwayApplication) -> None:
    full: dict[str, Any] = {"x-max-length": 1, "x-overflow": "reject-publish"}  # nacks what it cannot take
    with Connection(vhost_uri) as connection:
        channel = connection.default_channel
        channel.queue_declare("pathway-test.full", durable=True, auto_delete=True, arguments=full)
        channel.queue_bind("pathway-test.full", EXCHANGE, routing_key="intake.person.registered")
        try:
            publisher = AmqpPublisher(vhost_uri)
            try:
                with pytest.raises(PublishNotConfirmed, match="nacked"):
                    publisher.publish(registrations(intake, 3))
            finally:
                publisher.close()
        finally:
            channel.queue_delete("pathway-test.full")
            for service in full_topology():
                channel.queue_purge(queue_name(service))
