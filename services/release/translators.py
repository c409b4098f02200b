"""Release's private events -> public contracts. Events not listed stay private."""

from __future__ import annotations

from typing import Any

from services.release.domain.case import ReleaseCase
from shared.contracts import events as public
from shared.messaging.translation import Translation, person_translator, public_from

_by_fields = person_translator(
    {
        ReleaseCase.Released: public.PersonReleased,
        ReleaseCase.SupervisionStarted: public.SupervisionStarted,
        ReleaseCase.SupervisionCompleted: public.SupervisionCompleted,
        ReleaseCase.OutcomeRecorded: public.OutcomeRecorded,
        ReleaseCase.AchievementRecorded: public.AchievementRecorded,
    }
)


def translate(event: Any) -> Translation | None:
    if isinstance(event, ReleaseCase.ReleaseDatesCalculated):
        person_id = event.originator_id
        calculated = public_from(public.ReleaseDatesCalculated, event, person_id=person_id, **event.dates)
        return Translation(calculated, person_id)
    return _by_fields(event)
