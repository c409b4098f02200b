"""Delivery in cohorts: scheduling one, putting enrolled people in it, and recording its sessions."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from services.programmes.domain.learner import Learner
from services.programmes.domain.programme import Programme
from services.programmes.lookup import learner_of, programme_of
from shared.contracts.commands import AssignToCohort, RecordSession, ScheduleCohort, counts_as_attended
from shared.errors import PathwayError
from shared.eventstore.unit_of_work import UnitOfWork
from shared.people import resolve_reference
from shared.registry.commands import Context, Result
from shared.registry.roles import AGENCY_CLIENT, PROGRAMME_OFFICER, allowed

CANCELLED = "cancelled"


@allowed(PROGRAMME_OFFICER)
def schedule_cohort(command: ScheduleCohort, uow: UnitOfWork, ctx: Context) -> Result:
    programme = programme_of(uow, command.programme_id)
    programme.schedule_cohort(command.cohort_id, command.starts_on, command.facility, command.sessions_planned, ctx.by)
    return {"programme_id": programme.programme_id, "cohort_id": command.cohort_id}


@allowed(PROGRAMME_OFFICER)
def assign_to_cohort(command: AssignToCohort, uow: UnitOfWork, ctx: Context) -> Result:
    """Only a person enrolled in the programme (suspended or not) joins one of its cohorts. The programme's record
    of the cohort's members is saved before the person's (the unit of work saves in the order it loaded); an
    unknown person is named before an unknown programme."""
    uow.get_or_none(Programme.id_for(command.programme_id))
    learner = learner_of(uow, ctx.person_id)
    programme = programme_of(uow, command.programme_id)
    if learner.id not in programme.cohort(command.cohort_id)["members"]:
        learner.enrolment(programme.programme_id)
    if programme.assign_to_cohort(command.cohort_id, learner.id, command.assigned_on, ctx.by):
        learner.join_cohort(programme.programme_id, command.cohort_id, command.assigned_on, ctx.by)
    return {"person_id": learner.id, "programme_id": programme.programme_id, "cohort_id": command.cohort_id}


@allowed(PROGRAMME_OFFICER, AGENCY_CLIENT)
def record_session(command: RecordSession, uow: UnitOfWork, ctx: Context) -> Result:
    """The session once on its cohort, and each person's attendance on their learning record. A cancelled
    session records `cancelled` for everyone in the cohort whose enrolment is going on."""
    programme = programme_of(uow, command.programme_id)
    pid, on, by = programme.programme_id, command.session_on, ctx.by
    members = programme.members(command.cohort_id)
    given: list[tuple[UUID, str, str | None]] = [
        (_named(uow, number, a.person_id, a.national_id), a.outcome, a.absence_reason)
        for number, a in enumerate(command.attendance)
    ]
    programme.hold_session(command.cohort_id, on, command.cancelled, [(p, o) for p, o, _ in given], by)
    if command.cancelled:
        given = [(person_id, CANCELLED, None) for person_id in members]
    recorded = 0
    for number, (person_id, outcome, reason) in enumerate(given):
        learner = learner_of(uow, person_id)
        if command.cancelled and _not_going_on(learner, pid):
            continue  # ended, suspended or never enrolled since: nothing to cancel
        try:
            if learner.record_attendance(pid, on, counts_as_attended(outcome), by, outcome, reason):
                recorded += 1
        except PathwayError as refused:
            raise type(refused)(f"attendance[{number}]: {refused}") from None
    result = {"programme_id": pid, "cohort_id": command.cohort_id, "session_on": on.isoformat()}
    return {**result, "recorded": recorded}


def _named(uow: UnitOfWork, number: int, person_id: UUID | None, national_id: Any) -> UUID:
    try:
        return resolve_reference(uow, person_id, national_id)
    except PathwayError as unknown:
        raise type(unknown)(f"attendance[{number}].{unknown}") from None


def _not_going_on(learner: Learner, programme_id: str) -> bool:
    enrolment = learner.enrolments.get(programme_id)
    return enrolment is None or bool(enrolment.get("suspended"))
