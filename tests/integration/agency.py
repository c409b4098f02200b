"""An outside agency on the bus, as any AMQP client would be: no nameko, only exchanges, queues and properties.

It connects as its own broker user and says so in every message's `user_id` (the broker checks it), which is how
the inbox knows the sending agency; its queues are named after that user, the only ones it may declare.
"""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

from kombu import Connection, Producer, Queue

from shared.messaging.command_inbox import COMMANDS_EXCHANGE, REJECTED_QUEUE
from tests.integration.broker_users import PRISON
from tests.integration.cluster import Cluster


class Agency:
    """An outside system on the bus: publishes commands with confirms, reads its replies and the rejected queue."""

    def __init__(self, cluster: Cluster, agency: str = PRISON) -> None:
        self.agency = agency
        self.user = cluster.users.agencies[agency]
        self.uri = cluster.agency_uri(agency)
        self.operator_uri = cluster.amqp_uri  # the rejected queue is the operators' to read, not the agency's
        self.connection = Connection(self.uri, transport_options={"confirm_publish": True})
        self.channel = self.connection.channel()
        self.operator = Connection(self.operator_uri)
        self.operator_channel = self.operator.channel()
        self.replies_to = f"{self.user}.replies.{uuid.uuid4().hex[:8]}"
        self.reply_queue = Queue(self.replies_to, durable=False, auto_delete=False)(self.channel)
        self.reply_queue.declare()
        self.producer = Producer(self.channel)

    def close(self) -> None:
        self.connection.close()
        self.operator.close()

    def publish(self, line: dict[str, Any], correlation_id: str, routing_key: str | None = None) -> bytes:
        body = json.dumps(line["data"]).encode()
        self.publish_raw(routing_key or f"{line['service']}.{line['command']}", body, correlation_id)
        return body

    def publish_raw(self, routing_key: str, body: bytes, correlation_id: str) -> None:
        self.producer.publish(
            body,
            exchange=COMMANDS_EXCHANGE,
            routing_key=routing_key,
            content_type="application/json",
            delivery_mode=2,
            reply_to=self.replies_to,
            correlation_id=correlation_id,
            user_id=self.user,
        )

    def replies(self, wanted: int, timeout: float = 60.0, *, until: float | None = None) -> list[tuple[str, Any]]:
        """(correlation id, reply) in arrival order, until `wanted` have come (or `until`, a monotonic time)."""
        return self._drain(self.reply_queue, wanted, until or time.monotonic() + timeout, self._reply)

    def rejected(self, wanted: int, timeout: float = 30.0) -> list[tuple[dict[str, Any], bytes, str]]:
        """(headers, body, routing key) of what arrived on the rejected queue."""
        queue = Queue(REJECTED_QUEUE, durable=True)(self.operator_channel)
        return self._drain(
            queue, wanted, time.monotonic() + timeout, lambda m: (m.headers, m.body, m.delivery_info["routing_key"])
        )

    def purge_rejected(self) -> None:
        Queue(REJECTED_QUEUE, durable=True)(self.operator_channel).purge()

    @staticmethod
    def _reply(message: Any) -> tuple[str, Any]:
        return message.properties.get("correlation_id"), json.loads(message.body)

    @staticmethod
    def _drain(queue: Any, wanted: int, deadline: float, read: Any) -> list[Any]:
        found: list[Any] = []
        while len(found) < wanted and time.monotonic() < deadline:
            message = queue.get(no_ack=False)
            if message is None:
                time.sleep(0.02)
                continue
            found.append(read(message))
            message.ack()
        return found
