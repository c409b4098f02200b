"""Benchmark: the relay's pipelined publisher confirms against waiting for each confirm.

Both publish the same persistent messages to the real RabbitMQ, in a vhost of
their own, through queues declared as in production; the baseline is measured
in the same run, so the ratio is what to read on a shared, noisy machine.

    .venv/bin/python -m tests.benchmarks.relay_confirms [messages]
"""

from __future__ import annotations

import sys
import time
import uuid
from datetime import UTC, datetime

import amqp

from shared.contracts.envelope import Envelope, event_id_for
from shared.messaging.amqp import AmqpPublisher, declare_topology
from shared.messaging.topology import EXCHANGE
from tests.integration.cluster import _management


def envelopes(count: int) -> list[Envelope]:
    now = datetime.now(UTC)
    person = uuid.uuid4()
    return [
        Envelope(
            event_id=event_id_for("intake", person, n),
            type="intake.person.admitted",
            version=1,
            occurred_at=now,
            recorded_at=now,
            source="intake",
            subject=person,
            aggregate_id=person,
            aggregate_version=n,
            notification_id=n,
            correlation_id="bench",
            causation_id=None,
            actor={"id": "bench", "role": "system", "agency": "bench"},
            payload={"person_id": str(person), "facility": "F", "admitted_at": now.isoformat()},
        )
        for n in range(1, count + 1)
    ]


def one_confirm_at_a_time(uri_params: dict, batch: list[Envelope]) -> float:
    connection = amqp.Connection(**uri_params)
    connection.connect()
    channel = connection.channel()
    started = time.perf_counter()
    for envelope in batch:
        message = amqp.Message(envelope.to_bytes(), content_type="application/json", delivery_mode=2)
        channel.basic_publish_confirm(message, exchange=EXCHANGE, routing_key=envelope.type)
    elapsed = time.perf_counter() - started
    connection.close()
    return elapsed


def pipelined(uri: str, batch: list[Envelope], size: int) -> float:
    publisher = AmqpPublisher(uri)
    started = time.perf_counter()
    for i in range(0, len(batch), size):
        publisher.publish(batch[i : i + size])
    elapsed = time.perf_counter() - started
    publisher.close()
    return elapsed


def main(count: int) -> None:
    from kombu import Connection

    from shared.messaging.broker_settings import amqp_params

    vhost = f"pathway-bench-{uuid.uuid4().hex[:8]}"
    uri = f"amqp://guest:guest@127.0.0.1:5672/{vhost}"
    _management("PUT", f"/api/vhosts/{vhost}")
    _management("PUT", f"/api/permissions/{vhost}/guest", {"configure": ".*", "write": ".*", "read": ".*"})
    try:
        with Connection(uri) as connection:
            declare_topology(connection, {"release": (["intake.person.admitted"], ["intake"])})
        batch = envelopes(count)
        baseline = one_confirm_at_a_time(amqp_params(uri), batch)
        print(f"relay publish, {count} persistent messages to a durable queue")
        print(f"  one confirm at a time (baseline): {count / baseline:9.0f} msg/s")
        for size in (50, 500):
            took = pipelined(uri, batch, size)
            print(
                f"  pipelined, batches of {size:>4}:      {count / took:9.0f} msg/s   x{baseline / took:.1f} baseline"
            )
    finally:
        _management("DELETE", f"/api/vhosts/{vhost}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3000)
