"""How release follows programmes: a programme completed is an achievement in the person's case."""

from __future__ import annotations

from services.release.lookup import case_of
from shared.contracts.events import AchievementRecorded, ProgrammeCompleted
from shared.eventstore.unit_of_work import UnitOfWork
from shared.registry.reactions import Cause, reacts_to


@reacts_to(ProgrammeCompleted, publishes=[AchievementRecorded])
def on_programmes_programme_completed(event: ProgrammeCompleted, uow: UnitOfWork, cause: Cause) -> None:
    case = case_of(uow, event.person_id)
    case.record_achievement(
        event.programme_id, event.kind, event.completed_on, event.certificate_no, cause.by, cause.when
    )
