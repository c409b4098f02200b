"""Why has the distributed system not settled? The parts a wait depends on that are missing.

Settling waits for relays to publish their stores' heads and for consumers to handle their
upstreams' watermarks. A relay that is behind needs a process holding its store's lock; a
consumer that is behind needs a process attached to its events queue. Slow is not missing:
these name only what cannot move at all, so the wait can stop with the process to start.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from shared.messaging.queues import QueueState, events_queue


def relays_behind(statuses: Mapping[str, Mapping[str, Any]]) -> list[str]:
    return sorted(name for name, status in statuses.items() if status["relay_position"] < status["head"])


def consumers_behind(statuses: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """The services whose consumer has yet to handle some upstream's published events."""
    behind = set()
    for name, status in statuses.items():
        for upstream, seen in status["watermarks"].items():
            if upstream in statuses and seen < statuses[upstream]["relay_position"]:
                behind.add(name)
    return sorted(behind)


def missing_parts(statuses: Mapping[str, Mapping[str, Any]], queues: Mapping[str, QueueState | None]) -> list[str]:
    """What the wait depends on and nobody runs; `queues` holds the events queue of each consumer behind.

    Worded so that the same missing part reads the same at every check (no counts in it).
    """
    problems = []
    for name in relays_behind(statuses):
        if statuses[name].get("relay_running") is False:
            problems.append(f"`pathway relay {name}` is missing: no relay holds the {name} store")
    for name in consumers_behind(statuses):
        if name not in queues:
            continue
        queue = events_queue(name)
        state = queues[name]
        if state is None:
            problems.append(f"`pathway consume {name}` is missing: queue {queue} does not exist")
        elif state.consumers == 0:
            problems.append(f"`pathway consume {name}` is missing: queue {queue} has no consumer")
    return problems


def backlog(statuses: Mapping[str, Mapping[str, Any]]) -> str:
    """What is still moving, for a wait that timed out with every part present."""
    parts = [
        f"relay {name} at {statuses[name]['relay_position']} of {statuses[name]['head']}"
        for name in relays_behind(statuses)
    ]
    for name in consumers_behind(statuses):
        for upstream, seen in sorted(statuses[name]["watermarks"].items()):
            published = statuses[upstream]["relay_position"]
            if seen < published:
                parts.append(f"consumer {name} at {seen} of {upstream}'s {published}")
    return ", ".join(parts) or "the figures kept changing"
