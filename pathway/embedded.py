"""The embedded system: three services in one process, SQLite stores, the local durable bus.

The same relay and tracked-consumer code as the distributed mode; only the
transport and the stores differ (`store_env` may put the stores on PostgreSQL, as the tests do to
run the same tests on both). Everything runs in the caller's thread, so a
run is deterministic: `settle()` pumps relays and drains queues until nothing
moves.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pathway.services import SERVICES
from shared.auth.principal import Principal
from shared.eventstore.application import CommandResult, PathwayApplication
from shared.eventstore.batch import BatchLine, LineOutcome, execute_batch
from shared.eventstore.reading import head
from shared.eventstore.receipts import CommandReceipt
from shared.eventstore.settings import sqlite_env
from shared.messaging.consumer import Handled, TrackedConsumer
from shared.messaging.localbus import LocalBus
from shared.messaging.relay import Relay
from shared.messaging.topology import queue_name
from shared.reader import Reader, local_user
from shared.registry.queries import ask
from shared.registry.roles import IMPORTER

log = logging.getLogger(__name__)


def local_principal() -> Principal:
    """Who the embedded system acts as: the local user ($PATHWAY_READER, else os:USER), holding the import role.
    The embedded mode has no identity provider and no edge: whoever runs it owns its stores, and every record it
    loads keeps the officer its import line names."""
    return Principal(subject=local_user(), agency=None, roles=frozenset({IMPORTER}), client_id=None)


def acting_as_line(principal: Principal) -> str:
    """What the embedded runner says about who it acts as."""
    roles = ", ".join(sorted(principal.roles))
    return f"acting as {principal.subject}, holding the {roles} role (embedded: no identity provider)"


class NotSettledError(RuntimeError):
    """The system kept moving past the limit: a reaction loop, most likely."""


@dataclass
class SettleReport:
    rounds: int = 0
    handled: Counter[str] = field(default_factory=Counter)

    @property
    def dead_lettered(self) -> int:
        return self.handled[Handled.DEAD_LETTERED.value]


class EmbeddedSystem:
    def __init__(
        self, data_dir: Path, batch_size: int = 200, store_env: Callable[[str], dict[str, str]] | None = None
    ) -> None:
        data_dir.mkdir(parents=True, exist_ok=True)
        self.data_dir = data_dir
        self.batch_size = batch_size
        env = store_env or (lambda service: sqlite_env(service, data_dir))
        self.apps: dict[str, PathwayApplication] = {name: parts.build(env(name)) for name, parts in SERVICES.items()}
        self.bus = LocalBus(data_dir / "bus.sqlite")
        self.consumers = {name: TrackedConsumer(app) for name, app in self.apps.items()}
        self._service_of_queue = {queue_name(name): name for name in self.apps}
        # Every queue and its bindings exist before any relay publishes.
        for name, consumer in self.consumers.items():
            self.bus.declare(queue_name(name), consumer.bindings())
        self.relays = {name: Relay(app, SERVICES[name].translate, self.bus) for name, app in self.apps.items()}
        # Services whose stores may hold events their relay has not published. All of
        # them at start: a previous process may have stopped before publishing.
        self._unpublished: set[str] = set(self.apps)

    def close(self) -> None:
        self.bus.close()
        for app in self.apps.values():
            app.close()

    def __enter__(self) -> EmbeddedSystem:
        return self

    def __exit__(self, *_: Any) -> None:
        self.close()

    def execute(self, service: str, command: str, data: Any) -> CommandResult:
        result = self.apps[service].handle(command, data)
        if result.status == "applied":
            self._unpublished.add(service)
        return result

    def execute_batch(self, service: str, lines: Sequence[BatchLine]) -> list[LineOutcome]:
        """A batch of commands applied in one transaction, an outcome for each line (shared/eventstore/batch.py)."""
        outcomes = execute_batch(self.apps[service], lines)
        if any(outcome.position for outcome in outcomes):
            self._unpublished.add(service)
        return outcomes

    def catch_up(self, written: Mapping[str, int]) -> SettleReport:
        """Every reaction to what was written handled: here, where everything runs in this thread, a settle."""
        return self.settle()

    def query(self, service: str, name: str, params: Mapping[str, Any], reader: Reader | None = None) -> Any:
        """One of a service's queries, answered from its store (a read of a case recorded in its read log)."""
        app = self.apps[service]
        return ask(app, app.queries.named(name), params, reader, "store")

    def command_receipt(self, service: str, command_id: str) -> dict[str, Any] | None:
        """The receipt of a command applied with this command_id, or None: as `command_receipt` over RPC."""
        app = self.apps[service]
        receipt = app.get_or_none(CommandReceipt.id_for(service, command_id))
        return None if receipt is None else {"command": receipt.command, "result": dict(receipt.result)}

    def reaction_graph(self) -> dict[str, dict[str, list[str]]]:
        """For each service: public event type it reacts to -> types its reaction may publish."""
        return {name: {t: sorted(out) for t, out in app.reaction_outputs.items()} for name, app in self.apps.items()}

    def commands_across_people(self) -> set[str]:
        """The commands whose outcome can depend on reactions about other people, as their services declare."""
        return {name for app in self.apps.values() for name in app.commands_across_people()}

    def drain(self, service: str) -> Counter[str]:
        """Handle what waits in one service's queue; ack each batch after it is handled."""
        handled: Counter[str] = Counter()
        while deliveries := self.bus.fetch(queue_name(service), self.batch_size):
            for delivery in deliveries:
                handled[self.consumers[service].handle(delivery.body).value] += 1
            self.bus.ack([d.tag for d in deliveries])
        return handled

    def is_settled(self) -> bool:
        relays_done = all(relay.position() >= head(relay.app) for relay in self.relays.values())
        return relays_done and all(self.bus.depth(queue_name(name)) == 0 for name in self.consumers)

    def settle(self, max_rounds: int = 1000, *, everything: bool = False) -> SettleReport:
        """Pump and drain until every relay is at its head and every queue is empty.

        Only relays of services written to since they last published are pumped,
        and only queues holding messages are drained: settling an idle system
        costs one query.
        """
        report = SettleReport()
        if everything:  # after writes made behind this object's back (dead-letter replay, tests)
            self._unpublished.update(self.apps)
        while True:
            for name in sorted(self._unpublished):
                self.relays[name].pump()
            self._unpublished.clear()
            waiting = self.bus.queues_with_messages()
            if not waiting:
                break
            report.rounds += 1
            if report.rounds > max_rounds:
                raise NotSettledError(f"not settled after {max_rounds} rounds")
            for queue in waiting:
                service = self._service_of_queue[queue]
                handled = self.drain(service)
                report.handled.update(handled)
                if set(handled) - {Handled.DUPLICATE.value, Handled.IGNORED.value}:
                    self._unpublished.add(service)  # its reactions wrote new events
        if report.dead_lettered:
            log.warning("%d messages set aside as dead letters", report.dead_lettered)
        return report
