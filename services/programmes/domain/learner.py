"""A person as the programmes service knows them: where they are, and what they are learning."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from services.programmes.domain.learner_needs import NeedsAndPlans
from services.programmes.domain.learner_participation import (
    NO_LONGER_ELIGIBLE,
    RELEASED_BEFORE_COMPLETION,
    Participation,
)
from services.programmes.domain.learner_referrals import Referrals
from shared.domain import PathwayAggregate, Provenance

__all__ = ["NO_LONGER_ELIGIBLE", "RELEASED_BEFORE_COMPLETION", "Learner"]


class Learner(Participation, Referrals, NeedsAndPlans, PathwayAggregate):
    """Enrolments are keyed by programme id; a programme has at most one open enrolment.

    The event classes live here, where their stored topics are pinned; the behaviour lives in the
    mixins (eligibility, participation, referrals, needs and plans), one concern per module.
    """

    class Registered(PathwayAggregate.Created):
        """Learned from intake: this person exists."""

    class CustodyStarted(PathwayAggregate.Event):
        facility: str

        def apply(self, learner: Learner) -> None:
            learner.facility = self.facility

    class CustodyEnded(PathwayAggregate.Event):
        def apply(self, learner: Learner) -> None:
            learner.facility = None

    class SupervisionStarted(PathwayAggregate.Event):
        supervision_type: str

        def apply(self, learner: Learner) -> None:
            learner.supervision = self.supervision_type

    class SupervisionEnded(PathwayAggregate.Event):
        def apply(self, learner: Learner) -> None:
            learner.supervision = None

    class EnrolmentStarted(PathwayAggregate.Event):
        programme_id: str
        setting: str
        enrolled_on: date

        def apply(self, learner: Learner) -> None:
            learner.enrolments[self.programme_id] = {
                "setting": self.setting,
                "enrolled_on": self.enrolled_on,
                "sessions": {},
            }
            learner.enrolled_ever.add((self.programme_id, self.enrolled_on))

    class AttendanceRecorded(PathwayAggregate.Event):
        programme_id: str
        session_on: date
        attended: bool
        sessions_attended: int

        def apply(self, learner: Learner) -> None:
            learner.enrolments[self.programme_id]["sessions"][self.session_on.isoformat()] = self.attended
            learner.sessions_ever[(self.programme_id, self.session_on)] = self.attended

    class SessionRecorded(PathwayAggregate.Event):
        """A session with its outcome (attended and complied, failed to comply, an absence, refused, cancelled)."""

        programme_id: str
        session_on: date
        outcome: str
        absence_reason: str | None
        attended: bool
        sessions_attended: int

        def apply(self, learner: Learner) -> None:
            enrolment = learner.enrolments[self.programme_id]
            enrolment["sessions"][self.session_on.isoformat()] = self.attended
            enrolment.setdefault("outcomes", {})[self.session_on.isoformat()] = self.outcome
            learner.sessions_ever[(self.programme_id, self.session_on)] = self.attended
            learner.outcomes_ever[(self.programme_id, self.session_on)] = self.outcome

    class ProgrammeCompleted(PathwayAggregate.Event):
        programme_id: str
        kind: str
        completed_on: date
        certificate_no: str

        def apply(self, learner: Learner) -> None:
            del learner.enrolments[self.programme_id]
            learner.completed[self.programme_id] = {
                "completed_on": self.completed_on,
                "certificate_no": self.certificate_no,
            }

    class EnrolmentWithdrawn(PathwayAggregate.Event):
        programme_id: str
        withdrawn_on: date
        reason: str

        def apply(self, learner: Learner) -> None:
            del learner.enrolments[self.programme_id]

    class EnrolmentSuspended(PathwayAggregate.Event):
        programme_id: str
        suspended_on: date
        reason: str
        sessions_attended: int

        def apply(self, learner: Learner) -> None:
            learner.enrolments[self.programme_id].update(suspended=True, suspended_for=self.reason)

    class EnrolmentResumed(PathwayAggregate.Event):
        programme_id: str
        resumed_on: date
        sessions_attended: int

        def apply(self, learner: Learner) -> None:
            learner.enrolments[self.programme_id].update(suspended=False, suspended_for=None)  # why: while suspended

    class NeedsAssessed(PathwayAggregate.Event):
        assessment_id: str
        assessed_on: date
        levels: dict[str, str]  # education_level, literacy, numeracy, work_readiness
        barriers: list[str]  # sensitive: kept here, never published

        def apply(self, learner: Learner) -> None:
            learner.assessments[self.assessment_id] = {
                "assessed_on": self.assessed_on,
                "levels": self.levels,
                "barriers": self.barriers,
                "risk_of_reoffending": None,
                "needs": None,
            }

    class ParticipationEnded(PathwayAggregate.Event):
        """After the enrolment's own end (completed, withdrawn): how the participation ended, and why."""

        programme_id: str
        ended_on: date
        outcome: str
        reason: str | None

        def apply(self, learner: Learner) -> None:
            learner.ended_ever.add((self.programme_id, self.ended_on, self.outcome))

    class CertificateAwarded(PathwayAggregate.Event):
        programme_id: str
        awarding_body: str
        certificate_no: str
        awarded_on: date

    class ReferralCreated(PathwayAggregate.Event):
        referral_id: str
        programme_id: str
        referred_on: date
        status: str
        reason_category: str
        reason_code: str

        def apply(self, learner: Learner) -> None:
            learner.referrals[self.referral_id] = {
                "programme_id": self.programme_id,
                "referred_on": self.referred_on,
                "status": self.status,
                "reason_category": self.reason_category,
                "reason_code": self.reason_code,
                "waiting": False,
            }

    class ReferralStatusChanged(PathwayAggregate.Event):
        referral_id: str
        programme_id: str
        from_status: str
        status: str
        changed_on: date
        reason_category: str
        reason_code: str

        def apply(self, learner: Learner) -> None:
            referral = learner.referrals[self.referral_id]
            referral.update(status=self.status, waiting=False)
            learner.changes_ever.add((self.referral_id, self.status, self.changed_on))

    class WaitingListJoined(PathwayAggregate.Event):
        programme_id: str
        referral_id: str
        referred_on: date
        joined_on: date

        def apply(self, learner: Learner) -> None:
            learner.referrals[self.referral_id]["waiting"] = True

    class PlaceAllocated(PathwayAggregate.Event):
        programme_id: str
        referral_id: str
        allocated_on: date

    class SentenceEndLearned(PathwayAggregate.Event):
        """From release's latest release-date calculation: when the person's sentence ends."""

        sentence_end: date

        def apply(self, learner: Learner) -> None:
            learner.sentence_end = self.sentence_end

    class SecurityLevelLearned(PathwayAggregate.Event):
        """From intake's classification decisions: the security level in force. Added with issue 5."""

        security_level: str

        def apply(self, learner: Learner) -> None:
            learner.security_level = self.security_level

    class SexLearned(PathwayAggregate.Event):
        """From intake's registration: the person's sex, for women-only or men-only programmes (Bangkok Rules).
        Added with eligibility by sex."""

        sex: str

        def apply(self, learner: Learner) -> None:
            learner.sex = self.sex

    class RiskAndNeedsAssessed(PathwayAggregate.Event):
        """Recorded beside a NeedsAssessed of the same id: the risk of reoffending and the needs identified
        (None: not assessed). Sensitive, like the barriers: kept, never published. Added with eligibility."""

        assessment_id: str
        risk_of_reoffending: str | None
        needs: list[str] | None

        def apply(self, learner: Learner) -> None:
            learner.assessments[self.assessment_id].update(
                risk_of_reoffending=self.risk_of_reoffending, needs=self.needs
            )

    class PlanDrawnUp(PathwayAggregate.Event):
        """An individual plan (Mandela Rule 94) built from a needs assessment: goals, each a need and the
        programme meeting it (or none). The needs and notes are kept, never published."""

        plan_id: str
        assessment_id: str
        drawn_up_on: date
        goals: list[dict[str, Any]]  # {need, programme_id, note}

        def apply(self, learner: Learner) -> None:
            learner.plans[self.plan_id] = {
                "assessment_id": self.assessment_id,
                "drawn_up_on": self.drawn_up_on,
                "goals": self.goals,
            }

    class CohortJoined(PathwayAggregate.Event):
        """Put in a cohort of a programme the person is enrolled in (the programme keeps the cohort's members);
        here so that the person's own history shows it."""

        programme_id: str
        cohort_id: str
        joined_on: date

    def __init__(self, **_: Any) -> None:
        self.security_level: str | None = None
        self.referrals: dict[str, dict[str, Any]] = {}
        self.changes_ever: set[tuple[str, str, date]] = set()
        self.sentence_end: date | None = None
        self.facility: str | None = None
        self.supervision: str | None = None
        self.enrolments: dict[str, dict[str, Any]] = {}
        self.completed: dict[str, dict[str, Any]] = {}
        # Every fact ever recorded, so a repeated command is recognised after the state moved on.
        self.enrolled_ever: set[tuple[str, date]] = set()
        self.sessions_ever: dict[tuple[str, date], bool] = {}
        self.outcomes_ever: dict[tuple[str, date], str] = {}
        self.ended_ever: set[tuple[str, date, str]] = set()
        self.assessments: dict[str, dict[str, Any]] = {}
        self.sex: str | None = None
        self.plans: dict[str, dict[str, Any]] = {}

    @classmethod
    def register(cls, person_id: UUID, by: Provenance, occurred_at: datetime) -> Learner:
        return cls._create(cls.Registered, id=person_id, occurred_at=occurred_at, **by.fields())

    # --- where the person is (learned from intake and release) -----------

    def custody_started(self, facility: str, by: Provenance, occurred_at: datetime) -> None:
        self.record(self.CustodyStarted, by, occurred_at, facility=facility)

    def custody_ended(self, released_on: date, by: Provenance, occurred_at: datetime) -> list[str]:
        """Leave custody; custody enrolments end as released before completion. Returns their programmes."""
        withdrawn = [pid for pid, e in self.enrolments.items() if e["setting"] == "custody"]
        for programme_id in withdrawn:
            self.record(
                self.EnrolmentWithdrawn,
                by,
                occurred_at,
                programme_id=programme_id,
                withdrawn_on=released_on,
                reason=RELEASED_BEFORE_COMPLETION,
            )
        if self.facility is not None:
            self.record(self.CustodyEnded, by, occurred_at)
        return withdrawn

    def custody_cancelled(self, by: Provenance, occurred_at: datetime) -> None:
        """An admission recorded in error: the person was never in custody here."""
        if self.facility is not None:
            self.record(self.CustodyEnded, by, occurred_at)

    def supervision_started(self, supervision_type: str, by: Provenance, occurred_at: datetime) -> None:
        self.record(self.SupervisionStarted, by, occurred_at, supervision_type=supervision_type)

    def supervision_ended(self, by: Provenance, occurred_at: datetime) -> None:
        if self.supervision is not None:
            self.record(self.SupervisionEnded, by, occurred_at)
