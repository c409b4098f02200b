"""What the broker says of a queue: messages waiting and consumers attached.

Asked passively, so asking never creates a queue. Operators' checks and the importer use it
to tell "slow" from "nobody is there": a queue with no consumer will never drain.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import amqp.exceptions

from shared.messaging.broker_settings import broker_connection
from shared.messaging.topology import queue_name

COMMAND_QUEUE_FORMAT = "pathway.{service}.commands"


@dataclass(frozen=True)
class QueueState:
    messages: int  # ready for delivery (not counting those delivered and not yet acked)
    consumers: int


def events_queue(service: str) -> str:
    """The queue a service's tracked consumer (`pathway consume SERVICE`) reads."""
    return queue_name(service)


def commands_queue(service: str) -> str:
    """The queue a service's command inbox (`pathway inbox SERVICE`) reads."""
    return COMMAND_QUEUE_FORMAT.format(service=service)


def queue_states(amqp_uri: str, names: Mapping[str, str], timeout: float = 5.0) -> dict[str, QueueState | None]:
    """Each named queue's state (key -> queue name); None for a queue that does not exist."""
    states: dict[str, QueueState | None] = {}
    with broker_connection(amqp_uri, connect_timeout=timeout) as connection:
        for key, name in names.items():
            channel = connection.channel()
            try:
                declared = channel.queue_declare(queue=name, passive=True)
            except amqp.exceptions.NotFound:
                states[key] = None  # a passive declare of a missing queue closes its channel
            else:
                states[key] = QueueState(declared.message_count, declared.consumer_count)
                channel.close()
    return states
