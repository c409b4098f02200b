"""A temporary absence (court, hospital, temporary release): custody enrolments are suspended while the person is
away and resume on the return (docs/DOMAIN.md)."""

from __future__ import annotations

from services.programmes import places
from services.programmes.lookup import learner_of, programme_of
from shared.contracts.events import EnrolmentResumed, EnrolmentSuspended, TemporaryAbsenceEnded, TemporaryAbsenceStarted
from shared.eventstore.unit_of_work import UnitOfWork
from shared.registry.reactions import Cause, reacts_to

TEMPORARY_ABSENCE = "temporary_absence"


@reacts_to(TemporaryAbsenceStarted, publishes=[EnrolmentSuspended, *places.PLACE_OFFERED])
def on_intake_temporary_absence_started(event: TemporaryAbsenceStarted, uow: UnitOfWork, cause: Cause) -> None:
    """Running custody enrolments are suspended, the progress kept. As with a transfer, a suspended enrolment
    holds no place: the place goes to the first eligible person waiting."""
    on = event.left_at.date()
    learner = learner_of(uow, event.person_id)
    for programme_id in learner.running("custody"):
        programme = programme_of(uow, programme_id)
        places.suspend(uow, learner, programme, on, cause.by, cause.when, reason=TEMPORARY_ABSENCE)


@reacts_to(TemporaryAbsenceEnded, publishes=[EnrolmentResumed])
def on_intake_temporary_absence_ended(event: TemporaryAbsenceEnded, uow: UnitOfWork, cause: Cause) -> None:
    """Back: what the absence suspended resumes where a place is free; otherwise it stays suspended, its
    progress kept (staff may end it, or revise the capacity)."""
    on = event.returned_at.date()
    learner = learner_of(uow, event.person_id)
    for programme_id, enrolment in list(learner.enrolments.items()):
        if enrolment.get("suspended_for") == TEMPORARY_ABSENCE:
            places.resume(learner, programme_of(uow, programme_id), on, cause.by, cause.when)
