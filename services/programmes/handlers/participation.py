"""Taking part: enrolling, attending sessions, completing, and ending a participation otherwise. An ending frees
the place for the next person waiting.

Enrolling, completing and ending are `across_people`: whether a place is free depends on other people's releases,
and who gets a freed one on the sentence ends release reports."""

from __future__ import annotations

from datetime import date

from services.programmes import places
from services.programmes.domain import referral as status
from services.programmes.domain.learner import Learner
from services.programmes.domain.programme import Programme
from services.programmes.lookup import learner_of, programme_of
from shared.contracts.commands import CompleteProgramme, EndParticipation, Enrol, RecordAttendance
from shared.domain import Provenance, start_of_day
from shared.eventstore.unit_of_work import UnitOfWork
from shared.registry.commands import Context, Result, across_people
from shared.registry.roles import AGENCY_CLIENT, PROGRAMME_OFFICER, allowed


@allowed(PROGRAMME_OFFICER)
@across_people
def enrol(command: Enrol, uow: UnitOfWork, ctx: Context) -> Result:
    """A retired programme takes no new enrolment; this very enrolment again changes nothing."""
    learner = learner_of(uow, ctx.person_id)
    programme = programme_of(uow, command.programme_id)
    if (programme.programme_id, command.enrolled_on) not in learner.enrolled_ever:
        programme.check_open()
    places.enrol(learner, programme, command.enrolled_on, ctx.by)
    return {"person_id": learner.id, "programme_id": command.programme_id}


@allowed(PROGRAMME_OFFICER, AGENCY_CLIENT)
def record_attendance(command: RecordAttendance, uow: UnitOfWork, ctx: Context) -> Result:
    learner = learner_of(uow, ctx.person_id)
    programme = programme_of(uow, command.programme_id)
    learner.record_attendance(
        programme.programme_id,
        command.session_on,
        command.session_attended(),
        ctx.by,
        outcome=command.outcome,
        absence_reason=command.absence_reason,
    )
    return {
        "person_id": learner.id,
        "programme_id": programme.programme_id,
        "sessions_attended": learner.sessions_attended(programme.programme_id),
    }


@allowed(PROGRAMME_OFFICER, AGENCY_CLIENT)
@across_people
def complete_programme(command: CompleteProgramme, uow: UnitOfWork, ctx: Context) -> Result:
    learner = learner_of(uow, ctx.person_id)
    programme = programme_of(uow, command.programme_id)
    completed = learner.complete(
        programme.programme_id,
        programme.kind,
        programme.sessions_required,
        command.completed_on,
        command.certificate_no,
        ctx.by,
        rule=programme.completion_rule,
    )
    if completed:
        _completed(uow, learner, programme, "completed", command.completed_on, command.certificate_no, ctx.by)
    return {"person_id": learner.id, "programme_id": programme.programme_id}


@allowed(PROGRAMME_OFFICER, AGENCY_CLIENT)
@across_people
def end_participation(command: EndParticipation, uow: UnitOfWork, ctx: Context) -> Result:
    """Complete at discretion, or end as failed, withdrawn or transferred; the place goes to the next waiting."""
    learner = learner_of(uow, ctx.person_id)
    programme = programme_of(uow, command.programme_id)
    pid, on, by = programme.programme_id, command.ended_on, ctx.by
    result = {"person_id": learner.id, "programme_id": pid, "outcome": command.outcome}
    if learner.has_ended(pid, on, command.outcome):
        return result
    learner.enrolment(pid)
    if command.outcome == "completed_with_discretion":
        assert command.certificate_no is not None  # the contract requires it
        learner.complete(pid, programme.kind, 0, on, command.certificate_no, by)
        _completed(uow, learner, programme, command.outcome, on, command.certificate_no, by)
        return result
    learner.end_enrolment(pid, command.outcome, on, by)
    learner.record_end(pid, command.outcome, on, by, command.reason)
    ended = "deselected" if command.outcome == "failed" else "withdrawn"
    learner.close_referral(pid, ended, on, ("outcome", command.outcome), by)
    places.vacate(uow, learner, programme, on, by, start_of_day(on))
    return result


def _completed(
    uow: UnitOfWork, learner: Learner, programme: Programme, outcome: str, on: date, certificate_no: str, by: Provenance
) -> None:
    """After a completion: its end, its certificate, its referral, and the place for someone waiting."""
    pid = programme.programme_id
    learner.record_end(pid, outcome, on, by)
    if programme.awarding_body is not None:
        learner.award_certificate(pid, programme.awarding_body, certificate_no, on, by)
    learner.close_referral(pid, status.COMPLETE, on, ("outcome", outcome), by)
    places.vacate(uow, learner, programme, on, by, start_of_day(on))
