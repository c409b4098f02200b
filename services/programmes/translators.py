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
        Learner.SessionRecorded: public.AttendanceRecorded,
        Learner.ProgrammeCompleted: public.ProgrammeCompleted,
        Learner.EnrolmentWithdrawn: public.EnrolmentWithdrawn,
        Learner.ReferralCreated: public.ReferralCreated,
        Learner.ReferralStatusChanged: public.ReferralStatusChanged,
        Learner.WaitingListJoined: public.WaitingListJoined,
        Learner.PlaceAllocated: public.PlaceAllocated,
        Learner.EnrolmentSuspended: public.EnrolmentSuspended,
        Learner.EnrolmentResumed: public.EnrolmentResumed,
        Learner.ParticipationEnded: public.ParticipationEnded,
        Learner.CertificateAwarded: public.CertificateAwarded,
    }
)


def translate(event: Any) -> Translation | None:
    if isinstance(event, Programme.Published | Programme.Catalogued):
        return Translation(public_from(public.ProgrammePublished, event), None)
    if isinstance(event, Programme.Revised):
        return Translation(public_from(public.ProgrammeRevised, event, **event.changes), None)
    if isinstance(event, Programme.Retired):
        return Translation(public_from(public.ProgrammeRetired, event), None)
    if isinstance(event, Learner.NeedsAssessed):
        withheld = ["barriers"] if event.barriers else []
        published = public_from(
            public.NeedsAssessed, event, **event.levels, person_id=event.originator_id, withheld_fields=withheld
        )
        return Translation(published, event.originator_id)
    return _learner_events(event)
