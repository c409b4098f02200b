"""`pathway status`: how far each service has got, for operators.

For each service: its store's head (the last event recorded), how many of those its relay has yet
to publish, how much of its upstreams' output its consumer has yet to handle, and how many
subjects have messages set aside as dead letters. A service that does not answer is reported as
such, and the command then exits 1, so a script or a monitor can act on it.

Consumer backlog is counted differently per mode, each from what that mode can see without a
privileged view of the broker: embedded, the messages waiting in the service's queue; distributed,
per upstream, its relay's position less the last watermark this consumer has handled (store
positions: they count the upstream's events this consumer ignores too).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from pathway.embedded import EmbeddedSystem
from shared.eventstore.reading import head
from shared.messaging.topology import queue_name


@dataclass(frozen=True)
class ServiceStatus:
    service: str
    reachable: bool
    head: int | None = None
    unpublished: int | None = None  # recorded, not yet published by the relay
    unhandled: int | None = None  # upstream output this service's consumer has yet to handle
    dead_letters: int | None = None  # subjects with messages set aside

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def embedded_statuses(system: EmbeddedSystem) -> list[ServiceStatus]:
    """Read off the stores and the local bus, without pumping or draining anything."""
    statuses = []
    for name, app in system.apps.items():
        recorded = head(app)
        statuses.append(
            ServiceStatus(
                service=name,
                reachable=True,
                head=recorded,
                unpublished=recorded - system.relays[name].position(),
                unhandled=system.bus.depth(queue_name(name)),
                dead_letters=system.consumers[name].dead_letter_count(),
            )
        )
    return statuses


def remote_statuses(answers: Mapping[str, dict[str, Any] | None]) -> list[ServiceStatus]:
    """From each service's `status()` over RPC; None where the service did not answer."""
    published = {name: answer["relay_position"] for name, answer in answers.items() if answer is not None}
    statuses = []
    for name, answer in answers.items():
        if answer is None:
            statuses.append(ServiceStatus(service=name, reachable=False))
            continue
        behind = [
            published[upstream] - seen
            for upstream, seen in answer["watermarks"].items()
            if upstream in published  # an upstream that did not answer: its backlog is unknown
        ]
        statuses.append(
            ServiceStatus(
                service=name,
                reachable=True,
                head=answer["head"],
                unpublished=answer["head"] - answer["relay_position"],
                unhandled=sum(max(0, lag) for lag in behind),
                dead_letters=answer["dead_letters"],
            )
        )
    return statuses


def status_json(statuses: list[ServiceStatus]) -> str:
    return json.dumps([status.as_dict() for status in statuses], indent=2) + "\n"


def status_table(statuses: list[ServiceStatus]) -> str:
    lines = [f"{'service':<12} {'events':>8} {'unpublished':>12} {'unhandled':>10} {'dead letters':>13}"]
    for status in statuses:
        if not status.reachable:
            lines.append(f"{status.service:<12} did not answer")
            continue
        lines.append(
            f"{status.service:<12} {status.head:>8} {status.unpublished:>12} {status.unhandled:>10} "
            f"{status.dead_letters:>13}"
        )
    troubles = [s.service for s in statuses if s.reachable and s.dead_letters]
    if troubles:
        lines.append(f"dead letters waiting in: {', '.join(troubles)} (see: pathway dead-letters list SERVICE)")
    return "\n".join(lines) + "\n"


def ask_services(remote: Any, names: list[str]) -> dict[str, dict[str, Any] | None]:
    """Each service's status over RPC, asked of all at once; None for one that did not answer in time."""
    from nameko.exceptions import RpcTimeout  # nameko brings eventlet: only in distributed mode

    pending = {name: remote.service(name).status.call_async() for name in names}
    answers: dict[str, dict[str, Any] | None] = {}
    for name, reply in pending.items():
        try:
            answers[name] = reply.result()
        except RpcTimeout:
            answers[name] = None
    return answers
