"""The base of the three services' applications: commands in, events stored, reactions tracked.

A command runs get -> act -> save. Idempotency comes twice: the domain
recognises a repeat of the same fact (same decision id, same session), and a
command_id leaves a receipt saved atomically with the command's effects.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any, ClassVar, Literal
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import (
    ApplicationRecorder,
    Environment,
    IntegrityError,
    JSONTranscoder,
    Tracking,
)

from shared.contracts.base import Command, NationalId, PersonCommand, validate
from shared.contracts.envelope import Envelope
from shared.contracts.events import IdentifierAdded, PersonsMerged, PersonsUnmerged
from shared.domain import PathwayAggregate, Provenance
from shared.errors import DuplicateConflict, FieldProblem, InvalidInput, NotFound, PathwayError
from shared.eventstore.postgres import schema_creation_turn
from shared.eventstore.read_log import create_read_log
from shared.eventstore.readmodel import KeptReadModels
from shared.eventstore.receipts import CommandReceipt
from shared.eventstore.transcodings import DateAsISO
from shared.identifiers import KnownIdentifier
from shared.links import merge, records_of, survivor_of, unmerge

# Optimistic concurrency: a command that lost a race is run again on fresh state.
CONFLICT_RETRIES = 5


class ConcurrencyError(PathwayError):
    """Kept losing races for the same aggregates; the caller may try again (HTTP 503)."""

    status = 503


@dataclass(frozen=True)
class Context:
    """What a command handler is given besides its command."""

    by: Provenance
    person_id: UUID | None = None


@dataclass
class Outcome:
    """What a command handler or a policy returns: a result and the aggregates it changed."""

    result: dict[str, Any] = field(default_factory=dict)
    changed: list[Aggregate] = field(default_factory=list)

    def has_changes(self) -> bool:
        return any(aggregate.pending_events for aggregate in self.changed)


@dataclass(frozen=True)
class CommandResult:
    status: Literal["applied", "skipped"]
    result: dict[str, Any]

    def as_dict(self) -> dict[str, Any]:
        # The outcome and the result apart: a result may have a "status" of its own (a referral's).
        return {"status": self.status, "result": dict(self.result)}


Policy = Callable[[Envelope, Any], Outcome]


class PathwayApplication(Application[UUID]):
    """An eventsourcing application with commands, receipts and tracked reactions."""

    service: ClassVar[str]
    commands: ClassVar[Mapping[str, type[Command]]] = {}

    def construct_env(self, name: str, env: Mapping[str, str] | None = None) -> Environment:  # type: ignore[override]
        # Only the settings we were given: eventsourcing would otherwise let any
        # variable in os.environ override them, per application name.
        return Environment(name, {**type(self).env, **(env or {})})

    def construct_recorder(self) -> ApplicationRecorder:
        # A process recorder: the same store keeps the tracking records that make
        # reactions exactly-once, in the same transaction as their events. Beside it, the read log.
        if self.env.get("PERSISTENCE_MODULE") == "eventsourcing.postgres":
            with schema_creation_turn(self.env):
                recorder = self.factory.process_recorder()
                create_read_log(recorder)
                return recorder
        recorder = self.factory.process_recorder()
        create_read_log(recorder)
        return recorder

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())

    @cached_property
    def read_models(self) -> KeptReadModels:
        """The read models reports answer from, kept between queries (shared/eventstore/readmodel.py)."""
        return KeptReadModels(self)

    # --- commands --------------------------------------------------------

    def handle(self, name: str, data: Any) -> CommandResult:
        """Validate a command given by name and apply it."""
        model = self.commands.get(name)
        if model is None:
            known = ", ".join(sorted(self.commands))
            raise InvalidInput([FieldProblem("command", f"unknown command for {self.service} (known: {known})")])
        return self.execute(validate(model, data))

    def execute(self, command: Command) -> CommandResult:
        for _ in range(CONFLICT_RETRIES):
            try:
                return self._execute_once(command)
            except IntegrityError:
                continue  # another writer got there first: re-read and decide again
        raise ConcurrencyError(f"{command.command}: too many concurrent changes, try again")

    def _execute_once(self, command: Command) -> CommandResult:
        person_id = self.resolve_person(command) if isinstance(command, PersonCommand) else None
        fingerprint = command.fingerprint(person_id=person_id) if person_id else command.fingerprint()
        if command.command_id is not None:
            receipt = self.get_or_none(CommandReceipt.id_for(self.service, command.command_id))
            if receipt is not None:
                return self._repeat_of(receipt, command, fingerprint)
        by = Provenance(actor=command.actor.model_dump(), causation_id=command.command_id)
        outcome: Outcome = getattr(self, command.command)(command, Context(by, person_id))
        result = _plain(outcome.result)
        if not outcome.has_changes():
            return CommandResult("skipped", result)
        changed: list[Aggregate] = list(outcome.changed)
        first_event = next(e for a in changed for e in a.pending_events)
        if command.source_codes:
            _note_source_codes(command, changed, person_id, by, first_event.occurred_at)  # type: ignore[attr-defined]
        if command.command_id is not None:
            changed.append(
                CommandReceipt.issue(
                    self.service,
                    command.command,
                    command.command_id,
                    fingerprint,
                    result,
                    by,
                    first_event.occurred_at,  # type: ignore[attr-defined]
                )
            )
        self.save(*changed)
        return CommandResult("applied", result)

    @staticmethod
    def _repeat_of(receipt: CommandReceipt, command: Command, fingerprint: str) -> CommandResult:
        if receipt.command != command.command or receipt.fingerprint != fingerprint:
            raise DuplicateConflict("command_id: already used for a different command")
        return CommandResult("skipped", dict(receipt.result))

    def resolve_person(self, command: PersonCommand) -> UUID:
        """Our person id for a command that names the person by id or national identifier.

        A record merged into another resolves to the surviving one.
        """
        return self.resolve_reference(command.person_id, command.national_id)

    def resolve_reference(self, person_id: UUID | None, national_id: NationalId | None) -> UUID:
        """The same for a person named inside a command (e.g. each attendee of a session)."""
        return survivor_of(self.get_or_none, self._named_person(person_id, national_id))

    def _named_person(self, person_id: UUID | None, national_id: NationalId | None) -> UUID:
        if person_id is not None:
            return person_id
        assert national_id is not None  # the contract requires one of the two
        known = self.get_or_none(KnownIdentifier.id_for("national_id", national_id.issuer, national_id.value))
        if known is None:
            raise NotFound("national_id: no person is known by this identifier")
        return known.person_id

    def learn_national_id(
        self, issuer: str, value: str, person_id: UUID, by: Provenance, occurred_at: datetime
    ) -> list[KnownIdentifier]:
        """A new lookup record for a national identifier, or none if this store already knows it."""
        if self.get_or_none(KnownIdentifier.id_for("national_id", issuer, value)) is not None:
            return []
        return [KnownIdentifier.learn("national_id", issuer, value, person_id, by, occurred_at)]

    def person_stream_ids(self, person_id: UUID) -> list[UUID]:
        """The aggregates holding this person's history here, with those of records merged into theirs."""
        return [stream for record in records_of(self.get_or_none, person_id) for stream in self.own_streams(record)]

    def own_streams(self, person_id: UUID) -> list[UUID]:
        """The aggregates holding one person record's history in this store (its own, by default)."""
        return [person_id]

    def follow_merge(self, envelope: Envelope, survivor: UUID, merged: UUID, *, undo: bool = False) -> Outcome:
        """Honour intake's merge (or unmerge) of two person records: link them in this store too."""
        by, when = self.reaction_provenance(envelope), envelope.occurred_at
        return Outcome(changed=list((unmerge if undo else merge)(self.get_or_none, survivor, merged, by, when)))

    def get_or_none(self, aggregate_id: UUID) -> Any:
        """The aggregate, or None if it was never created.

        Folds the events directly: eventsourcing's repository asserts a runtime
        Protocol on every event, which costs more than the decoding itself.
        """
        aggregate = None
        for event in self.events.get(aggregate_id):
            aggregate = event.mutate(aggregate)  # type: ignore[attr-defined]
        return aggregate

    # --- reactions -------------------------------------------------------

    # Public event type consumed -> public event types the reaction to it may publish.
    # Declared so that an importer can tell which lines depend on which reactions;
    # a test checks every reaction stays within what its service declares.
    reaction_outputs: ClassVar[Mapping[str, frozenset[str]]] = {}

    def policies(self) -> Mapping[str, Policy]:
        """Public event type -> how this service reacts to it. None by default."""
        return {}

    def identity_policies(self) -> dict[str, Policy]:
        """Following intake's identities, as every service naming people does: a further national identifier
        names the person in commands here too, and merges and unmerges link the records here too."""

        def on_intake_identifier_added(envelope: Envelope, event: IdentifierAdded) -> Outcome:
            if event.kind != "national_id":
                return Outcome()  # only national identifiers name people in commands
            by, when = self.reaction_provenance(envelope), envelope.occurred_at
            return Outcome(changed=list(self.learn_national_id(event.issuer, event.value, event.person_id, by, when)))

        def on_intake_persons_merged(envelope: Envelope, event: PersonsMerged) -> Outcome:
            return self.follow_merge(envelope, event.person_id, event.merged_person_id)

        def on_intake_persons_unmerged(envelope: Envelope, event: PersonsUnmerged) -> Outcome:
            return self.follow_merge(envelope, event.person_id, event.merged_person_id, undo=True)

        return {
            IdentifierAdded.type: on_intake_identifier_added,
            PersonsMerged.type: on_intake_persons_merged,
            PersonsUnmerged.type: on_intake_persons_unmerged,
        }

    def save_tracked(self, aggregates: Sequence[Aggregate], tracking: Tracking) -> None:
        """Save new events and the tracking record of their cause in one transaction."""
        events = [event for aggregate in aggregates for event in aggregate.collect_events()]
        self.events.put(events, tracking=tracking)

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


def _plain(result: dict[str, Any]) -> dict[str, Any]:
    return {key: str(value) if isinstance(value, UUID) else value for key, value in result.items()}
