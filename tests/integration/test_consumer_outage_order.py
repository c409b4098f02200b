"""The event consumer keeps each person's order across a store outage, on the real RabbitMQ.

When the store fails while a message is handled, the loop gives up its session and reconnects. Messages
already prefetched must not be handled on the way out (cancelling a consumer can still dispatch them):
a person's later event applied before the failed one would break the order docs/ARCHITECTURE.md promises.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Iterator

import pytest
from eventsourcing.persistence import OperationalError
from kombu import Connection, Producer

from shared.messaging.amqp import AmqpConsumerLoop, events_exchange
from shared.messaging.consumer import Handled
from tests.integration.cluster import _management, require_servers

pytestmark = pytest.mark.integration

EVENTS = 20


class FlakyStore:
    """A consumer whose store fails once, on the first event, then recovers; it records what it applied."""

    def __init__(self) -> None:
        self.service = f"order-check-{uuid.uuid4().hex[:8]}"
        self.applied: list[int] = []
        self.outages = 1
        self.last_reason = ""

    def bindings(self) -> list[str]:
        return ["upstream.thing.happened"]

    def upstreams(self) -> list[str]:
        return []

    def handle(self, body: bytes, published_by: str | None = None) -> Handled:
        number = json.loads(body)["n"]
        if number in self.applied:
            return Handled.DUPLICATE
        if self.outages:
            self.outages -= 1
            raise OperationalError("connection refused")
        self.applied.append(number)
        return Handled.APPLIED

    def record_watermark(self, source: str, position: int) -> None:
        raise AssertionError("no watermarks here")


@pytest.fixture
def vhost_uri() -> Iterator[str]:
    require_servers()
    vhost = f"pathway-order-{uuid.uuid4().hex[:8]}"
    _management("PUT", f"/api/vhosts/{vhost}")
    _management("PUT", f"/api/permissions/{vhost}/guest", {"configure": ".*", "write": ".*", "read": ".*"})
    try:
        yield f"amqp://guest:guest@127.0.0.1:5672/{vhost}"
    finally:
        _management("DELETE", f"/api/vhosts/{vhost}")


def test_a_store_outage_mid_stream_keeps_the_events_in_their_order(vhost_uri: str) -> None:
    store = FlakyStore()
    stop = threading.Event()
    loop = AmqpConsumerLoop(vhost_uri, store, stop)  # type: ignore[arg-type]
    with Connection(vhost_uri) as connection:
        loop.queue()(connection.default_channel).declare()  # the queue exists before anything is published
        producer = Producer(connection.default_channel)
        for number in range(EVENTS):  # all queued first, so the consumer prefetches many at once
            producer.publish(
                json.dumps({"n": number}).encode(),
                exchange=events_exchange,
                routing_key="upstream.thing.happened",
                content_type="application/json",
                delivery_mode=2,
            )
    worker = threading.Thread(target=loop.run, daemon=True)
    worker.start()
    try:
        deadline = time.monotonic() + 30
        while len(store.applied) < EVENTS and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        stop.set()
        worker.join(timeout=10)

    assert store.applied == list(range(EVENTS))
