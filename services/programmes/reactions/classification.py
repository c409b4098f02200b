"""Intake's classification decisions: the security level in force, checked against programmes' eligibility."""

from __future__ import annotations

from datetime import date, datetime

from services.programmes import places
from services.programmes.domain.learner import NO_LONGER_ELIGIBLE, Learner
from services.programmes.lookup import learner_of, programme_of
from shared.contracts.events import ClassificationDecided, EnrolmentResumed, EnrolmentSuspended
from shared.domain import Provenance
from shared.eventstore.unit_of_work import UnitOfWork
from shared.registry.reactions import Cause, reacts_to


@reacts_to(ClassificationDecided, publishes=[EnrolmentSuspended, EnrolmentResumed, *places.PLACE_OFFERED])
def on_intake_classification_decided(event: ClassificationDecided, uow: UnitOfWork, cause: Cause) -> None:
    """Running custody enrolments the new level is not eligible for are suspended, those it is eligible for again
    resume, and it may make the person eligible for a place they wait for."""
    if event.level is None:
        return  # a rejected initial classification: no level in force yet
    learner = learner_of(uow, event.person_id)
    if not learner.learn_security_level(event.level, cause.by, cause.when):
        return
    _recheck_enrolments(uow, learner, event.decided_on, cause.by, cause.when)
    places.offer_waiting_places(uow, learner, event.decided_on, cause.by)


def _recheck_enrolments(uow: UnitOfWork, learner: Learner, on: date, by: Provenance, when: datetime) -> None:
    """Suspended (`no_longer_eligible`: the place freed and offered to the people waiting, the progress kept) where
    the programme is not for the new level; suspended ones resume where it is again, runs where the person is
    held, and has a place free."""
    for programme_id in learner.running("custody"):
        programme = programme_of(uow, programme_id)
        if not learner.meets_security_level(programme.eligibility):
            places.suspend(uow, learner, programme, on, by, when, reason=NO_LONGER_ELIGIBLE)
    for programme_id in learner.suspended():
        if learner.enrolments[programme_id]["setting"] != "custody":
            continue
        programme = programme_of(uow, programme_id)  # suspended for this or (reclassified since) a transfer
        runs_here = learner.facility is not None and programme.facility in (None, learner.facility)
        if runs_here and learner.meets_security_level(programme.eligibility):
            places.resume(learner, programme, on, by, when)
