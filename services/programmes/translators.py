"""Programmes' private events -> public contracts. Events not listed stay private."""

from __future__ import annotations

from typing import Any

from services.programmes.domain.learner import Learner
from services.programmes.domain.programme import Programme
from shared.contracts import events as public
from shared.contracts import source_codes
from shared.contracts.base import PublicEvent
from shared.messaging.translation import Translation, person_translator, public_from, source_codes_translator

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
        Learner.CohortJoined: public.CohortJoined,
    }
)

_source_codes = source_codes_translator(source_codes.ProgrammesSourceCodesNoted)


def translate(event: Any) -> Translation | None:
    if (codes := _source_codes(event)) is not None:
        return codes
    if isinstance(event, Programme.Published | Programme.Catalogued):
        return Translation(public_from(public.ProgrammePublished, event), None)
    if isinstance(event, Programme.Revised):
        return Translation(public_from(public.ProgrammeRevised, event, **event.changes), None)
    if isinstance(event, Programme.Retired):
        return Translation(public_from(public.ProgrammeRetired, event), None)
    if isinstance(event, Programme.CohortScheduled):
        return Translation(public_from(public.CohortScheduled, event), None)
    if isinstance(event, Programme.SessionHeld):
        attended = sum(1 for outcome in event.attendance.values() if outcome == "attended_and_complied")
        held = public_from(public.SessionHeld, event, recorded=len(event.attendance), attended=attended)
        return Translation(held, None)  # about the cohort: each person's attendance is published on its own
    if isinstance(event, Learner.PlanDrawnUp):
        return Translation(_plan(event), event.originator_id)
    if isinstance(event, Learner.NeedsAssessed):
        withheld = ["barriers"] if event.barriers else []
        published = public_from(
            public.NeedsAssessed, event, **event.levels, person_id=event.originator_id, withheld_fields=withheld
        )
        return Translation(published, event.originator_id)
    return _learner_events(event)


def _plan(event: Learner.PlanDrawnUp) -> PublicEvent:
    """The plan's shape and the programmes it names; the needs and notes (sensitive) are withheld."""
    programmes = list(dict.fromkeys(g["programme_id"] for g in event.goals if g.get("programme_id") is not None))
    withheld = ["needs", *(["notes"] if any(g.get("note") for g in event.goals) else [])]
    return public_from(
        public.PlanDrawnUp, event, person_id=event.originator_id, goals=len(event.goals), programme_ids=programmes,
        withheld_fields=withheld,
    )  # fmt: skip
