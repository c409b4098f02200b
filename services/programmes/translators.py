"""Programmes' private events -> public contracts. Events not listed stay private."""

from __future__ import annotations

from typing import Any

from services.programmes.domain.learner import Learner
from services.programmes.domain.programme import Programme
from shared.contracts import events as public
from shared.messaging.translation import Translation, person_translator, public_from

_learner_events = person_translator(
    {
        Learner.EnrolmentStarted: public.EnrolmentStarted,
        Learner.AttendanceRecorded: public.AttendanceRecorded,
        Learner.ProgrammeCompleted: public.ProgrammeCompleted,
        Learner.EnrolmentWithdrawn: public.EnrolmentWithdrawn,
    }
)


def translate(event: Any) -> Translation | None:
    if isinstance(event, Programme.Published):
        return Translation(public_from(public.ProgrammePublished, event), None)
    return _learner_events(event)
