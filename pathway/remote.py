"""The running distributed system, seen from the command line over AMQP (nameko RPC).

The importer and the replay use this exactly as they use the embedded system.
Settling reads each service's status: the system has settled when every relay
has published its store's head and every consumer has handled its upstreams'
watermarks up to those positions, twice in a row with nothing moving.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from nameko.standalone.rpc import ClusterRpcProxy

from pathway.services import SERVICES
from shared.contracts.base import NationalId
from shared.errors import NotFound, PathwayError
from shared.eventstore.application import CommandResult
from shared.nameko_edge import raise_reply
from shared.reader import Reader


class SettleTimeout(PathwayError):
    """The system did not settle in time: a process is down or stuck."""

    status = 504


@dataclass
class RemoteSettleReport:
    rounds: int = 0
    dead_letters: dict[str, int] = field(default_factory=dict)
    dead_lettered: int = 0


class RemoteSystem:
    def __init__(self, amqp_uri: str, timeout: float = 30.0, settle_timeout: float = 120.0) -> None:
        self._proxy = ClusterRpcProxy({"AMQP_URI": amqp_uri}, timeout=timeout)
        self._rpc = self._proxy.start()
        self.settle_timeout = settle_timeout
        self._dead_letters_seen: dict[str, int] | None = None

    def close(self) -> None:
        self._proxy.stop()

    def __enter__(self) -> RemoteSystem:
        return self

    def __exit__(self, *_: Any) -> None:
        self.close()

    def service(self, name: str) -> Any:
        return getattr(self._rpc, name)

    def execute(self, service: str, command: str, data: Any) -> CommandResult:
        reply = self.service(service).execute(command, data)
        if not reply["ok"]:
            raise_reply(reply)
        result = dict(reply["result"])
        return CommandResult(result.pop("status"), result)

    def statuses(self) -> dict[str, dict[str, Any]]:
        """Every service's status, asked of the three at once."""
        pending = {name: self.service(name).status.call_async() for name in SERVICES}
        return {name: reply.result() for name, reply in pending.items()}

    def reaction_graph(self) -> dict[str, dict[str, list[str]]]:
        return {name: self.service(name).reactions() for name in SERVICES}

    @staticmethod
    def is_settled(statuses: dict[str, dict[str, Any]]) -> bool:
        for status in statuses.values():
            if status["relay_position"] < status["head"]:
                return False
        for status in statuses.values():
            for upstream, seen in status["watermarks"].items():
                if seen < statuses[upstream]["relay_position"]:
                    return False
        return True

    def settle(self) -> RemoteSettleReport:
        report = RemoteSettleReport()
        deadline = time.monotonic() + self.settle_timeout
        previous = None
        pause = 0.002
        while True:
            report.rounds += 1
            statuses = self.statuses()
            if self.is_settled(statuses):
                if statuses == previous:
                    break  # the same settled picture twice in a row: nothing is moving
                previous = statuses
                continue
            previous = None
            if time.monotonic() > deadline:
                raise SettleTimeout(
                    f"not settled after {self.settle_timeout:.0f}s: is every service, relay and consumer running?"
                )
            time.sleep(pause)
            pause = min(pause * 1.5, 0.1)
        counts = {name: s["dead_letters"] for name, s in statuses.items()}
        before = self._dead_letters_seen or counts  # those there before we started are not ours
        report.dead_letters = counts
        report.dead_lettered = sum(max(0, counts[n] - before.get(n, 0)) for n in counts)
        self._dead_letters_seen = counts
        return report

    # --- replay -------------------------------------------------------------

    def resolve(self, reference: UUID | NationalId) -> UUID:
        if isinstance(reference, UUID):
            return reference
        found = self.service("intake").resolve_person(reference.issuer, reference.value)
        if found is None:
            raise NotFound("PERSON: no person is known by this identifier")
        return UUID(found)


class RemoteSource:
    """One running service's part of a person's pathway, asked over RPC by a stated reader (the service records
    the read)."""

    def __init__(self, system: RemoteSystem, service: str, reader: Reader) -> None:
        self.system = system
        self.service = service
        self.reader = reader

    def entries(self, person_id: UUID) -> list[dict[str, Any]]:
        service = self.system.service(self.service)
        entries: list[dict[str, Any]] = service.person_events(str(person_id), **self.reader.as_rpc())
        return entries
