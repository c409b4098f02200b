"""What the Learner's behaviour mixins may rely on: the Learner's state, its event classes, `record`.

The mixins (eligibility, participation, referrals, needs) hold behaviour only. The event classes
stay nested in `learner.Learner`, where their stored topics were pinned, so the mixins reach them
through `self`. These declarations exist for the type checker alone: at run time the Learner
itself provides every one of them.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

if TYPE_CHECKING:
    from shared.domain import Provenance


class LearnerState:
    if TYPE_CHECKING:
        id: UUID
        security_level: str | None
        sex: str | None
        referrals: dict[str, dict[str, Any]]
        changes_ever: set[tuple[str, str, date]]
        sentence_end: date | None
        facility: str | None
        supervision: str | None
        enrolments: dict[str, dict[str, Any]]
        completed: dict[str, dict[str, Any]]
        enrolled_ever: set[tuple[str, date]]
        sessions_ever: dict[tuple[str, date], bool]
        outcomes_ever: dict[tuple[str, date], str]
        ended_ever: set[tuple[str, date, str]]
        assessments: dict[str, dict[str, Any]]
        plans: dict[str, dict[str, Any]]

        EnrolmentStarted: type[Any]
        AttendanceRecorded: type[Any]
        SessionRecorded: type[Any]
        ProgrammeCompleted: type[Any]
        EnrolmentWithdrawn: type[Any]
        EnrolmentSuspended: type[Any]
        EnrolmentResumed: type[Any]
        NeedsAssessed: type[Any]
        RiskAndNeedsAssessed: type[Any]
        PlanDrawnUp: type[Any]
        ParticipationEnded: type[Any]
        CertificateAwarded: type[Any]
        ReferralCreated: type[Any]
        ReferralStatusChanged: type[Any]
        WaitingListJoined: type[Any]
        PlaceAllocated: type[Any]
        SentenceEndLearned: type[Any]
        SecurityLevelLearned: type[Any]
        SexLearned: type[Any]
        CohortJoined: type[Any]

        def record(self, event_class: type[Any], by: Provenance, occurred_at: datetime, **data: Any) -> None: ...
