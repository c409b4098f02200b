"""The base of the three services' applications: commands in, events stored, reactions tracked.

A command runs get -> act -> save. Idempotency comes twice: the domain
recognises a repeat of the same fact (same decision id, same session), and a
command_id leaves a receipt saved atomically with the command's effects.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property, partial
from typing import Any, ClassVar, Literal
from uuid import UUID

from eventsourcing.application import Application, ProjectorFunction, Repository, project_aggregate
from eventsourcing.domain import Aggregate, DomainEventProtocol, MutableOrImmutableAggregate
from eventsourcing.persistence import (
    ApplicationRecorder,
    Environment,
    EventStore,
    InfrastructureFactory,
    IntegrityError,
    JSONTranscoder,
    Recording,
    Tracking,
)

from shared.contracts.base import Command, PersonCommand, validate
from shared.contracts.envelope import Envelope
from shared.domain import PathwayAggregate, Provenance
from shared.errors import DuplicateConflict, FieldProblem, InvalidInput, PathwayError
from shared.eventstore.aggregate_loader import AggregateLoader
from shared.eventstore.positions import create_positions_table
from shared.eventstore.postgres import schema_creation_turn, with_connection_options
from shared.eventstore.read_log import create_read_log
from shared.eventstore.readmodel import KeptReadModels
from shared.eventstore.receipts import CommandReceipt
from shared.eventstore.settings import creates_tables
from shared.eventstore.snapshots import snapshot_interval
from shared.eventstore.transcodings import DateAsISO
from shared.eventstore.unit_of_work import UnitOfWork
from shared.links import records_of
from shared.people import resolve_reference
from shared.registry.commands import CommandHandlers, Context
from shared.registry.queries import Queries
from shared.registry.reactions import Cause, Reaction, Reactions

# Optimistic concurrency: a command that lost a race is run again on fresh state.
CONFLICT_RETRIES = 5


class ConcurrencyError(PathwayError):
    """Kept losing races for the same aggregates; the caller may try again (HTTP 503)."""

    status = 503


@dataclass(frozen=True)
class CommandResult:
    status: Literal["applied", "skipped"]
    result: dict[str, Any]

    def as_dict(self) -> dict[str, Any]:
        # The outcome and the result apart: a result may have a "status" of its own (a referral's).
        return {"status": self.status, "result": dict(self.result)}


# How a service reacts to one public event: the reaction run in a unit of work, not yet committed (the consumer
# commits it with the event's tracking record).
Policy = Callable[[Envelope, Any], UnitOfWork]


class PathwayApplication(Application[UUID]):
    """An eventsourcing application with commands, receipts and tracked reactions."""

    service: ClassVar[str]
    # The service's registry (shared/registry/): its command handlers, reactions and queries.
    handlers: ClassVar[CommandHandlers]
    reactions: ClassVar[Reactions]
    queries: ClassVar[Queries]
    # The jurisdiction's rules handlers and reactions apply (Context.rules, Cause.rules); None where there are none.
    rules: Any = None

    @property
    def commands(self) -> Mapping[str, type[Command]]:
        """Command name -> its contract, for every command this service handles."""
        return {contract.command: contract for contract in self.handlers}  # type: ignore[attr-defined]

    def construct_env(self, name: str, env: Mapping[str, str] | None = None) -> Environment:  # type: ignore[override]
        # Only the settings we were given: eventsourcing would otherwise let any
        # variable in os.environ override them, per application name.
        settings = {**type(self).env, **(env or {})}
        # eventsourcing makes its snapshot store (self.snapshots) only when told to (shared/eventstore/snapshots.py).
        settings["IS_SNAPSHOTTING_ENABLED"] = "y" if snapshot_interval(settings) else "n"
        return Environment(name, settings)

    def construct_factory(self, env: Environment) -> InfrastructureFactory:
        factory = super().construct_factory(env)
        if env.get("PERSISTENCE_MODULE") == "eventsourcing.postgres":
            with_connection_options(factory.datastore, env)  # type: ignore[attr-defined]
        return factory

    def construct_recorder(self) -> ApplicationRecorder:
        # A process recorder: the same store keeps the tracking records that make
        # reactions exactly-once, in the same transaction as their events. Beside it, the read log.
        if self.env.get("PERSISTENCE_MODULE") == "eventsourcing.postgres":
            if not creates_tables(self.env):  # a runtime role: its owner made the tables (pathway database setup)
                return self.factory.process_recorder()
            with schema_creation_turn(self.env):
                recorder = self.factory.process_recorder()
                _create_own_tables(recorder)
                return recorder
        recorder = self.factory.process_recorder()
        _create_own_tables(recorder)
        return recorder

    def construct_snapshot_store(self) -> EventStore[UUID]:
        # Its table is made as the others are: in turn on PostgreSQL, and not by a runtime role.
        if self.env.get("PERSISTENCE_MODULE") == "eventsourcing.postgres" and creates_tables(self.env):
            with schema_creation_turn(self.env):
                return super().construct_snapshot_store()
        return super().construct_snapshot_store()

    def construct_repository(self) -> Repository[UUID]:
        # eventsourcing's repository (app.repository.get) folds from the first event, as before snapshots: it
        # would fail on a snapshot it cannot use, where get_or_none passes it over.
        repository = super().construct_repository()
        repository.snapshot_store = None
        return repository

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())

    @cached_property
    def read_models(self) -> KeptReadModels:
        """The read models reports answer from, kept between queries (shared/eventstore/readmodel.py)."""
        return KeptReadModels(self)

    # --- commands --------------------------------------------------------

    def handle(self, name: str, data: Any, entered_by: str | None = None) -> CommandResult:
        """Validate a command given by name and apply it. `entered_by`: who entered a record that its actor recorded
        first (an importer migrating history), kept beside the actor in every event the command causes."""
        return self.execute(self.command_of(name, data), entered_by)

    def command_of(self, name: str, data: Any) -> Command:
        """The command of this name, validated from its data (InvalidInput naming each problem)."""
        model = self.commands.get(name)
        if model is None:
            known = ", ".join(sorted(self.commands))
            raise InvalidInput([FieldProblem("command", f"unknown command for {self.service} (known: {known})")])
        return validate(model, data)

    def execute(self, command: Command, entered_by: str | None = None) -> CommandResult:
        for _ in range(CONFLICT_RETRIES):
            try:
                return self._execute_once(command, entered_by)
            except IntegrityError:
                continue  # another writer got there first: re-read and decide again
        raise ConcurrencyError(f"{command.command}: too many concurrent changes, try again")

    def _execute_once(self, command: Command, entered_by: str | None = None) -> CommandResult:
        uow = UnitOfWork(self)
        outcome = self.apply_in(uow, command, entered_by)
        if outcome.status == "applied":
            uow.commit()
        return outcome

    def apply_in(self, uow: UnitOfWork, command: Command, entered_by: str | None = None) -> CommandResult:
        """Decide a command in a unit of work, its receipt added there, nothing committed: one command's own, or
        a batch's (shared/eventstore/batch.py), where it sees the effects of the lines before it."""
        # Resolved through a view that keeps nothing in the save order, so that what the handler loads first is
        # saved first (and the sender's codes are noted beside the handler's first change, not a lookup's).
        person_id = (
            resolve_reference(uow.view(), command.person_id, command.national_id)
            if isinstance(command, PersonCommand)
            else None
        )
        fingerprint = command.fingerprint(person_id=person_id) if person_id else command.fingerprint()
        if command.command_id is not None:
            receipt = uow.view().get_or_none(CommandReceipt.id_for(self.service, command.command_id))
            if receipt is not None:
                return self._repeat_of(receipt, command, fingerprint)
        actor = command.actor.model_dump()
        if entered_by is not None and entered_by != actor["id"]:
            actor["entered_by"] = entered_by
        by = Provenance(actor=actor, causation_id=command.command_id)
        ctx = Context(self.service, by, person_id, self.rules)
        before = {id(a): len(a.pending_events) for a in uow.changed()}
        result = _plain(self.handlers[type(command)](command, uow, ctx))
        changed = [a for a in uow.changed() if len(a.pending_events) > before.get(id(a), 0)]
        if not changed:
            return CommandResult("skipped", result)
        first_change: Any = changed[0].pending_events[before.get(id(changed[0]), 0)]
        occurred_at = first_change.occurred_at  # business time: what a receipt is dated with
        if command.source_codes:
            _note_source_codes(command, changed, person_id, by, occurred_at)
        if command.command_id is not None:
            uow.add(
                CommandReceipt.issue(
                    self.service, command.command, command.command_id, fingerprint, result, by, occurred_at
                )
            )
        return CommandResult("applied", result)

    def commands_across_people(self) -> frozenset[str]:
        """The commands whose outcome can depend on reactions about other people (an importer waits longer)."""
        return self.handlers.across_people()

    @staticmethod
    def _repeat_of(receipt: CommandReceipt, command: Command, fingerprint: str) -> CommandResult:
        if receipt.command != command.command or receipt.fingerprint != fingerprint:
            raise DuplicateConflict("command_id: already used for a different command")
        return CommandResult("skipped", dict(receipt.result))

    def person_stream_ids(self, person_id: UUID) -> list[UUID]:
        """The aggregates holding this person's history here, with those of records merged into theirs."""
        return [stream for record in records_of(self.get_or_none, person_id) for stream in self.own_streams(record)]

    def own_streams(self, person_id: UUID) -> list[UUID]:
        """The aggregates holding one person record's history in this store (its own, by default)."""
        return [person_id]

    def get_or_none(self, aggregate_id: UUID) -> Any:
        """The aggregate, or None if it was never created: from its latest usable snapshot and the events after
        it, folded directly (shared/eventstore/aggregate_loader.py)."""
        return self.loader.load(aggregate_id)

    @cached_property
    def loader(self) -> AggregateLoader:
        return AggregateLoader(self.events, self.snapshots, snapshot_interval(self.env))

    # --- snapshots -------------------------------------------------------

    def save(
        self, *objs: MutableOrImmutableAggregate[UUID] | DomainEventProtocol[UUID] | None, **kwargs: Any
    ) -> list[Recording[UUID]]:
        recordings = super().save(*objs, **kwargs)
        self.loader.take_due(recordings)  # after the save's transaction: a snapshot lost costs time, never a fact
        return recordings

    def take_snapshot(
        self,
        aggregate_id: UUID,
        version: int | None = None,
        projector_func: ProjectorFunction[Any, Any] = project_aggregate,  # eventsourcing's; we fold as get_or_none
    ) -> None:
        """Snapshot the aggregate as its stored events make it (at `version`, or now)."""
        self.loader.take(aggregate_id, version)

    # --- reactions -------------------------------------------------------

    def policies(self) -> Mapping[str, Policy]:
        """Public event type -> how this service reacts to it (from its reactions table)."""
        return {event_type: partial(self._react, reaction) for event_type, reaction in self.reactions.items()}

    def _react(self, reaction: Reaction, envelope: Envelope, event: Any) -> UnitOfWork:
        uow = UnitOfWork(self)
        reaction(event, uow, Cause(envelope, self.reaction_provenance(envelope), self.rules))
        return uow

    @property
    def reaction_outputs(self) -> Mapping[str, frozenset[str]]:
        """Public event type consumed -> public event types the reaction to it may publish: what an importer
        reads to tell which lines depend on which reactions."""
        return self.reactions.outputs()

    def save_tracked(self, aggregates: Iterable[Aggregate], tracking: Tracking | None) -> None:
        """Save new events, and the tracking record of their cause if any, in one transaction."""
        if tracking is None:
            self.save(*aggregates)
            return
        events = [event for aggregate in aggregates for event in aggregate.collect_events()]
        self.loader.take_due(self.events.put(events, tracking=tracking))

    def reaction_provenance(self, envelope: Envelope) -> Provenance:
        """A reaction is done by this service, on behalf of the cause's agency, in its chain."""
        actor = {"id": f"{self.service}-service", "role": "system", "agency": envelope.actor.agency}
        return Provenance(actor=actor, correlation_id=envelope.correlation_id, causation_id=str(envelope.event_id))


def _note_source_codes(
    command: Command, changed: Sequence[Aggregate], person_id: UUID | None, by: Provenance, occurred_at: datetime
) -> None:
    """The sender's codes beside the first change, in the same save: published with it, replayed with it."""
    noted = next((a for a in changed if isinstance(a, PathwayAggregate) and a.pending_events), None)
    if noted is not None and command.source_codes:
        noted.note_source_codes(command.command, command.source_codes, person_id, by, occurred_at)


def _create_own_tables(recorder: ApplicationRecorder) -> None:
    """The tables kept beside eventsourcing's own: the read log, and the kept positions."""
    create_read_log(recorder)
    create_positions_table(recorder)


def _plain(result: dict[str, Any]) -> dict[str, Any]:
    return {key: str(value) if isinstance(value, UUID) else value for key, value in result.items()}
