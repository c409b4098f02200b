"""A person as the programmes service knows them: where they are, and what they are learning."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from services.programmes.domain import referral as status
from services.programmes.domain.errors import (
    AlreadyEnrolledError,
    AttendanceConflictError,
    AttendanceRequirementError,
    EligibilityNotMetError,
    EnrolmentSuspendedError,
    NeedsAssessmentConflictError,
    NotEnrolledError,
    ReferralConflictError,
    ReferralNotFoundError,
    ReferralOpenError,
    SettingMismatchError,
)
from shared.domain import PathwayAggregate, Provenance, start_of_day

RELEASED_BEFORE_COMPLETION = "released_before_completion"


class Learner(PathwayAggregate):
    """Enrolments are keyed by programme id; a programme has at most one open enrolment."""

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
            learner.enrolments[self.programme_id]["suspended"] = True

    class EnrolmentResumed(PathwayAggregate.Event):
        programme_id: str
        resumed_on: date
        sessions_attended: int

        def apply(self, learner: Learner) -> None:
            learner.enrolments[self.programme_id]["suspended"] = False

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

    # --- learning ---------------------------------------------------------

    def check_setting_allows(self, setting: str) -> None:
        if setting == "custody" and self.facility is None:
            raise SettingMismatchError("enrolment refused: a custody programme needs the person to be in custody")
        if setting == "community" and self.supervision is None:
            raise SettingMismatchError(
                "enrolment refused: a community programme needs the person to be under supervision"
            )

    def check_eligible(self, eligibility: dict[str, Any] | None) -> None:
        """The programme's eligibility, where the person's data exists: the security level (from intake's
        classification; an unclassified person is not refused on it)."""
        levels = (eligibility or {}).get("security_levels")
        if levels and self.security_level is not None and self.security_level not in levels:
            raise EligibilityNotMetError(
                f"refused: the programme is for security levels {', '.join(levels)}, "
                f"and the person is classified {self.security_level}"
            )

    def is_eligible(self, eligibility: dict[str, Any] | None) -> bool:
        try:
            self.check_eligible(eligibility)
        except EligibilityNotMetError:
            return False
        return True

    def enrol(
        self, programme_id: str, setting: str, enrolled_on: date, by: Provenance,
        eligibility: dict[str, Any] | None = None,
    ) -> bool:  # fmt: skip
        """Start an enrolment; False if this very enrolment is already recorded."""
        if (programme_id, enrolled_on) in self.enrolled_ever:
            return False
        if programme_id in self.enrolments:
            raise AlreadyEnrolledError("enrolment refused: the person is already enrolled in this programme")
        self.check_setting_allows(setting)
        self.check_eligible(eligibility)
        self.record(
            self.EnrolmentStarted,
            by,
            start_of_day(enrolled_on),
            programme_id=programme_id,
            setting=setting,
            enrolled_on=enrolled_on,
        )
        return True

    def enrolment(self, programme_id: str) -> dict[str, Any]:
        enrolment = self.enrolments.get(programme_id)
        if enrolment is None:
            raise NotEnrolledError("the person is not enrolled in this programme")
        return enrolment

    def active_enrolment(self, programme_id: str) -> dict[str, Any]:
        enrolment = self.enrolment(programme_id)
        if enrolment.get("suspended"):
            raise EnrolmentSuspendedError("the enrolment is suspended since a transfer: its progress is kept")
        return enrolment

    def suspend(self, programme_id: str, on: date, by: Provenance, reason: str = "transferred") -> bool:
        """A transfer away from where the programme runs, or a recall from the community (`recalled`);
        False if not enrolled or already suspended."""
        enrolment = self.enrolments.get(programme_id)
        if enrolment is None or enrolment.get("suspended"):
            return False
        attended = self.sessions_attended(programme_id)
        self.record(
            self.EnrolmentSuspended, by, start_of_day(on), programme_id=programme_id, suspended_on=on,
            reason=reason, sessions_attended=attended,
        )  # fmt: skip
        return True

    def resume(self, programme_id: str, on: date, by: Provenance) -> None:
        attended = self.sessions_attended(programme_id)
        self.record(
            self.EnrolmentResumed, by, start_of_day(on), programme_id=programme_id, resumed_on=on,
            sessions_attended=attended,
        )  # fmt: skip

    def community_enrolments(self) -> list[str]:
        return [pid for pid, enrolment in self.enrolments.items() if enrolment["setting"] == "community"]

    def suspended(self) -> list[str]:
        return [pid for pid, enrolment in self.enrolments.items() if enrolment.get("suspended")]

    def record_attendance(
        self, programme_id: str, session_on: date, attended: bool, by: Provenance, outcome: str | None = None,
        absence_reason: str | None = None,
    ) -> None:  # fmt: skip
        known = self.sessions_ever.get((programme_id, session_on))
        if known is not None:
            known_outcome = self.outcomes_ever.get((programme_id, session_on))
            if known != attended or (outcome is not None and known_outcome not in (None, outcome)):
                raise AttendanceConflictError("session_on: attendance for this session is already recorded")
            return
        self.active_enrolment(programme_id)
        if outcome is not None:
            self.record(
                self.SessionRecorded,
                by,
                start_of_day(session_on),
                programme_id=programme_id,
                session_on=session_on,
                outcome=outcome,
                absence_reason=absence_reason,
                attended=attended,
                sessions_attended=self.sessions_attended(programme_id) + (1 if attended else 0),
            )
            return
        self.record(
            self.AttendanceRecorded,
            by,
            start_of_day(session_on),
            programme_id=programme_id,
            session_on=session_on,
            attended=attended,
            sessions_attended=self.sessions_attended(programme_id) + (1 if attended else 0),
        )

    def sessions_attended(self, programme_id: str) -> int:
        """Sessions attended in the current enrolment (or, with none open, ever in this programme)."""
        current = self.enrolments.get(programme_id)
        if current is not None:
            return sum(1 for attended in current["sessions"].values() if attended)
        return sum(1 for (pid, _), attended in self.sessions_ever.items() if pid == programme_id and attended)

    def complete(
        self,
        programme_id: str,
        kind: str,
        sessions_required: int,
        completed_on: date,
        certificate_no: str,
        by: Provenance,
        rule: dict[str, Any] | None = None,
    ) -> bool:
        """Complete a programme; False if this completion is already recorded. `rule`: the programme's further rule."""
        this_completion = {"completed_on": completed_on, "certificate_no": certificate_no}
        if programme_id not in self.enrolments and self.completed.get(programme_id) == this_completion:
            return False  # this completion is already recorded
        self.active_enrolment(programme_id)
        attended = self.sessions_attended(programme_id)
        if attended < sessions_required:
            raise AttendanceRequirementError(
                f"completion refused: {attended} of {sessions_required} required sessions attended"
            )
        self.check_completion_rule(programme_id, rule or {})
        self.record(
            self.ProgrammeCompleted,
            by,
            start_of_day(completed_on),
            programme_id=programme_id,
            kind=kind,
            completed_on=completed_on,
            certificate_no=certificate_no,
        )
        return True

    def check_completion_rule(self, programme_id: str, rule: dict[str, Any]) -> None:
        """The programme's completion rule, as data: a minimum attendance rate, a maximum of unacceptable absences."""
        enrolment = self.enrolment(programme_id)
        outcomes = enrolment.get("outcomes", {})
        held = [day for day in enrolment["sessions"] if outcomes.get(day) not in ("cancelled", "acceptable_absence")]
        attended = sum(1 for day in held if enrolment["sessions"][day])
        minimum = rule.get("min_attendance_rate")
        if minimum is not None and held and attended / len(held) < minimum:
            raise AttendanceRequirementError(
                f"completion refused: attendance {attended} of {len(held)} sessions held, below {minimum:.0%}"
            )
        unacceptable = sum(1 for o in outcomes.values() if o in ("unacceptable_absence", "refused"))
        most = rule.get("max_unacceptable_absences")
        if most is not None and unacceptable > most:
            raise AttendanceRequirementError(
                f"completion refused: {unacceptable} unacceptable absences or refusals, more than {most}"
            )

    # --- needs ------------------------------------------------------------------

    def assess_needs(
        self, assessment_id: str, assessed_on: date, levels: dict[str, str], barriers: list[str], by: Provenance
    ) -> bool:
        """Record a needs assessment; False if this very assessment is already recorded."""
        this = {"assessed_on": assessed_on, "levels": levels, "barriers": barriers}
        known = self.assessments.get(assessment_id)
        if known is not None:
            if known != this:
                raise NeedsAssessmentConflictError("assessment_id: already used for a different assessment")
            return False
        self.record(
            self.NeedsAssessed, by, start_of_day(assessed_on), assessment_id=assessment_id, assessed_on=assessed_on,
            levels=levels, barriers=barriers,
        )  # fmt: skip
        return True

    # --- outcomes -------------------------------------------------------------

    def has_ended(self, programme_id: str, on: date, outcome: str) -> bool:
        return (programme_id, on, outcome) in self.ended_ever

    def record_end(self, programme_id: str, outcome: str, on: date, by: Provenance, reason: str | None = None) -> None:
        self.record(
            self.ParticipationEnded,
            by,
            start_of_day(on),
            programme_id=programme_id,
            ended_on=on,
            outcome=outcome,
            reason=reason,
        )

    def award_certificate(
        self, programme_id: str, awarding_body: str, certificate_no: str, on: date, by: Provenance
    ) -> None:
        self.record(
            self.CertificateAwarded,
            by,
            start_of_day(on),
            programme_id=programme_id,
            awarding_body=awarding_body,
            certificate_no=certificate_no,
            awarded_on=on,
        )

    # --- referrals and waiting lists ---------------------------------------

    def referral(self, referral_id: str) -> dict[str, Any]:
        found = self.referrals.get(referral_id)
        if found is None:
            raise ReferralNotFoundError("referral_id: no such referral for this person")
        return found

    def open_referral(self, programme_id: str) -> str | None:
        """The person's referral to this programme that is not closed, if any."""
        return next(
            (
                rid
                for rid, r in self.referrals.items()
                if r["programme_id"] == programme_id and r["status"] not in status.TERMINAL
            ),
            None,
        )

    def refer(
        self, referral_id: str, programme_id: str, referred_on: date, reason: tuple[str, str], by: Provenance
    ) -> bool:
        """Create a referral, `submitted`; False if this very referral is already recorded."""
        category, code = reason
        known = self.referrals.get(referral_id)
        if known is not None:
            same = (known["programme_id"], known["referred_on"], known["reason_category"], known["reason_code"])
            if same != (programme_id, referred_on, category, code):
                raise ReferralConflictError("referral_id: already used for a different referral")
            return False
        if self.open_referral(programme_id) is not None:
            raise ReferralOpenError("referral refused: the person already has an open referral to this programme")
        self.record(
            self.ReferralCreated,
            by,
            start_of_day(referred_on),
            referral_id=referral_id,
            programme_id=programme_id,
            referred_on=referred_on,
            status=status.SUBMITTED,
            reason_category=category,
            reason_code=code,
        )
        return True

    def change_referral(self, referral_id: str, wanted: str, on: date, reason: tuple[str, str], by: Provenance) -> bool:
        """Move a referral along an allowed transition; False if this change is already recorded."""
        referral = self.referral(referral_id)
        if (referral_id, wanted, on) in self.changes_ever:
            return False
        status.check_transition(referral["status"], wanted)
        self._move(referral_id, wanted, on, reason, by)
        return True

    def _move(self, referral_id: str, wanted: str, on: date, reason: tuple[str, str], by: Provenance) -> None:
        referral = self.referrals[referral_id]
        self.record(
            self.ReferralStatusChanged,
            by,
            start_of_day(on),
            referral_id=referral_id,
            programme_id=referral["programme_id"],
            from_status=referral["status"],
            status=wanted,
            changed_on=on,
            reason_category=reason[0],
            reason_code=reason[1],
        )

    def end_enrolment(self, programme_id: str, reason: str, on: date, by: Provenance) -> None:
        """An enrolment ended by its referral (deselected, withdrawn): the place is given up."""
        if programme_id in self.enrolments:
            self.record(
                self.EnrolmentWithdrawn, by, start_of_day(on), programme_id=programme_id, withdrawn_on=on, reason=reason
            )

    def accept_referral(self, programme_id: str, enrolled_on: date, by: Provenance) -> None:
        """A direct enrolment: its open referral goes on the programme, or one is recorded, accepted."""
        open_id = self.open_referral(programme_id)
        if open_id is not None and self.referrals[open_id]["status"] in status.ACCEPTED_BY_ENROLMENT:
            self._move(open_id, status.ON_PROGRAMME, enrolled_on, ("enrolment", "direct_enrolment"), by)
            return
        self.record(
            self.ReferralCreated,
            by,
            start_of_day(enrolled_on),
            referral_id=f"enrol:{programme_id}:{enrolled_on.isoformat()}",
            programme_id=programme_id,
            referred_on=enrolled_on,
            status=status.ON_PROGRAMME,
            reason_category="direct_allocation",
            reason_code="enrol",
        )

    def close_referral(self, programme_id: str, wanted: str, on: date, reason: tuple[str, str], by: Provenance) -> None:
        """The referral on this programme follows its enrolment's end (completed, released)."""
        on_programme = next(
            (
                rid
                for rid, r in self.referrals.items()
                if r["programme_id"] == programme_id and r["status"] == status.ON_PROGRAMME
            ),
            None,
        )
        if on_programme is not None:
            self._move(on_programme, wanted, on, reason, by)

    def offer_community_version(self, programme_id: str, after: str, on: date, by: Provenance) -> None:
        """On release from a custody programme: a referral to its community version, unless one is open."""
        if self.open_referral(programme_id) is not None or programme_id in self.enrolments:
            return
        self.record(
            self.ReferralCreated,
            by,
            start_of_day(on),
            referral_id=f"release:{after}:{on.isoformat()}",
            programme_id=programme_id,
            referred_on=on,
            status=status.SUBMITTED,
            reason_category="release",
            reason_code="community_version_offered",
        )

    def join_waiting_list(self, referral_id: str, on: date, by: Provenance) -> None:
        referral = self.referrals[referral_id]
        self.record(
            self.WaitingListJoined,
            by,
            start_of_day(on),
            programme_id=referral["programme_id"],
            referral_id=referral_id,
            referred_on=referral["referred_on"],
            joined_on=on,
        )

    def can_take_place(self, programme_id: str, setting: str, eligibility: dict[str, Any] | None = None) -> bool:
        """Eligible for a place offered now: where the programme runs, who it is for, and not already on it."""
        if programme_id in self.enrolments or not self.is_eligible(eligibility):
            return False
        return (setting == "custody" and self.facility is not None) or (
            setting == "community" and self.supervision is not None
        )

    def allocate(self, referral_id: str, setting: str, on: date, by: Provenance) -> None:
        """A place offered from the waiting list: allocated, the referral on the programme, the enrolment started."""
        programme_id = self.referrals[referral_id]["programme_id"]
        self.record(
            self.PlaceAllocated,
            by,
            start_of_day(on),
            programme_id=programme_id,
            referral_id=referral_id,
            allocated_on=on,
        )
        self._move(referral_id, status.ON_PROGRAMME, on, ("allocation", "place_allocated"), by)
        self.record(
            self.EnrolmentStarted, by, start_of_day(on), programme_id=programme_id, setting=setting, enrolled_on=on
        )

    def learn_security_level(self, level: str, by: Provenance, occurred_at: datetime) -> bool:
        """The level in force after a classification decision; False if already known."""
        if level == self.security_level:
            return False
        self.record(self.SecurityLevelLearned, by, occurred_at, security_level=level)
        return True

    def learn_sentence_end(self, sentence_end: date, by: Provenance, occurred_at: datetime) -> None:
        if sentence_end != self.sentence_end:
            self.record(self.SentenceEndLearned, by, occurred_at, sentence_end=sentence_end)
