"""Release's supervision in the community: a recall suspends community enrolments; supervision starting again
resumes them where a place is free and makes the person eligible for the community places they wait for."""

from __future__ import annotations

from services.programmes import places
from services.programmes.lookup import learner_of, programme_of
from shared.contracts.events import (
    EnrolmentResumed,
    EnrolmentSuspended,
    RecallExecuted,
    SupervisionCompleted,
    SupervisionStarted,
)
from shared.eventstore.unit_of_work import UnitOfWork
from shared.registry.reactions import Cause, reacts_to


@reacts_to(RecallExecuted, publishes=[EnrolmentSuspended, *places.PLACE_OFFERED])
def on_release_recall_executed(event: RecallExecuted, uow: UnitOfWork, cause: Cause) -> None:
    """Community enrolments are suspended (their place freed for the people waiting, progress kept)."""
    on = event.executed_at.date()
    learner = learner_of(uow, event.person_id)
    for programme_id in learner.community_enrolments():
        programme = programme_of(uow, programme_id)
        places.suspend(uow, learner, programme, on, cause.by, cause.when, reason="recalled")


@reacts_to(SupervisionStarted, publishes=[EnrolmentResumed, *places.PLACE_OFFERED])
def on_release_supervision_started(event: SupervisionStarted, uow: UnitOfWork, cause: Cause) -> None:
    """Under supervision again: community enrolments suspended by a recall resume where a place is free."""
    on = event.started_on
    learner = learner_of(uow, event.person_id)
    learner.supervision_started(event.supervision_type, cause.by, cause.when)
    for programme_id in learner.suspended():
        programme = programme_of(uow, programme_id)
        if programme.setting == "community":
            places.resume(learner, programme, on, cause.by, cause.when)
    places.offer_waiting_places(uow, learner, on, cause.by)


@reacts_to(SupervisionCompleted)
def on_release_supervision_completed(event: SupervisionCompleted, uow: UnitOfWork, cause: Cause) -> None:
    learner_of(uow, event.person_id).supervision_ended(cause.by, cause.when)
