"""The RabbitMQ transport: topology, a relay publisher with pipelined confirms, a tracked consumer loop.

Built on kombu and py-amqp directly rather than nameko's @event_handler,
which acks failed events, shapes its own queues and cannot keep a queue per
consuming service with single active consumer (docs/STACK.md, traps 1 and 11).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import suppress
from typing import Any

import amqp
import kombu.exceptions
from kombu import Connection, Consumer, Exchange, Producer, Queue, binding
from kombu.message import Message

from shared.contracts.envelope import Envelope
from shared.messaging.broker_settings import amqp_params, broker_connection
from shared.messaging.consumer import INFRASTRUCTURE_ERRORS, KEPT_OF_OVERSIZED, Handled, TrackedConsumer
from shared.messaging.publish_frames import PropertiesWithId, PublishFrames, encoded_properties
from shared.messaging.publishers import broker_user
from shared.messaging.relay import Watermark
from shared.messaging.topology import EXCHANGE, queue_name

log = logging.getLogger(__name__)

DEFAULT_AMQP_URI = "amqp://guest:guest@127.0.0.1:5672/"
WATERMARK_EXCHANGE = "pathway.watermarks"
DEAD_LETTER_EXCHANGE = "pathway.dead-letters"
DEAD_LETTER_QUEUE = "pathway.dead-letters"

events_exchange = Exchange(EXCHANGE, type="topic", durable=True)
watermark_exchange = Exchange(WATERMARK_EXCHANGE, type="topic", durable=True)
dead_letter_exchange = Exchange(DEAD_LETTER_EXCHANGE, type="topic", durable=True)


class PublishNotConfirmed(RuntimeError):
    """The broker refused (nacked) or did not confirm a batch in time: the relay must not move on."""


def consumer_queue(service: str, bindings: Iterable[str], upstreams: Iterable[str]) -> Queue:
    """A consuming service's one durable queue: its event types, and its upstreams' watermarks.

    Single active consumer: however many instances run, one consumes at a time,
    in queue order, and another takes over when it goes. That is how each
    person's events are applied in the order their source recorded them.
    """
    routes = [binding(events_exchange, routing_key=key) for key in bindings]
    routes += [binding(watermark_exchange, routing_key=source) for source in upstreams]
    return Queue(
        queue_name(service),
        bindings=routes,
        durable=True,
        queue_arguments={"x-single-active-consumer": True},
    )


def declare_topology(connection: Connection, consumers: Mapping[str, tuple[list[str], list[str]]]) -> None:
    """Declare the exchanges and every consumer's queue with its bindings (idempotent).

    Relays call this before they publish anything, so no event goes out
    before the queues of its consumers exist.
    """
    channel = connection.default_channel
    for exchange in (events_exchange, watermark_exchange, dead_letter_exchange):
        exchange(channel).declare()
    Queue(DEAD_LETTER_QUEUE, exchange=dead_letter_exchange, routing_key="#", durable=True)(channel).declare()
    for service, (bindings, upstreams) in consumers.items():
        consumer_queue(service, bindings, upstreams)(channel).declare()


class AmqpPublisher:
    """Publishes a batch, then waits once for the broker to confirm all of it.

    Waiting for each confirm caps a relay near 1k messages a second (docs/STACK.md);
    publishing the batch and then waiting keeps the guarantee at a fraction of the cost.
    `send` and `wait_for_confirms` are the two halves, for a relay that works on the next
    batch meanwhile. A batch goes out as frames encoded together, in one write.
    """

    def __init__(self, uri: str, confirm_timeout: float = 30.0) -> None:
        self.connection = amqp.Connection(**amqp_params(uri))
        self.connection.connect()
        self.channel = self.connection.channel()
        self.channel.confirm_select()
        self.channel.events["basic_ack"].add(self._on_ack)
        self.channel.events["basic_nack"].add(self._on_nack)
        self.confirm_timeout = confirm_timeout
        # Stamped on every message: the broker refuses it unless it is this connection's user, so consumers
        # can tell this service's relay from anyone else publishing to the same exchanges.
        self.user_id = broker_user(uri)
        self._sent = 0  # delivery tags are numbered from 1 per channel
        self._confirmed = 0
        self._nacked = False
        self._properties: dict[str, PropertiesWithId] = {}  # by event type

    def close(self) -> None:
        self.connection.close()

    def keep_alive(self) -> None:
        """Call between batches, at least once a second: this connection does I/O only when it publishes, so
        its heartbeats are serviced here while the store has nothing new (see `keep_alive`)."""
        with suppress(TimeoutError):
            self.connection.drain_events(timeout=PENDING_READ_SECONDS)
        self.connection.heartbeat_tick()

    def _on_ack(self, delivery_tag: int, multiple: bool) -> None:
        self._confirmed = max(self._confirmed, delivery_tag)

    def _on_nack(self, delivery_tag: int, multiple: bool) -> None:
        self._nacked = True

    def publish(self, envelopes: Sequence[Envelope], watermark: Watermark | None = None) -> None:
        self.send(envelopes, watermark)
        self.wait_for_confirms()

    def send(self, envelopes: Sequence[Envelope], watermark: Watermark | None = None) -> None:
        """Write the batch's frames at once (shared/messaging/publish_frames.py); confirms are awaited apart."""
        frames = PublishFrames(self.channel.channel_id, self.connection.frame_max)
        for envelope in envelopes:
            frames.add(EXCHANGE, envelope.type, self._properties_of(envelope), envelope.to_bytes())
        if watermark is not None:
            mark = encoded_properties(
                content_type="application/json",
                delivery_mode=2,
                application_headers={"source": watermark.source, "position": watermark.position},
                user_id=self.user_id,
            )
            frames.add(WATERMARK_EXCHANGE, watermark.source, mark, b"{}")
        if frames.count:
            count = frames.count
            self._write(frames.take())
            self._sent += count

    def _properties_of(self, envelope: Envelope) -> bytes:
        template = self._properties.get(envelope.type)
        if template is None:
            template = self._properties[envelope.type] = PropertiesWithId(
                content_type="application/json", delivery_mode=2, type=envelope.type, user_id=self.user_id
            )
        return template.with_id(str(envelope.event_id))

    def _write(self, frames: bytes) -> None:
        """As `basic_publish` writes: refused on a closed channel, and a timed-out write loses the connection.

        Below py-amqp's channel API, on its transport: this connection has one user (the relay's thread), so
        nothing else writes between our frames.
        """
        if not self.channel.is_open or self.channel.connection is None:
            raise amqp.exceptions.RecoverableConnectionError("publish: channel closed")
        try:
            self.connection.transport.write(frames)
        except TimeoutError:  # socket.timeout too
            raise amqp.exceptions.RecoverableConnectionError("publish: timed out") from None
        self.connection.bytes_sent += 1  # what heartbeat_tick reads as "we sent something"

    def wait_for_confirms(self) -> None:
        """Return once the broker has confirmed every message sent; raise PublishNotConfirmed if it nacked one."""
        deadline = time.monotonic() + self.confirm_timeout
        while self._confirmed < self._sent and not self._nacked:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise PublishNotConfirmed(f"{self._sent - self._confirmed} messages not confirmed in time")
            with suppress(TimeoutError):
                self.connection.drain_events(timeout=min(remaining, 1.0))
            self.connection.heartbeat_tick()  # a slow confirm must not cost the connection its heartbeats
        if self._nacked:
            raise PublishNotConfirmed("the broker nacked a message of the batch")


def halting_after_failure(handle: Callable[[Message], None]) -> Callable[[Message], None]:
    """`handle`, for one consumer session that ends at the first failure.

    The failure propagates and the session closes, but cancelling a consumer can still dispatch
    deliveries already prefetched; handling one of them ahead of the failed message would break the
    order (a person's later event or command first). So after a failure nothing more is handled: those
    messages stay unacked and return to the queue, in their order, when the connection closes.
    """
    halted = False

    def on_message(message: Message) -> None:
        nonlocal halted
        if halted:
            return
        try:
            handle(message)
        except BaseException:
            halted = True
            raise

    return on_message


# How long `keep_alive` waits for what the broker may have sent: enough to read frames already here, short enough
# not to slow the loop that calls it.
PENDING_READ_SECONDS = 0.01
# How often the draining loop services heartbeats: well within the shortest sensible heartbeat's half.
HEARTBEAT_TICK_SECONDS = 1.0


def keep_alive(connection: Connection) -> None:
    """Service the heartbeats of a connection that only publishes: read what the broker sent, then send ours if due.

    py-amqp sends heartbeats only when asked (`heartbeat_check`), and counts the broker's as missed unless
    something reads them: on a connection nobody reads between publishes it would close a healthy connection
    after two intervals, and without our heartbeats the broker closes it itself.
    """
    with suppress(TimeoutError):
        connection.drain_events(timeout=PENDING_READ_SECONDS)
    connection.heartbeat_check()


def drain_until(stop: threading.Event, connection: Connection, *publishing: Connection) -> None:
    """Dispatch deliveries to the connection's consumers until `stop` is set, looking at it twice a second.

    Heartbeats are serviced meanwhile, on this connection and on the `publishing` ones (idle between
    deliveries), about once a second also while messages keep arriving.
    """
    next_tick = 0.0
    while not stop.is_set():
        with suppress(TimeoutError):
            connection.drain_events(timeout=0.5)
        if time.monotonic() >= next_tick:
            connection.heartbeat_check()
            for other in publishing:
                keep_alive(other)
            next_tick = time.monotonic() + HEARTBEAT_TICK_SECONDS


class AmqpConsumerLoop:
    """Runs a tracked consumer on its queue: ack after commit, requeue when the store is down."""

    def __init__(
        self,
        uri: str,
        consumer: TrackedConsumer,
        stop: threading.Event,
        prefetch: int = 50,
    ) -> None:
        self.uri = uri
        self.consumer = consumer
        self.stop = stop
        self.prefetch = prefetch

    def queue(self) -> Queue:
        return consumer_queue(self.consumer.service, self.consumer.bindings(), self.consumer.upstreams())

    def run(self) -> None:
        """Consume until `stop` is set, reconnecting to the broker when the connection drops."""
        while not self.stop.is_set():
            try:
                with broker_connection(self.uri) as connection:
                    self._consume(connection)
            except INFRASTRUCTURE_ERRORS:
                log.warning("%s consumer: store unavailable, retrying", self.consumer.service, exc_info=True)
                self.stop.wait(1.0)
            except (OSError, amqp.exceptions.AMQPError, kombu.exceptions.OperationalError) as error:
                log.warning("%s consumer: broker connection lost (%s), reconnecting", self.consumer.service, error)
                self.stop.wait(1.0)

    def _consume(self, connection: Connection) -> None:
        channel = connection.channel()
        channel.basic_qos(0, self.prefetch, False)
        producer = Producer(channel)
        queue = self.queue()(channel)
        queue.declare()

        # A watermark vouches for everything before it: it must not overtake a failed event either.
        on_message = halting_after_failure(lambda message: self._on_message(message, producer))
        with Consumer(channel, queues=[queue], on_message=on_message, accept=["application/json"]):
            # With a single active consumer, the broker may keep this one as a standby.
            log.info("%s consumer: subscribed to %s (active, or standing by)", self.consumer.service, queue.name)
            drain_until(self.stop, connection)

    def _on_message(self, message: Message, producer: Producer) -> None:
        """Decide one delivery and ack it. Only the store's or the broker's own failures escape (nothing is
        acked then, and the message comes back): whatever the message holds, it is applied, set aside or rejected."""
        body = message.body if isinstance(message.body, bytes) else str(message.body).encode()
        published_by = _publisher_of(message)
        try:
            if message.delivery_info.get("exchange") == WATERMARK_EXCHANGE:
                handled = self._on_watermark(message.headers, body, published_by)
            else:
                handled = self.consumer.handle(body, published_by)
        except INFRASTRUCTURE_ERRORS:
            message.requeue()  # not the message's fault: it comes back when the store does
            raise
        if handled in (Handled.DEAD_LETTERED, Handled.REJECTED):
            # A copy on the bus, with its reason, for whoever watches there: the store keeps the dead letter that
            # counts, and of a message rejected as not genuine only the count.
            producer.publish(
                body,
                exchange=dead_letter_exchange,
                routing_key=f"{self.consumer.service}.{_routing_key_of(message)}",
                headers={
                    "x-pathway-service": self.consumer.service,
                    "x-pathway-reason": self.consumer.last_reason,
                    "x-pathway-outcome": handled.value,
                },
                content_type="application/json",
                delivery_mode=2,
            )
        message.ack()

    def _on_watermark(self, headers: Any, body: bytes, published_by: str | None) -> Handled:
        """Record how far an upstream's relay had published, if that relay sent it: a forged watermark would
        make a consumer look settled while the genuine events are still to come."""
        forged = self.consumer.not_genuine(published_by)
        if forged is not None:
            return self.consumer.reject(forged)
        try:
            watermark = Watermark.from_headers(headers)
            if watermark.source not in self.consumer.upstreams():
                raise ValueError(f"headers.source: not a service {self.consumer.service} follows")
        except ValueError as malformed:
            # Its headers go into the digest, so two different malformed watermarks are both kept.
            kept = body + b" headers: " + repr(headers)[:KEPT_OF_OVERSIZED].encode()
            return self.consumer.set_aside_unreadable(kept, f"unreadable watermark: {malformed}")
        forged = self.consumer.not_genuine(published_by, watermark.source)
        if forged is not None:
            return self.consumer.reject(forged)
        self.consumer.record_watermark(watermark.source, watermark.position)
        return Handled.APPLIED


def _publisher_of(message: Message) -> str | None:
    """The message's `user_id`: the broker has checked it is the user that published it."""
    user = (message.properties or {}).get("user_id")
    return user if isinstance(user, str) and user else None


def _routing_key_of(message: Message) -> str:
    key = message.delivery_info.get("routing_key")
    return key if isinstance(key, str) and key else "unknown"
