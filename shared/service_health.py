"""Is each part of a service doing its work? Facts gathered from the store and the broker, and the problems
they show, each naming the queue or lock and the process that is missing.

A service's four processes are seen from outside: the relay holds its store's leadership lock in PostgreSQL,
the tracked consumer is attached to the service's events queue, the command inbox to its commands queue. A
process that is alive but no longer holds its lock or its subscription is as missing as one that died.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from shared.eventstore.positions import kept_positions
from shared.eventstore.postgres import lock_held, relay_leadership
from shared.eventstore.reading import head
from shared.messaging.consumer import REJECTED_TRACKING_NAME, TrackedConsumer, watermark_name
from shared.messaging.queues import QueueState, commands_queue, events_queue, queue_states
from shared.messaging.relay import RELAY_TRACKING_NAME


@dataclass(frozen=True)
class ServiceFacts:
    service: str
    reacts: bool  # has upstreams, so needs its consumer
    relay_running: bool | None  # None where it cannot be told (the embedded mode has no separate relay)
    events: QueueState | None  # None: the queue does not exist (no relay nor consumer ever declared it)
    commands: QueueState | None


def problems_of(facts: ServiceFacts) -> list[str]:
    """What keeps this service from doing its work, in words an operator acts on; empty when nothing does."""
    name = facts.service
    problems = []
    if facts.relay_running is False:
        problems.append(f"{name}: no relay holds its store (is `pathway relay {name}` running?)")
    if facts.reacts and (facts.events is None or facts.events.consumers == 0):
        waiting = f" with {facts.events.messages} messages waiting" if facts.events and facts.events.messages else ""
        problems.append(
            f"{name}: queue {events_queue(name)} has no consumer{waiting} (is `pathway consume {name}` running?)"
        )
    if facts.commands is not None and facts.commands.consumers == 0 and facts.commands.messages:
        problems.append(
            f"{name}: queue {commands_queue(name)} has {facts.commands.messages} commands waiting and no consumer "
            f"(is `pathway inbox {name}` running?)"
        )
    return problems


def relay_running(app: Any) -> bool | None:
    """Whether some process holds the service's relay lock; None for stores without one (SQLite, in memory)."""
    if app.env.get("PERSISTENCE_MODULE") != "eventsourcing.postgres":
        return None
    return lock_held(app, relay_leadership(app.service))


def service_facts(app: Any, amqp_uri: str, reacts: bool) -> ServiceFacts:
    """The facts about one service, asked of its store and of the broker (which may raise OSError)."""
    name = app.service
    queues = queue_states(amqp_uri, {"events": events_queue(name), "commands": commands_queue(name)})
    return ServiceFacts(name, reacts, relay_running(app), queues["events"], queues["commands"])


def progress_of(app: Any) -> dict[str, Any]:
    """How far this service has got (the status RPC and route): what settling waits on, and what was set aside.

    A few rows read by key, however long the history: this is the inner loop of every wait for a settle.
    """
    consumer = TrackedConsumer(app)
    upstreams = consumer.upstreams()
    positions = kept_positions(app, [RELAY_TRACKING_NAME, REJECTED_TRACKING_NAME, *map(watermark_name, upstreams)])
    return {
        "head": head(app),
        "relay_position": positions[RELAY_TRACKING_NAME],
        "upstreams": upstreams,
        "watermarks": {u: positions[watermark_name(u)] for u in upstreams},
        "dead_letters": consumer.dead_letter_count(),
        "rejected_messages": positions[REJECTED_TRACKING_NAME],
        "relay_running": relay_running(app),
    }
