"""`pathway status`: how far each service has got, for operators.

For each service: its store's head (the last event recorded), how many of those its relay has yet
to publish, how much of its upstreams' output its consumer has yet to handle, how many
subjects have messages set aside as dead letters, and how many messages its consumer rejected as not
genuine (not published by the relay of the service they claim to come from). A service that does not
answer is reported as such, and the command then exits 1, so a script or a monitor can act on it.

In the distributed mode it also says whether each part of a service is doing its work: its relay holds
the store's leadership lock, its consumer is attached to its events queue, and commands waiting in its
inbox's queue have a consumer. Each problem names the queue or lock and the process missing, and the command
then exits 1 too (shared/service_health.py).

Consumer backlog is counted differently per mode, each from what that mode can see without a
privileged view of the broker: embedded, the messages waiting in the service's queue; distributed,
per upstream, its relay's position less the last watermark this consumer has handled (store
positions: they count the upstream's events this consumer ignores too).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from typing import Any

from pathway.embedded import EmbeddedSystem
from pathway.services import SERVICES
from shared.eventstore.reading import head
from shared.messaging.amqp import DEAD_LETTER_QUEUE
from shared.messaging.command_inbox import REJECTED_QUEUE
from shared.messaging.queues import QueueState, commands_queue, events_queue, queue_states
from shared.messaging.topology import queue_name
from shared.service_health import ServiceFacts, problems_of


@dataclass(frozen=True)
class ServiceStatus:
    service: str
    reachable: bool
    head: int | None = None
    unpublished: int | None = None  # recorded, not yet published by the relay
    unhandled: int | None = None  # upstream output this service's consumer has yet to handle
    dead_letters: int | None = None  # subjects with messages set aside
    rejected_messages: int | None = None  # rejected as not genuine (None: a service that does not count them)
    commands_waiting: int | None = None  # in its AMQP command inbox's queue (distributed mode only)
    problems: tuple[str, ...] = ()  # parts not doing their work (distributed mode only)

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "problems": list(self.problems)}

    @property
    def healthy(self) -> bool:
        return self.reachable and not self.problems


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
                rejected_messages=system.consumers[name].rejected_count(),
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
                rejected_messages=answer.get("rejected_messages"),
            )
        )
    return statuses


def with_processes(
    statuses: list[ServiceStatus],
    answers: Mapping[str, dict[str, Any] | None],
    queues: Mapping[str, QueueState | None],
) -> list[ServiceStatus]:
    """The statuses with each service's command-inbox backlog and what keeps any part of it from working.

    `queues` holds, per service, its events queue under "SERVICE" and its commands queue under
    "SERVICE.commands" (None where a queue does not exist yet).
    """
    checked = []
    for status in statuses:
        name, answer = status.service, answers.get(status.service)
        commands = queues.get(f"{name}.commands")
        problems = [f"{name}: did not answer (is `pathway serve {name}` running?)"] if answer is None else []
        if answer is not None:
            facts = ServiceFacts(
                service=name,
                reacts=bool(answer["upstreams"]),
                relay_running=answer.get("relay_running"),
                events=queues.get(name),
                commands=commands,
            )
            problems += problems_of(facts)
        checked.append(
            replace(
                status,
                commands_waiting=commands.messages if commands is not None else None,
                problems=tuple(problems),
            )
        )
    return checked


def distributed_statuses(remote: Any, amqp_uri: str) -> tuple[list[ServiceStatus], int | None]:
    """Every service's status over RPC and its queues from the broker; and the rejected commands waiting."""
    names = sorted(SERVICES)
    answers = ask_services(remote, names)
    queue_names = {name: events_queue(name) for name in names}
    queue_names.update({f"{name}.commands": commands_queue(name) for name in names})
    queues = queue_states(amqp_uri, {**queue_names, "rejected": REJECTED_QUEUE})
    rejected = queues.pop("rejected")
    return with_processes(remote_statuses(answers), answers, queues), rejected.messages if rejected else 0


def status_json(statuses: list[ServiceStatus], rejected_commands: int | None = None) -> str:
    """`rejected_commands`: waiting in the rejected-commands queue (null in the embedded mode, which has none)."""
    rows = [status.as_dict() for status in statuses]
    return json.dumps({"services": rows, "rejected_commands": rejected_commands}, indent=2) + "\n"


def status_table(statuses: list[ServiceStatus], rejected_commands: int | None = None) -> str:
    header = f"{'service':<12} {'events':>8} {'unpublished':>12} {'unhandled':>10} {'dead letters':>13}"
    inboxes = rejected_commands is not None
    lines = [header + (f" {'commands waiting':>17}" if inboxes else "")]
    for status in statuses:
        if not status.reachable:
            lines.append(f"{status.service:<12} did not answer")  # named again under the problems
            continue
        line = (
            f"{status.service:<12} {status.head:>8} {status.unpublished:>12} {status.unhandled:>10} "
            f"{status.dead_letters:>13}"
        )
        if inboxes:
            line += f" {'-' if status.commands_waiting is None else status.commands_waiting:>17}"
        lines.append(line)
    lines.extend(f"problem: {problem}" for status in statuses for problem in status.problems)
    troubles = [s.service for s in statuses if s.reachable and s.dead_letters]
    if troubles:
        lines.append(f"dead letters waiting in: {', '.join(troubles)} (see: pathway dead-letters list SERVICE)")
    forged = [f"{s.service} {s.rejected_messages}" for s in statuses if s.reachable and s.rejected_messages]
    if forged:
        lines.append(
            f"rejected as not genuine: {', '.join(forged)} (not published by their source's relay; reasons in the "
            f"consumers' logs, copies on queue {DEAD_LETTER_QUEUE})"
        )
    if rejected_commands:
        lines.append(f"rejected commands waiting: {rejected_commands} (queue {REJECTED_QUEUE}: read, correct, resend)")
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
