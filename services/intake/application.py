"""Intake's application: register, record court decisions, admit."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

from services.intake.domain.errors import DecisionConflictError, PersonNotFoundError
from services.intake.domain.facility import Facility
from services.intake.domain.person import Person
from services.intake.policies import intake_policies
from services.intake.population import FacilityFigures, Population
from shared.contracts.base import person_id_for
from shared.contracts.commands import COMMANDS, Admit, DeclareFacility, RecordCourtDecision, RegisterPerson
from shared.eventstore.application import Context, Outcome, PathwayApplication, Policy
from shared.identifiers import KnownIdentifier


class Intake(PathwayApplication):
    service = "intake"
    commands = COMMANDS["intake"]
    reaction_outputs = {"release.person.released": frozenset()}

    def register_person(self, command: RegisterPerson, ctx: Context) -> Outcome:
        person_id = person_id_for(command.national_id)
        details = command.model_dump(include={"national_id", "given_name", "family_name", "date_of_birth", "sex"})
        existing: Person | None = self.get_or_none(person_id)
        if existing is not None:
            existing.check_same_registration(details)
            return Outcome({"person_id": person_id})
        person = Person.register(person_id, details, ctx.by)
        identifier = KnownIdentifier.learn(
            "national_id",
            command.national_id.issuer,
            command.national_id.value,
            person_id,
            ctx.by,
            person.created_on,
        )
        return Outcome({"person_id": person_id}, [person, identifier])

    def record_court_decision(self, command: RecordCourtDecision, ctx: Context) -> Outcome:
        person = self.person(ctx.person_id)
        decision = command.model_dump(
            include={
                "decision_id",
                "decided_on",
                "court",
                "kind",
                "offence",
                "sentence_days",
                "measure",
                "measure_days",
            }
        )
        changed: list[Any] = [person]
        key = self.get_or_none(KnownIdentifier.id_for("court_decision", "court", command.decision_id))
        if key is not None and key.person_id != person.id:
            raise DecisionConflictError("decision_id: already recorded for another person")
        person.record_court_decision(decision, ctx.by)
        if key is None and person.pending_events:
            changed.append(
                KnownIdentifier.learn(
                    "court_decision",
                    "court",
                    command.decision_id,
                    person.id,
                    ctx.by,
                    person.pending_events[-1].occurred_at,  # type: ignore[attr-defined]
                )
            )
        return Outcome({"person_id": person.id, "decision_id": command.decision_id}, changed)

    def admit(self, command: Admit, ctx: Context) -> Outcome:
        person = self.person(ctx.person_id)
        person.admit(command.facility, command.admitted_at, ctx.by)
        return Outcome({"person_id": person.id}, [person])

    def declare_facility(self, command: DeclareFacility, ctx: Context) -> Outcome:
        now = datetime.now(UTC)
        facility: Facility | None = self.get_or_none(Facility.id_for(command.facility))
        if facility is None:
            facility = Facility.declare(
                command.facility, command.name, command.capacity, command.effective_on, ctx.by, now
            )
        else:
            facility.redeclare(command.name, command.capacity, command.effective_on, ctx.by, now)
        return Outcome({"facility": command.facility}, [facility])

    # --- queries ---------------------------------------------------------

    def occupancy(self, on: date) -> list[FacilityFigures]:
        """Occupancy, overcrowding and pre-trial detention per facility on a date, rebuilt from the events."""
        return Population.from_store(self).on(on)

    def person(self, person_id: UUID | None) -> Person:
        person: Person | None = self.get_or_none(person_id) if person_id else None
        if person is None:
            raise PersonNotFoundError("person_id: unknown person")
        return person

    def policies(self) -> Mapping[str, Policy]:
        return intake_policies(self)
