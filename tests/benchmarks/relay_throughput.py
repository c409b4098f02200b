"""Benchmark: the relay draining a backlog to RabbitMQ, against raw unconfirmed publishing of the same messages.

The relay is the real one, whole: it reads a PostgreSQL store of intake's (a database of its own, filled with
registrations), translates, publishes through the real `AmqpPublisher` with confirms, seals and keeps its position.
The baseline publishes the very messages the relay does (same bodies, routing keys and persistent properties) with
py-amqp's `basic_publish`, one call each, no confirms; its clock stops after one round trip on the channel, when
the broker has taken them all. Both go to a vhost of their own with the production topology declared, its queues
emptied before each round. Rounds alternate and the best of each is kept: the machine is shared, and its load
changes over seconds. Waiting for each message's confirm is printed for reference.

    .venv/bin/python -m tests.benchmarks.relay_throughput [people]

Each registration is two notifications, one of them public: `people` events are published a round.
"""

from __future__ import annotations

import sys
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import amqp
from kombu import Connection

from pathway.processes import full_topology
from pathway.services import SERVICES
from shared.eventstore.application import PathwayApplication
from shared.eventstore.reading import head, notifications_after
from shared.messaging.amqp import AmqpPublisher, declare_topology
from shared.messaging.broker_settings import amqp_params
from shared.messaging.publishers import broker_user
from shared.messaging.relay import Relay
from shared.messaging.topology import EXCHANGE, queue_name
from shared.messaging.translation import public_envelopes
from tests import examples as ex
from tests.benchmarks.relay_seals import forget_relaying
from tests.integration.cluster import _management
from tests.stores import PostgresStores

ROUNDS = 7
# Waiting for each confirm is slow (about a thousand a second): timed on this many messages only.
ONE_AT_A_TIME = 500


@dataclass(frozen=True)
class Published:
    """One message as the relay publishes it."""

    routing_key: str
    body: bytes
    message_id: str


def fill(app: PathwayApplication, people: int) -> None:
    for n in range(people):
        app.handle("register_person", ex.register_person(f"BENCH{n}")["data"])


def as_relayed(app: PathwayApplication) -> list[Published]:
    envelopes = public_envelopes(app, SERVICES["intake"].translate, notifications_after(app, 0, head(app)))
    return [Published(e.type, e.to_bytes(), str(e.event_id)) for e in envelopes]


class Broker:
    """A vhost of our own, its topology declared as the relays declare it in production."""

    def __init__(self) -> None:
        self.vhost = f"pathway-bench-{uuid.uuid4().hex[:8]}"
        self.uri = f"amqp://guest:guest@127.0.0.1:5672/{self.vhost}"
        _management("PUT", f"/api/vhosts/{self.vhost}")
        _management("PUT", f"/api/permissions/{self.vhost}/guest", {"configure": ".*", "write": ".*", "read": ".*"})
        topology = full_topology()
        with Connection(self.uri) as connection:
            declare_topology(connection, topology)
        self.queues = [queue_name(service) for service in topology]
        self.connection = amqp.Connection(**amqp_params(self.uri))
        self.connection.connect()
        self.channel = self.connection.channel()

    def empty(self) -> None:
        """Every queue emptied, so that no round pays for the messages of the rounds before it."""
        for queue in self.queues:
            self.channel.queue_purge(queue)

    def close(self) -> None:
        self.connection.close()
        _management("DELETE", f"/api/vhosts/{self.vhost}")


def raw_unconfirmed(broker: Broker, messages: Sequence[Published]) -> float:
    broker.empty()
    channel, user = broker.channel, broker_user(broker.uri)
    started = time.perf_counter()
    for message in messages:
        properties = {"message_id": message.message_id, "type": message.routing_key, "user_id": user}
        content = amqp.Message(message.body, content_type="application/json", delivery_mode=2, **properties)
        channel.basic_publish(content, exchange=EXCHANGE, routing_key=message.routing_key)
    channel.basic_qos(0, 0, False)  # a round trip: the broker answers once it has taken every publish before it
    return time.perf_counter() - started


def one_confirm_at_a_time(broker: Broker, messages: Sequence[Published]) -> float:
    broker.empty()
    connection = amqp.Connection(**amqp_params(broker.uri))
    connection.connect()
    channel, user = connection.channel(), broker_user(broker.uri)
    started = time.perf_counter()
    for message in messages:
        properties = {"message_id": message.message_id, "type": message.routing_key, "user_id": user}
        content = amqp.Message(message.body, content_type="application/json", delivery_mode=2, **properties)
        channel.basic_publish_confirm(content, exchange=EXCHANGE, routing_key=message.routing_key)
    elapsed = time.perf_counter() - started
    connection.close()
    return elapsed


def relayed(broker: Broker, app: PathwayApplication, publisher: AmqpPublisher) -> float:
    broker.empty()
    forget_relaying(app)
    relay = Relay(app, SERVICES["intake"].translate, publisher, watermarks=True)
    relay.sealer.last()  # the seal table exists before the clock starts
    started = time.perf_counter()
    relay.pump()
    return time.perf_counter() - started


def best_of_alternating(rounds: int, *measures: Callable[[], float]) -> list[float]:
    """Each measure's best time, the measures taking turns round by round."""
    times: list[list[float]] = [[] for _ in measures]
    for _ in range(rounds):
        for measure, taken in zip(measures, times, strict=True):
            taken.append(measure())
    return [min(taken) for taken in times]


def measure(app: PathwayApplication) -> None:
    messages = as_relayed(app)
    count = len(messages)
    broker = Broker()
    publisher = AmqpPublisher(broker.uri)
    try:
        relayed(broker, app, publisher)  # warm up
        raw, relay = best_of_alternating(
            ROUNDS, lambda: raw_unconfirmed(broker, messages), lambda: relayed(broker, app, publisher)
        )
        few = messages[:ONE_AT_A_TIME]
        one_at_a_time = min(one_confirm_at_a_time(broker, few) for _ in range(2)) / len(few) * count
    finally:
        publisher.close()
        broker.close()
    print(f"relay of {head(app)} notifications ({count} public events), PostgreSQL to RabbitMQ, best of {ROUNDS}")
    print(f"  raw publishing, unconfirmed (baseline): {count / raw:9.0f} events/s")
    print(f"  relay, confirmed batches:               {count / relay:9.0f} events/s   x{raw / relay:.2f} baseline")
    print(
        f"  one confirm at a time (reference):      {count / one_at_a_time:9.0f} events/s   x{raw / one_at_a_time:.2f}"
    )


def main(people: int) -> None:
    stores = PostgresStores()
    stores.names = {service: f"pathway_bench_{service}" for service in stores.names}
    stores.drop()
    stores.create()
    try:
        app = SERVICES["intake"].build(stores.env("intake"))
        try:
            fill(app, people)
            measure(app)
        finally:
            app.close()
    finally:
        stores.drop()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3000)
