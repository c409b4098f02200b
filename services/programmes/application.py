"""Programmes' application: the catalogue, enrolment, attendance, completion."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

from services.programmes.cohorts import CohortCommands
from services.programmes.domain import referral as status
from services.programmes.domain.errors import PersonNotFoundError, ProgrammeNotFoundError
from services.programmes.domain.learner import Learner
from services.programmes.domain.programme import CATALOGUE_FIELDS, Programme
from services.programmes.learning_record import LearningRecords
from services.programmes.plans import PlanCommands
from services.programmes.policies import programmes_policies
from services.programmes.reports import ProgrammeFigures, ProgrammesReadModel
from shared.contracts.commands import (
    COMMANDS,
    AssessNeeds,
    ChangeReferralStatus,
    CompleteProgramme,
    EndParticipation,
    Enrol,
    PublishProgramme,
    RecordAttendance,
    Refer,
    RetireProgramme,
    ReviseProgramme,
)
from shared.domain import Provenance, start_of_day
from shared.errors import FieldProblem, InvalidInput
from shared.eventstore.application import Context, Outcome, PathwayApplication, Policy


class Programmes(PlanCommands, CohortCommands, PathwayApplication):
    """Catalogue, referrals, places and outcomes here; individual plans (`plans`) and delivery in cohorts
    (`cohorts`) in their own modules."""

    service = "programmes"
    commands = COMMANDS["programmes"]
    reaction_outputs = {
        "intake.identifier.added": frozenset(),
        "intake.persons.merged": frozenset(),
        "intake.persons.unmerged": frozenset(),
        "intake.person.registered": frozenset(),
        "intake.person.admitted": frozenset(
            {
                "programmes.place.allocated",
                "programmes.referral.status-changed",
                "programmes.enrolment.started",
            }
        ),
        "intake.person.transferred": frozenset(
            {
                "programmes.enrolment.suspended",
                "programmes.enrolment.resumed",
                "programmes.place.allocated",
                "programmes.referral.status-changed",
                "programmes.enrolment.started",
            }
        ),
        "intake.admission.recorded-in-error": frozenset(),
        "intake.temporary-absence.started": frozenset(
            {
                "programmes.enrolment.suspended",
                "programmes.place.allocated",
                "programmes.referral.status-changed",
                "programmes.enrolment.started",
            }
        ),
        "intake.temporary-absence.ended": frozenset({"programmes.enrolment.resumed"}),
        "intake.classification.decided": frozenset(
            {
                "programmes.enrolment.suspended",
                "programmes.enrolment.resumed",
                "programmes.place.allocated",
                "programmes.referral.status-changed",
                "programmes.enrolment.started",
            }
        ),
        "release.person.released": frozenset(
            {
                "programmes.enrolment.withdrawn",
                "programmes.participation.ended",
                "programmes.referral.created",
                "programmes.referral.status-changed",
                "programmes.place.allocated",
                "programmes.enrolment.started",
            }
        ),
        "release.recall.executed": frozenset(
            {
                "programmes.enrolment.suspended",
                "programmes.place.allocated",
                "programmes.referral.status-changed",
                "programmes.enrolment.started",
            }
        ),
        "release.release-dates.calculated": frozenset(),
        "release.supervision.started": frozenset(
            {
                "programmes.enrolment.resumed",
                "programmes.place.allocated",
                "programmes.referral.status-changed",
                "programmes.enrolment.started",
            }
        ),
        "release.supervision.completed": frozenset(),
    }

    def publish_programme(self, command: PublishProgramme, ctx: Context) -> Outcome:
        details = command.model_dump(
            include={"programme_id", "title", "kind", "setting", "capacity", "sessions_required", *CATALOGUE_FIELDS}
        )
        existing: Programme | None = self.get_or_none(Programme.id_for(command.programme_id))
        if existing is not None:
            existing.check_same_publication(details)
            return Outcome({"programme_id": command.programme_id})
        programme = Programme.publish(details, ctx.by, datetime.now(UTC))
        return Outcome({"programme_id": command.programme_id}, [programme])

    def revise_programme(self, command: ReviseProgramme, ctx: Context) -> Outcome:
        """Change a catalogue entry; a larger capacity offers its new places to the people waiting."""
        programme = self.programme(command.programme_id)
        changes = command.model_dump(exclude={"actor", "command_id", "programme_id", "revised_on"}, exclude_none=True)
        if not changes:
            raise InvalidInput([FieldProblem("(command)", "give at least one field to revise")])
        changed: list[Any] = [programme]
        if programme.revise(command.revised_on, changes, ctx.by, start_of_day(command.revised_on)):
            changed += self.fill_places(programme, command.revised_on, ctx.by, {})
        return Outcome({"programme_id": command.programme_id}, changed)

    def retire_programme(self, command: RetireProgramme, ctx: Context) -> Outcome:
        programme = self.programme(command.programme_id)
        programme.retire(command.retired_on, command.reason, ctx.by, start_of_day(command.retired_on))
        return Outcome({"programme_id": command.programme_id}, [programme])

    def enrol(self, command: Enrol, ctx: Context) -> Outcome:
        learner = self.learner(ctx.person_id)
        programme = self.programme(command.programme_id)
        result = {"person_id": learner.id, "programme_id": command.programme_id}
        if (programme.programme_id, command.enrolled_on) not in learner.enrolled_ever:
            programme.check_open()
        if learner.enrol(programme.programme_id, programme.setting, command.enrolled_on, ctx.by, programme.eligibility):
            programme.take_place(learner.id, ctx.by, start_of_day(command.enrolled_on))
            learner.accept_referral(programme.programme_id, command.enrolled_on, ctx.by)
            programme.stop_waiting(learner.id, ctx.by, start_of_day(command.enrolled_on))
        return Outcome(result, [learner, programme])

    def record_attendance(self, command: RecordAttendance, ctx: Context) -> Outcome:
        learner = self.learner(ctx.person_id)
        programme = self.programme(command.programme_id)
        learner.record_attendance(
            programme.programme_id,
            command.session_on,
            command.session_attended(),
            ctx.by,
            outcome=command.outcome,
            absence_reason=command.absence_reason,
        )
        result = {
            "person_id": learner.id,
            "programme_id": programme.programme_id,
            "sessions_attended": learner.sessions_attended(programme.programme_id),
        }
        return Outcome(result, [learner])

    def complete_programme(self, command: CompleteProgramme, ctx: Context) -> Outcome:
        learner = self.learner(ctx.person_id)
        programme = self.programme(command.programme_id)
        completed = learner.complete(
            programme.programme_id,
            programme.kind,
            programme.sessions_required,
            command.completed_on,
            command.certificate_no,
            ctx.by,
            rule=programme.completion_rule,
        )
        changed: list[Any] = [learner, programme]
        if completed:
            changed += self._completed(
                learner, programme, "completed", command.completed_on, command.certificate_no, ctx
            )
        return Outcome({"person_id": learner.id, "programme_id": programme.programme_id}, changed)

    def _completed(
        self, learner: Learner, programme: Programme, outcome: str, on: date, certificate_no: str, ctx: Context
    ) -> list[Learner]:
        """After a completion: its end, its certificate, its referral, and the place for someone waiting."""
        by, pid = ctx.by, programme.programme_id
        learner.record_end(pid, outcome, on, by)
        if programme.awarding_body is not None:
            learner.award_certificate(pid, programme.awarding_body, certificate_no, on, by)
        learner.close_referral(pid, status.COMPLETE, on, ("outcome", outcome), by)
        programme.free_place(learner.id, by, start_of_day(on))
        return self.fill_places(programme, on, by, {learner.id: learner})

    def assess_needs(self, command: AssessNeeds, ctx: Context) -> Outcome:
        learner = self.learner(ctx.person_id)
        levels = command.model_dump(include={"education_level", "literacy", "numeracy", "work_readiness"})
        needs = None if command.needs is None else list(command.needs)
        learner.assess_needs(
            command.assessment_id, command.assessed_on, levels, list(command.barriers), ctx.by,
            risk_of_reoffending=command.risk_of_reoffending, needs=needs,
        )  # fmt: skip
        return Outcome({"person_id": learner.id, "assessment_id": command.assessment_id}, [learner])

    def end_participation(self, command: EndParticipation, ctx: Context) -> Outcome:
        """Complete at discretion, or end as failed, withdrawn or transferred; the place goes to the next waiting."""
        learner = self.learner(ctx.person_id)
        programme = self.programme(command.programme_id)
        pid, on, by = programme.programme_id, command.ended_on, ctx.by
        result = {"person_id": learner.id, "programme_id": pid, "outcome": command.outcome}
        if learner.has_ended(pid, on, command.outcome):
            return Outcome(result)
        learner.enrolment(pid)
        changed: list[Any] = [learner, programme]
        if command.outcome == "completed_with_discretion":
            assert command.certificate_no is not None  # the contract requires it
            learner.complete(pid, programme.kind, 0, on, command.certificate_no, by)
            changed += self._completed(learner, programme, command.outcome, on, command.certificate_no, ctx)
            return Outcome(result, changed)
        learner.end_enrolment(pid, command.outcome, on, by)
        learner.record_end(pid, command.outcome, on, by, command.reason)
        ended = "deselected" if command.outcome == "failed" else "withdrawn"
        learner.close_referral(pid, ended, on, ("outcome", command.outcome), by)
        programme.free_place(learner.id, by, start_of_day(on))
        changed += self.fill_places(programme, on, by, {learner.id: learner})
        return Outcome(result, changed)

    # --- referrals and waiting lists ---------------------------------------

    def refer(self, command: Refer, ctx: Context) -> Outcome:
        learner = self.learner(ctx.person_id)
        programme = self.programme(command.programme_id)
        reason = (command.reason_category, command.reason_code)
        if command.referral_id not in learner.referrals:
            programme.check_open()
        learner.refer(command.referral_id, programme.programme_id, command.referred_on, reason, ctx.by)
        result = {"person_id": learner.id, "referral_id": command.referral_id, "status": status.SUBMITTED}
        return Outcome(result, [learner])

    def change_referral_status(self, command: ChangeReferralStatus, ctx: Context) -> Outcome:
        """Move a referral; awaiting allocation puts the person on the waiting list, where a free place finds them."""
        learner = self.learner(ctx.person_id)
        referral = learner.referral(command.referral_id)
        programme = self.programme(referral["programme_id"])
        was, on, by = referral["status"], command.changed_on, ctx.by
        result = {"person_id": learner.id, "referral_id": command.referral_id}
        reason = (command.reason_category, command.reason_code)
        if not learner.change_referral(command.referral_id, command.status, on, reason, by):
            return Outcome({**result, "status": referral["status"]})
        changed: list[Any] = [learner, programme]
        if was == status.AWAITING_ALLOCATION:
            programme.stop_waiting(learner.id, by, start_of_day(on))
        if was == status.ON_PROGRAMME and command.status in status.ENDS_ENROLMENT:
            learner.end_enrolment(programme.programme_id, command.status, on, by)
            learner.record_end(programme.programme_id, "withdrawn", on, by)
            programme.free_place(learner.id, by, start_of_day(on))
        if command.status == status.AWAITING_ALLOCATION:
            learner.join_waiting_list(command.referral_id, on, by)
            programme.wait(learner.id, command.referral_id, referral["referred_on"], by, start_of_day(on))
        changed += self.fill_places(programme, on, by, {learner.id: learner})
        return Outcome({**result, "status": learner.referrals[command.referral_id]["status"]}, changed)

    def fill_places(self, programme: Programme, on: date, by: Provenance, known: dict[UUID, Learner]) -> list[Learner]:
        """Offer each free place to the first eligible person waiting, by priority; returns who got one."""
        allocated: list[Learner] = []
        while programme.free_places() > 0 and programme.waiting and programme.retired is None:
            chosen = next(
                (
                    person_id
                    for person_id in self.waiting_order(programme, known)
                    if known[person_id].can_take_place(programme.programme_id, programme.setting, programme.eligibility)
                ),
                None,
            )
            if chosen is None:
                break
            learner, waiting = known[chosen], programme.waiting[chosen]
            day = max(on, waiting["referred_on"])
            learner.allocate(waiting["referral_id"], programme.setting, day, by)
            programme.stop_waiting(chosen, by, start_of_day(day))
            programme.take_place(chosen, by, start_of_day(day))
            allocated.append(learner)
        return allocated

    def offer_waiting_places(
        self, learner: Learner, on: date, by: Provenance, known: dict[UUID, Learner] | None = None
    ) -> list[Any]:
        """The person has just become eligible (admitted, under supervision): each programme they wait for with
        a place free offers it to the first eligible person in line, who may now be them. Returns what changed
        (with the learners `known` already, loaded once per save)."""
        known = {learner.id: learner} if known is None else known
        programmes: list[Programme] = []
        for referral in list(learner.referrals.values()):
            if not referral["waiting"]:
                continue
            programme = self.programme(referral["programme_id"])
            if programme.free_places() > 0 and self.fill_places(programme, on, by, known):
                programmes.append(programme)
        return [*known.values(), *programmes]

    def waiting_order(self, programme: Programme, known: dict[UUID, Learner]) -> list[UUID]:
        """Least time left to serve first (sentence end minus referral date; unknown last), then referral date."""
        for person_id in programme.waiting:
            if person_id not in known:
                known[person_id] = self.learner(person_id)

        def priority(person_id: UUID) -> tuple[bool, int, date, str]:
            referred_on = programme.waiting[person_id]["referred_on"]
            end = known[person_id].sentence_end
            left = (end - referred_on).days if end is not None else 0
            return (end is None, left, referred_on, str(person_id))

        return sorted(programme.waiting, key=priority)

    def waiting_list(self, programme_id: str) -> list[dict[str, Any]]:
        """The programme's waiting list now, in the order places will be offered."""
        programme = self.programme(programme_id)
        known: dict[UUID, Learner] = {}
        return [
            {
                "position": position,
                "person_id": str(person_id),
                "referral_id": programme.waiting[person_id]["referral_id"],
                "referred_on": programme.waiting[person_id]["referred_on"].isoformat(),
                "sentence_end": None if (end := known[person_id].sentence_end) is None else end.isoformat(),
            }
            for position, person_id in enumerate(self.waiting_order(programme, known), start=1)
        ]

    def programmes_report(self) -> list[ProgrammeFigures]:
        """Places, waiting lists and completion per programme, from the events (the kept fold caught up)."""
        return self.read_models.answer(ProgrammesReadModel, lambda model: model.figures())

    def learning_record(self, person_id: UUID) -> dict[str, Any]:
        """What the person attended and achieved, across transfers, from the events (the kept fold caught up)."""
        learner = self.learner(person_id)
        streams = self.person_stream_ids(learner.id)
        return self.read_models.answer(LearningRecords, lambda model: model.record_of(learner.id, streams).as_dict())

    # --- queries ---------------------------------------------------------

    def learner(self, person_id: UUID | None) -> Learner:
        learner: Learner | None = self.get_or_none(person_id) if person_id else None
        if learner is None:
            raise PersonNotFoundError("person_id: unknown person")
        return learner

    def programme(self, programme_id: str) -> Programme:
        programme: Programme | None = self.get_or_none(Programme.id_for(programme_id))
        if programme is None:
            raise ProgrammeNotFoundError("programme_id: unknown programme")
        return programme

    def policies(self) -> Mapping[str, Policy]:
        return programmes_policies(self)
