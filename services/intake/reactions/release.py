"""How intake follows release: custody ends with a release, continues when the release was recorded in error,
and starts again when a recall is executed."""

from __future__ import annotations

from services.intake.domain.units_left import record_unit_left
from services.intake.lookup import person_of
from shared.contracts.events import (
    AdmissionRecorded,
    LegalStatusChanged,
    PersonAdmitted,
    PersonReleased,
    RecallExecuted,
    ReleaseRecordedInError,
)
from shared.eventstore.unit_of_work import UnitOfWork
from shared.registry.reactions import Cause, reacts_to


@reacts_to(PersonReleased)
def on_release_person_released(event: PersonReleased, uow: UnitOfWork, cause: Cause) -> None:
    """The person left custody: a later admission needs a new commitment order."""
    person = person_of(uow, event.person_id)
    placement = person.placement
    person.end_custody(event.released_on, cause.by, cause.when)
    record_unit_left(uow.get_or_none, person, placement, cause.by)


@reacts_to(ReleaseRecordedInError)  # custody restored: private
def on_release_recorded_in_error(event: ReleaseRecordedInError, uow: UnitOfWork, cause: Cause) -> None:
    """A correction: the person never left, so the stay the release ended continues."""
    person = person_of(uow, event.person_id)
    person.restore_custody(event.released_on, cause.by, cause.when)


@reacts_to(RecallExecuted, publishes=[PersonAdmitted, AdmissionRecorded, LegalStatusChanged])
def on_release_recall_executed(event: RecallExecuted, uow: UnitOfWork, cause: Cause) -> None:
    """The recall is the commitment: intake records a recall admission at the facility it names."""
    person = person_of(uow, event.person_id)
    person.admit_on_recall(event.recall_id, event.facility, event.executed_at, event.issuing_authority, cause.by)
