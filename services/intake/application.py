"""Intake's application: register, record court decisions, admit."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

from services.intake.classification import ClassificationDesk
from services.intake.domain.classification import Classification
from services.intake.domain.errors import DecisionConflictError, MergeError, PersonNotFoundError
from services.intake.domain.facility import Facility
from services.intake.domain.person import Person
from services.intake.domain.unit import Unit
from services.intake.occupancy_trend import trend_days
from services.intake.policies import intake_policies
from services.intake.population import FacilityFigures, Population
from shared.contracts.base import NationalId, person_id_for
from shared.contracts.commands import (
    COMMANDS,
    AddIdentifier,
    Admit,
    ChangeLegalStatus,
    DeclareFacility,
    MergePersons,
    Place,
    RecordAdmissionInError,
    RecordCourtDecision,
    RecordNonAssociation,
    RecordReturn,
    RecordSentenceAdjustment,
    RecordTemporaryAbsence,
    RegisterPerson,
    ReviewPretrialDetention,
    Transfer,
    UnmergePersons,
)
from shared.domain import Provenance, start_of_day
from shared.errors import FieldProblem, InvalidInput, NotFound
from shared.eventstore.application import Context, Outcome, PathwayApplication, Policy
from shared.identifiers import KnownIdentifier
from shared.links import merge, records_of, survivor_of, unmerge


class Intake(ClassificationDesk, PathwayApplication):
    service = "intake"
    commands = COMMANDS["intake"]
    reaction_outputs = {
        "release.person.released": frozenset(),
        "release.release.recorded-in-error": frozenset(),  # custody restored: private
        "release.recall.executed": frozenset(
            {"intake.person.admitted", "intake.admission.recorded", "intake.legal-status.changed"}
        ),
    }

    def own_streams(self, person_id: UUID) -> list[UUID]:
        """The person's own stream and their classification record."""
        return [person_id, Classification.id_for(person_id)]

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
        others = self._identifiers_learned(person, command.identifiers or [], ctx.by)
        return Outcome({"person_id": person_id}, [person, identifier, *others])

    def _identifiers_learned(self, person: Person, identifiers: list[Any], by: Provenance) -> list[Any]:
        """Record the further identifiers; one already known for someone else is a possible match."""
        learned: list[Any] = []
        matches: dict[UUID, list[str]] = {}
        for given in identifiers:
            known = self.get_or_none(KnownIdentifier.id_for(given.kind, given.issuer, given.value))
            if known is None:
                learned.append(
                    KnownIdentifier.learn(given.kind, given.issuer, given.value, person.id, by, person.created_on)
                )
            elif known.person_id != person.id:
                matches.setdefault(known.person_id, []).append(given.kind)
        for candidate, kinds in sorted(matches.items(), key=lambda item: str(item[0])):
            person.record_possible_match(candidate, kinds, by, person.created_on)
        return learned

    def add_identifier(self, command: AddIdentifier, ctx: Context) -> Outcome:
        """Attach another identifier; one already held by someone else is recorded as a possible match instead."""
        person = self.person(ctx.person_id)
        given = command.identifier
        known = self.get_or_none(KnownIdentifier.id_for(given.kind, given.issuer, given.value))
        now = datetime.now(UTC)
        changed: list[Any] = [person]
        if known is None:
            person.add_identifier(given.kind, given.issuer, given.value, ctx.by, now)
            changed.append(KnownIdentifier.learn(given.kind, given.issuer, given.value, person.id, ctx.by, now))
        elif known.person_id != person.id and known.person_id not in person.possible_matches:
            person.record_possible_match(known.person_id, [given.kind], ctx.by, now)
        return Outcome({"person_id": person.id}, changed)

    def merge_persons(self, command: MergePersons, ctx: Context) -> Outcome:
        """Merge a duplicate record into the one that survives; each keeps its own history."""
        survivor, merged = self._merge_pair(command, ctx)
        now = datetime.now(UTC)
        links = merge(self.get_or_none, survivor.id, merged.id, ctx.by, now)
        if links:
            survivor.record_merge(merged.id, command.reason, ctx.by, now)
        return Outcome({"person_id": survivor.id, "merged_person_id": merged.id}, [survivor, *links])

    def unmerge_persons(self, command: UnmergePersons, ctx: Context) -> Outcome:
        survivor = self.person(ctx.person_id)
        merged = self.person(command.merged_person_id)
        now = datetime.now(UTC)
        links = unmerge(self.get_or_none, survivor.id, merged.id, ctx.by, now)
        if not links and survivor_of(self.get_or_none, merged.id) != survivor.id:
            raise MergeError("unmerge refused: merged_person_id is not merged into this person")
        if links:
            survivor.record_unmerge(merged.id, command.reason, ctx.by, now)
        return Outcome({"person_id": survivor.id, "merged_person_id": merged.id}, [survivor, *links])

    def _merge_pair(self, command: MergePersons, ctx: Context) -> tuple[Person, Person]:
        survivor = self.person(ctx.person_id)
        merged = self.person(command.merged_person_id)
        if survivor.id == merged.id:
            raise MergeError("merge refused: a record cannot be merged into itself")
        current = survivor_of(self.get_or_none, merged.id)
        if current not in (merged.id, survivor.id):
            raise MergeError("merge refused: merged_person_id is already merged into another record")
        if merged.id in records_of(self.get_or_none, survivor.id)[1:] and current != survivor.id:
            raise MergeError("merge refused: the records are already linked the other way")
        return survivor, merged

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
                "time_limit_days",
                "review_interval_days",
                "consecutive_to",
            }
        )
        placement = person.placement
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
        changed += self.units_left(person, placement, ctx.by)
        return Outcome({"person_id": person.id, "decision_id": command.decision_id}, changed)

    def record_sentence_adjustment(self, command: RecordSentenceAdjustment, ctx: Context) -> Outcome:
        person = self.person(ctx.person_id)
        adjustment = command.model_dump(include={"adjustment_id", "decision_id", "kind", "days", "recorded_on"})
        person.record_sentence_adjustment(adjustment, ctx.by)
        return Outcome({"person_id": person.id, "adjustment_id": command.adjustment_id}, [person])

    def admit(self, command: Admit, ctx: Context) -> Outcome:
        person = self.person(ctx.person_id)
        person.admit(command.facility, command.admitted_at, ctx.by, command.admission_record())
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

    def record_admission_in_error(self, command: RecordAdmissionInError, ctx: Context) -> Outcome:
        person = self.person(ctx.person_id)
        placement = person.placement
        person.record_admission_in_error(command.facility, command.admitted_at, command.reason, ctx.by)
        return Outcome({"person_id": person.id}, [person, *self.units_left(person, placement, ctx.by)])

    def transfer(self, command: Transfer, ctx: Context) -> Outcome:
        person = self.person(ctx.person_id)
        placement = person.placement
        person.transfer(
            command.transfer_id, command.to_facility, command.transferred_at, command.reason,
            command.family_notified, ctx.by,
        )  # fmt: skip
        return Outcome({"person_id": person.id}, [person, *self.units_left(person, placement, ctx.by)])

    def record_temporary_absence(self, command: RecordTemporaryAbsence, ctx: Context) -> Outcome:
        person = self.person(ctx.person_id)
        person.leave(command.absence_id, command.kind, command.left_at, command.expected_back_on, ctx.by)
        return Outcome({"person_id": person.id, "absence_id": command.absence_id}, [person])

    def record_return(self, command: RecordReturn, ctx: Context) -> Outcome:
        person = self.person(ctx.person_id)
        person.come_back(command.absence_id, command.returned_at, ctx.by)
        return Outcome({"person_id": person.id, "absence_id": command.absence_id}, [person])

    def change_legal_status(self, command: ChangeLegalStatus, ctx: Context) -> Outcome:
        person = self.person(ctx.person_id)
        placement = person.placement
        person.change_legal_status(command.status, command.effective_on, command.reason, ctx.by)
        return Outcome({"person_id": person.id}, [person, *self.units_left(person, placement, ctx.by)])

    def place(self, command: Place, ctx: Context) -> Outcome:
        """Allocate to a unit; refused if it would put together people kept apart (men and women, children and
        adults, untried and convicted, civil and criminal: Mandela 11)."""
        person = self.person(ctx.person_id)
        placement = person.placement
        key = person.separation_key(command.placed_on)
        unit: Unit = self.get_or_none(Unit.id_for(command.facility, command.unit)) or Unit.open(
            command.facility, command.unit, ctx.by, datetime.now(UTC)
        )
        if not person.place(command.facility, command.unit, command.placed_on, ctx.by):
            return Outcome({"person_id": person.id})
        person.check_non_associations(command.facility, command.unit, unit.occupants)
        unit.enter(person.id, key, ctx.by, start_of_day(command.placed_on))
        left = [u for u in self.units_left(person, placement, ctx.by, moving=True) if u.id != unit.id]
        return Outcome({"person_id": person.id}, [person, unit, *left])

    def record_non_association(self, command: RecordNonAssociation, ctx: Context) -> Outcome:
        """Recorded on both people, so that placing either one checks it."""
        person = self.person(ctx.person_id)
        other = self.other_person(command.other_person_id, command.other_national_id)
        if other.id == person.id:
            raise InvalidInput([FieldProblem("other_person_id", "names the same person")])
        on, reason, by = command.recorded_on, command.reason, ctx.by
        pairs = ((person, other), (other, person))
        changed: list[Any] = [one for one, another in pairs if one.record_non_association(another.id, reason, on, by)]
        return Outcome({"person_id": person.id}, changed)

    def other_person(self, person_id: UUID | None, national_id: NationalId | None) -> Person:
        """The second person a command names, its errors naming its own fields."""
        try:
            return self.person(self.resolve_reference(person_id, national_id))
        except NotFound:
            field = "other_person_id" if person_id is not None else "other_national_id"
            raise PersonNotFoundError(f"{field}: unknown person") from None

    def review_pretrial_detention(self, command: ReviewPretrialDetention, ctx: Context) -> Outcome:
        person = self.person(ctx.person_id)
        person.review_pretrial_detention(
            command.review_id, command.decision_id, command.reviewed_on, command.outcome,
            command.next_review_on, command.reason, ctx.by,
        )  # fmt: skip
        return Outcome({"person_id": person.id, "review_id": command.review_id}, [person])

    def units_left(
        self, person: Person, placement: dict[str, str] | None, by: Provenance, *, moving: bool = False
    ) -> list[Unit]:
        """The unit a person was placed in, once the person is no longer placed there."""
        if placement is None or (person.placement == placement and not moving):
            return []
        unit: Unit | None = self.get_or_none(Unit.id_for(placement["facility"], placement["unit"]))
        if unit is None:
            return []
        reason = "moved" if person.placement else "placement ended"
        unit.leave(person.id, reason, by, datetime.now(UTC))
        return [unit]

    # --- queries ---------------------------------------------------------

    def occupancy(self, on: date) -> list[FacilityFigures]:
        """Occupancy, overcrowding and pre-trial detention per facility on a date, rebuilt from the events."""
        return self.read_models.answer(Population, lambda population: population.on(on))

    def occupancy_trend(self, start: date, end: date, every_days: int = 7) -> list[dict[str, Any]]:
        """Occupancy per facility on every `every_days`-th day from `start` to `end` (Mandela 10: the trend, not
        one day); each row a facility's figures on a day, `on` first. At most `MAX_TREND_POINTS` days."""
        days = trend_days(start, end, every_days)
        return self.read_models.answer(
            Population,
            lambda population: [
                {"on": day.isoformat(), **figures.as_dict()} for day in days for figures in population.on(day)
            ],
        )

    def pretrial_alerts(self, on: date) -> list[dict[str, Any]]:
        """People held pre-trial past their legal time limit or overdue for review on a date."""
        return self.read_models.answer(Population, lambda population: population.pretrial_alerts(on))

    def person(self, person_id: UUID | None) -> Person:
        person: Person | None = self.get_or_none(person_id) if person_id else None
        if person is None:
            raise PersonNotFoundError("person_id: unknown person")
        return person

    def policies(self) -> Mapping[str, Policy]:
        return intake_policies(self)
