"""A person as the programmes service knows them: where they are, and what they are learning.

One aggregate, grouped by capability: where the person is, who a programme is for (eligibility),
enrolments, sessions, completion and outcomes, referrals, the waiting list, needs and plans. Each
event class sits right after the method(s) that record it; its `apply` is the state change. A
referral's status machine is a pure rule of its own (referral.py).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal, NotRequired, TypedDict
from uuid import UUID

from services.programmes.domain import referral as status
from services.programmes.domain.errors import (
    AlreadyEnrolledError,
    AssessmentNotFoundError,
    AttendanceConflictError,
    AttendanceRequirementError,
    EligibilityNotMetError,
    EnrolmentSuspendedError,
    NeedsAssessmentConflictError,
    NotEnrolledError,
    PlanConflictError,
    PlanDateError,
    ReferralConflictError,
    ReferralNotFoundError,
    ReferralOpenError,
    SettingMismatchError,
)
from shared.domain import PathwayAggregate, Provenance, differing, start_of_day

RELEASED_BEFORE_COMPLETION = "released_before_completion"
NO_LONGER_ELIGIBLE = "no_longer_eligible"
# Recorded as such by intake: no data to refuse a women-only or men-only programme on.
UNKNOWN_SEX = "unknown"


class Enrolment(TypedDict):
    """An open enrolment (keyed by programme id)."""

    setting: str  # custody or community
    enrolled_on: date
    sessions: dict[str, bool]  # session day (ISO) -> attended
    outcomes: NotRequired[dict[str, str]]  # session day (ISO) -> outcome, once a session is recorded with one
    suspended: NotRequired[bool]  # once suspended (False again when resumed)
    suspended_for: NotRequired[str | None]  # why, while suspended


class Completion(TypedDict):
    """A programme completed (keyed by programme id)."""

    completed_on: date
    certificate_no: str


class Referral(TypedDict):
    """A referral (keyed by referral id); `status` moves along referral.TRANSITIONS."""

    programme_id: str
    referred_on: date
    status: str
    reason_category: str
    reason_code: str
    waiting: bool  # on the programme's waiting list in this status


class Assessment(TypedDict):
    """A needs assessment (keyed by assessment id). Sensitive: kept, never published."""

    assessed_on: date
    levels: dict[str, str]  # education_level, literacy, numeracy, work_readiness
    barriers: list[str]
    risk_of_reoffending: str | None  # None: not assessed
    needs: list[str] | None  # None: not assessed


class Plan(TypedDict):
    """An individual plan (keyed by plan id), built from a needs assessment."""

    assessment_id: str
    drawn_up_on: date
    goals: list[dict[str, Any]]  # {need, programme_id, note}


class Learner(PathwayAggregate):
    """Enrolments are keyed by programme id; a programme has at most one open enrolment."""

    def __init__(self, **_: Any) -> None:
        self.security_level: str | None = None
        self.referrals: dict[str, Referral] = {}
        self.changes_ever: set[tuple[str, str, date]] = set()
        self.sentence_end: date | None = None
        self.facility: str | None = None
        self.supervision: str | None = None
        self.enrolments: dict[str, Enrolment] = {}
        self.completed: dict[str, Completion] = {}
        # Every fact ever recorded, so a repeated command is recognised after the state moved on.
        self.enrolled_ever: set[tuple[str, date]] = set()
        self.sessions_ever: dict[tuple[str, date], bool] = {}
        self.outcomes_ever: dict[tuple[str, date], str] = {}
        self.ended_ever: set[tuple[str, date, str]] = set()
        self.assessments: dict[str, Assessment] = {}
        self.sex: str | None = None
        self.plans: dict[str, Plan] = {}

    @classmethod
    def register(cls, person_id: UUID, by: Provenance, occurred_at: datetime) -> Learner:
        return cls._create(cls.Registered, id=person_id, occurred_at=occurred_at, **by.fields())

    class Registered(PathwayAggregate.Created):
        """Learned from intake: this person exists."""

    # --- where the person is (learned from intake and release) ---------------

    def custody_started(self, facility: str, by: Provenance, occurred_at: datetime) -> None:
        self.record(self.CustodyStarted, by, occurred_at, facility=facility)

    class CustodyStarted(PathwayAggregate.Event):
        facility: str

        def apply(self, learner: Learner) -> None:
            learner.facility = self.facility

    def custody_ended(self, released_on: date, by: Provenance, occurred_at: datetime) -> list[str]:
        """Leave custody; custody enrolments end (EnrolmentWithdrawn) as released before completion. Returns
        their programmes."""
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

    class CustodyEnded(PathwayAggregate.Event):
        def apply(self, learner: Learner) -> None:
            learner.facility = None

    def supervision_started(self, supervision_type: str, by: Provenance, occurred_at: datetime) -> None:
        self.record(self.SupervisionStarted, by, occurred_at, supervision_type=supervision_type)

    class SupervisionStarted(PathwayAggregate.Event):
        supervision_type: str

        def apply(self, learner: Learner) -> None:
            learner.supervision = self.supervision_type

    def supervision_ended(self, by: Provenance, occurred_at: datetime) -> None:
        if self.supervision is not None:
            self.record(self.SupervisionEnded, by, occurred_at)

    class SupervisionEnded(PathwayAggregate.Event):
        def apply(self, learner: Learner) -> None:
            learner.supervision = None

    # --- eligibility: who a programme is for ---------------------------------
    #
    # Checked against what programmes knows of the person. A criterion is applied only where the
    # person's data exists: a person not yet classified, whose sex is not known (or recorded
    # `unknown`), or not yet assessed for risk or needs, is not refused on that criterion. The data
    # may come later, and a place should not wait for it; a reclassification is checked again
    # against running enrolments (see the reactions).

    def check_setting_allows(self, setting: str) -> None:
        if setting == "custody" and self.facility is None:
            raise SettingMismatchError("enrolment refused: a custody programme needs the person to be in custody")
        if setting == "community" and self.supervision is None:
            raise SettingMismatchError(
                "enrolment refused: a community programme needs the person to be under supervision"
            )

    def check_eligible(self, eligibility: dict[str, Any] | None) -> None:
        """The programme's eligibility by security level, sex, risk of reoffending and needs, each where the
        person's data exists. The refusal names the criterion, never the person's value (messages reach
        HTTP bodies, dead letters and logs: shared/errors.py)."""
        wanted = eligibility or {}
        self.check_security_level(wanted)
        sexes = wanted.get("sexes")
        if sexes and self.sex not in (None, UNKNOWN_SEX) and self.sex not in sexes:
            raise EligibilityNotMetError(
                f"refused: the programme is for sexes {', '.join(sexes)}, and the person's recorded sex is not one"
            )
        risks, risk = wanted.get("risk_levels"), self.risk_of_reoffending
        if risks and risk is not None and risk not in risks:
            raise EligibilityNotMetError(
                f"refused: the programme is for risk levels {', '.join(risks)}, and the person's assessed risk "
                "is not one of them"
            )
        needs, assessed = wanted.get("needs"), self.assessed_needs
        if needs and assessed is not None and not set(needs) & set(assessed):
            # The person's needs are sensitive (health, substance use): the message does not list them.
            raise EligibilityNotMetError(
                f"refused: the programme is for needs {', '.join(needs)}, and the person's latest assessment "
                "identified none of them"
            )

    def check_security_level(self, eligibility: dict[str, Any] | None) -> None:
        """The security level (from intake's classification; an unclassified person is not refused on it)."""
        levels = (eligibility or {}).get("security_levels")
        if levels and self.security_level is not None and self.security_level not in levels:
            raise EligibilityNotMetError(
                f"refused: the programme is for security levels {', '.join(levels)}, "
                "and the person's security level is not one of them"
            )

    def is_eligible(self, eligibility: dict[str, Any] | None) -> bool:
        try:
            self.check_eligible(eligibility)
        except EligibilityNotMetError:
            return False
        return True

    def meets_security_level(self, eligibility: dict[str, Any] | None) -> bool:
        """Only the security level: what a reclassification re-checks on running enrolments. (Needs met by
        the programme itself must not end it, so a later assessment is not held against a running one.)"""
        try:
            self.check_security_level(eligibility)
        except EligibilityNotMetError:
            return False
        return True

    @property
    def risk_of_reoffending(self) -> str | None:
        """From the latest assessment (by date, then as recorded) that assessed it."""
        return self._latest_assessed("risk_of_reoffending")

    @property
    def assessed_needs(self) -> list[str] | None:
        """The needs the latest assessment listing them identified (None: never assessed for needs)."""
        found: list[str] | None = self._latest_assessed("needs")
        return found

    def _latest_assessed(self, key: Literal["risk_of_reoffending", "needs"]) -> Any:
        found = [a for a in self.assessments.values() if a.get(key) is not None]
        return sorted(found, key=lambda a: a["assessed_on"])[-1][key] if found else None

    def learn_security_level(self, level: str, by: Provenance, occurred_at: datetime) -> bool:
        """From intake: the level in force after a classification decision; False if already known."""
        if level == self.security_level:
            return False
        self.record(self.SecurityLevelLearned, by, occurred_at, security_level=level)
        return True

    class SecurityLevelLearned(PathwayAggregate.Event):
        """From intake's classification decisions: the security level in force. Added with issue 5."""

        security_level: str

        def apply(self, learner: Learner) -> None:
            learner.security_level = self.security_level

    def learn_sex(self, sex: str, by: Provenance, occurred_at: datetime) -> bool:
        """The sex intake registered (for women-only or men-only programmes); False if already known."""
        if sex == self.sex:
            return False
        self.record(self.SexLearned, by, occurred_at, sex=sex)
        return True

    class SexLearned(PathwayAggregate.Event):
        """From intake's registration: the person's sex, for women-only or men-only programmes (Bangkok Rules).
        Added with eligibility by sex."""

        sex: str

        def apply(self, learner: Learner) -> None:
            learner.sex = self.sex

    # --- enrolments ----------------------------------------------------------

    def enrol(
        self, programme_id: str, setting: str, enrolled_on: date, by: Provenance,
        eligibility: dict[str, Any] | None = None,
    ) -> bool:  # fmt: skip
        """Start an enrolment; False if this very enrolment is already recorded. (A place allocated from the
        waiting list starts one too: `allocate`.)"""
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

    def enrolment(self, programme_id: str) -> Enrolment:
        enrolment = self.enrolments.get(programme_id)
        if enrolment is None:
            raise NotEnrolledError("the person is not enrolled in this programme")
        return enrolment

    def active_enrolment(self, programme_id: str) -> Enrolment:
        enrolment = self.enrolment(programme_id)
        if enrolment.get("suspended"):
            why = enrolment.get("suspended_for", "transferred")
            raise EnrolmentSuspendedError(f"the enrolment is suspended ({why}): its progress is kept")
        return enrolment

    def community_enrolments(self) -> list[str]:
        return [pid for pid, enrolment in self.enrolments.items() if enrolment["setting"] == "community"]

    def suspended(self) -> list[str]:
        return [pid for pid, enrolment in self.enrolments.items() if enrolment.get("suspended")]

    def running(self, setting: str) -> list[str]:
        """Enrolments in this setting going on now (not suspended)."""
        return [
            pid
            for pid, enrolment in self.enrolments.items()
            if enrolment["setting"] == setting and not enrolment.get("suspended")
        ]

    def suspend(self, programme_id: str, on: date, by: Provenance, reason: str = "transferred") -> bool:
        """A transfer away from where the programme runs, a recall from the community (`recalled`), or a
        reclassification the programme is not for (`no_longer_eligible`); False if not enrolled or already
        suspended."""
        enrolment = self.enrolments.get(programme_id)
        if enrolment is None or enrolment.get("suspended"):
            return False
        attended = self.sessions_attended(programme_id)
        self.record(
            self.EnrolmentSuspended, by, start_of_day(on), programme_id=programme_id, suspended_on=on,
            reason=reason, sessions_attended=attended,
        )  # fmt: skip
        return True

    class EnrolmentSuspended(PathwayAggregate.Event):
        programme_id: str
        suspended_on: date
        reason: str
        sessions_attended: int

        def apply(self, learner: Learner) -> None:
            learner.enrolments[self.programme_id].update({"suspended": True, "suspended_for": self.reason})

    def resume(self, programme_id: str, on: date, by: Provenance) -> None:
        attended = self.sessions_attended(programme_id)
        self.record(
            self.EnrolmentResumed, by, start_of_day(on), programme_id=programme_id, resumed_on=on,
            sessions_attended=attended,
        )  # fmt: skip

    class EnrolmentResumed(PathwayAggregate.Event):
        programme_id: str
        resumed_on: date
        sessions_attended: int

        def apply(self, learner: Learner) -> None:
            learner.enrolments[self.programme_id].update({"suspended": False, "suspended_for": None})

    def end_enrolment(self, programme_id: str, reason: str, on: date, by: Provenance) -> None:
        """An enrolment ended by its referral (deselected, withdrawn): the place is given up. (A release ends
        custody enrolments too: `custody_ended`.)"""
        if programme_id in self.enrolments:
            self.record(
                self.EnrolmentWithdrawn, by, start_of_day(on), programme_id=programme_id, withdrawn_on=on, reason=reason
            )

    class EnrolmentWithdrawn(PathwayAggregate.Event):
        programme_id: str
        withdrawn_on: date
        reason: str

        def apply(self, learner: Learner) -> None:
            del learner.enrolments[self.programme_id]

    def join_cohort(self, programme_id: str, cohort_id: str, on: date, by: Provenance) -> None:
        """Recorded with the programme's own record of the cohort's members, which tells a repeat."""
        self.record(
            self.CohortJoined, by, start_of_day(on), programme_id=programme_id, cohort_id=cohort_id, joined_on=on
        )

    class CohortJoined(PathwayAggregate.Event):
        """Put in a cohort of a programme the person is enrolled in (the programme keeps the cohort's members);
        here so that the person's own history shows it."""

        programme_id: str
        cohort_id: str
        joined_on: date

    # --- sessions ------------------------------------------------------------

    def record_attendance(
        self, programme_id: str, session_on: date, attended: bool, by: Provenance, outcome: str | None = None,
        absence_reason: str | None = None,
    ) -> bool:  # fmt: skip
        """Record a session's attendance (with an outcome, a SessionRecorded); False if this very attendance is
        already recorded."""
        known = self.sessions_ever.get((programme_id, session_on))
        if known is not None:
            known_outcome = self.outcomes_ever.get((programme_id, session_on))
            if known != attended or (outcome is not None and known_outcome not in (None, outcome)):
                raise AttendanceConflictError("session_on: attendance for this session is already recorded")
            return False
        self.active_enrolment(programme_id)
        attended_now = self.sessions_attended(programme_id) + (1 if attended else 0)
        if outcome is not None:
            self.record(
                self.SessionRecorded, by, start_of_day(session_on), programme_id=programme_id, session_on=session_on,
                outcome=outcome, absence_reason=absence_reason, attended=attended, sessions_attended=attended_now,
            )  # fmt: skip
            return True
        self.record(
            self.AttendanceRecorded, by, start_of_day(session_on), programme_id=programme_id, session_on=session_on,
            attended=attended, sessions_attended=attended_now,
        )  # fmt: skip
        return True

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

    def sessions_attended(self, programme_id: str) -> int:
        """Sessions attended in the current enrolment (or, with none open, ever in this programme)."""
        current = self.enrolments.get(programme_id)
        if current is not None:
            return sum(1 for attended in current["sessions"].values() if attended)
        return sum(1 for (pid, _), attended in self.sessions_ever.items() if pid == programme_id and attended)

    # --- completion and outcomes ---------------------------------------------

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

    class ParticipationEnded(PathwayAggregate.Event):
        """After the enrolment's own end (completed, withdrawn): how the participation ended, and why."""

        programme_id: str
        ended_on: date
        outcome: str
        reason: str | None

        def apply(self, learner: Learner) -> None:
            learner.ended_ever.add((self.programme_id, self.ended_on, self.outcome))

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

    class CertificateAwarded(PathwayAggregate.Event):
        programme_id: str
        awarding_body: str
        certificate_no: str
        awarded_on: date

    # --- referrals: their status machine is referral.py ----------------------

    def referral(self, referral_id: str) -> Referral:
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
        known = self.referrals.get(referral_id)
        if known is not None:
            same = (known["programme_id"], known["referred_on"], known["reason_category"], known["reason_code"])
            if same != (programme_id, referred_on, *reason):
                raise ReferralConflictError("referral_id: already used for a different referral")
            return False
        if self.open_referral(programme_id) is not None:
            raise ReferralOpenError("referral refused: the person already has an open referral to this programme")
        self._record_referral(referral_id, programme_id, referred_on, status.SUBMITTED, reason, by)
        return True

    def _record_referral(
        self, referral_id: str, programme_id: str, on: date, initial: str, reason: tuple[str, str], by: Provenance
    ) -> None:
        """A referral created: by `refer`, `accept_referral` or `offer_community_version`."""
        self.record(
            self.ReferralCreated, by, start_of_day(on), referral_id=referral_id, programme_id=programme_id,
            referred_on=on, status=initial, reason_category=reason[0], reason_code=reason[1],
        )  # fmt: skip

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

    def change_referral(self, referral_id: str, wanted: str, on: date, reason: tuple[str, str], by: Provenance) -> bool:
        """Move a referral along an allowed transition; False if this change is already recorded."""
        referral = self.referral(referral_id)
        if (referral_id, wanted, on) in self.changes_ever:
            return False
        status.check_transition(referral["status"], wanted)
        self._move(referral_id, wanted, on, reason, by)
        return True

    def _move(self, referral_id: str, wanted: str, on: date, reason: tuple[str, str], by: Provenance) -> None:
        """A referral's status changed: by `change_referral`, `accept_referral`, `close_referral` or `allocate`."""
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
            referral.update({"status": self.status, "waiting": False})
            learner.changes_ever.add((self.referral_id, self.status, self.changed_on))

    def accept_referral(self, programme_id: str, enrolled_on: date, by: Provenance) -> None:
        """A direct enrolment: its open referral goes on the programme, or one is recorded, accepted."""
        open_id = self.open_referral(programme_id)
        if open_id is not None and self.referrals[open_id]["status"] in status.ACCEPTED_BY_ENROLMENT:
            self._move(open_id, status.ON_PROGRAMME, enrolled_on, ("enrolment", "direct_enrolment"), by)
            return
        referral_id, reason = f"enrol:{programme_id}:{enrolled_on.isoformat()}", ("direct_allocation", "enrol")
        self._record_referral(referral_id, programme_id, enrolled_on, status.ON_PROGRAMME, reason, by)

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
        reason = ("release", "community_version_offered")
        self._record_referral(f"release:{after}:{on.isoformat()}", programme_id, on, status.SUBMITTED, reason, by)

    # --- the waiting list ----------------------------------------------------

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

    class WaitingListJoined(PathwayAggregate.Event):
        programme_id: str
        referral_id: str
        referred_on: date
        joined_on: date

        def apply(self, learner: Learner) -> None:
            learner.referrals[self.referral_id]["waiting"] = True

    def can_take_place(self, programme_id: str, setting: str, eligibility: dict[str, Any] | None = None) -> bool:
        """Eligible for a place offered now: where the programme runs, who it is for, and not already on it."""
        if programme_id in self.enrolments or not self.is_eligible(eligibility):
            return False
        return (setting == "custody" and self.facility is not None) or (
            setting == "community" and self.supervision is not None
        )

    def allocate(self, referral_id: str, setting: str, on: date, by: Provenance) -> None:
        """A place offered from the waiting list: allocated, the referral on the programme (ReferralStatusChanged),
        the enrolment started (EnrolmentStarted)."""
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

    class PlaceAllocated(PathwayAggregate.Event):
        programme_id: str
        referral_id: str
        allocated_on: date

    def learn_sentence_end(self, sentence_end: date, by: Provenance, occurred_at: datetime) -> None:
        """From release: the sentence end, which sets the person's priority on waiting lists."""
        if sentence_end != self.sentence_end:
            self.record(self.SentenceEndLearned, by, occurred_at, sentence_end=sentence_end)

    class SentenceEndLearned(PathwayAggregate.Event):
        """From release's latest release-date calculation: when the person's sentence ends."""

        sentence_end: date

        def apply(self, learner: Learner) -> None:
            learner.sentence_end = self.sentence_end

    # --- needs and plans (Mandela Rule 94) -----------------------------------

    def assess_needs(
        self, assessment_id: str, assessed_on: date, levels: dict[str, str], barriers: list[str], by: Provenance,
        risk_of_reoffending: str | None = None, needs: list[str] | None = None,
    ) -> bool:  # fmt: skip
        """Record a needs assessment; False if this very assessment is already recorded.

        The risk of reoffending and the needs identified (added with eligibility) go in an event of their own
        beside it, so that assessments recorded without them keep their stored shape.
        """
        this = {
            "assessed_on": assessed_on, "levels": levels, "barriers": barriers,
            "risk_of_reoffending": risk_of_reoffending, "needs": needs,
        }  # fmt: skip
        known = self.assessments.get(assessment_id)
        if known is not None:
            if changed := differing(dict(known), this):
                raise NeedsAssessmentConflictError(
                    f"assessment_id: already used for a different assessment (differing: {', '.join(changed)})"
                )
            return False
        self.record(
            self.NeedsAssessed, by, start_of_day(assessed_on), assessment_id=assessment_id, assessed_on=assessed_on,
            levels=levels, barriers=barriers,
        )  # fmt: skip
        if risk_of_reoffending is not None or needs is not None:
            self.record(
                self.RiskAndNeedsAssessed, by, start_of_day(assessed_on), assessment_id=assessment_id,
                risk_of_reoffending=risk_of_reoffending, needs=needs,
            )  # fmt: skip
        return True

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

    class RiskAndNeedsAssessed(PathwayAggregate.Event):
        """Recorded beside a NeedsAssessed of the same id: the risk of reoffending and the needs identified
        (None: not assessed). Sensitive, like the barriers: kept, never published. Added with eligibility."""

        assessment_id: str
        risk_of_reoffending: str | None
        needs: list[str] | None

        def apply(self, learner: Learner) -> None:
            learner.assessments[self.assessment_id].update(
                {"risk_of_reoffending": self.risk_of_reoffending, "needs": self.needs}
            )

    def draw_up_plan(
        self, plan_id: str, assessment_id: str, drawn_up_on: date, goals: list[dict[str, Any]],
        eligibility_of: dict[str, dict[str, Any] | None], by: Provenance,
    ) -> bool:  # fmt: skip
        """Record an individual plan built from a needs assessment; False if this very plan is already recorded.

        Each goal meets a need, through a programme or otherwise (`programme_id` None). A named programme must
        be one the person is eligible for (`eligibility_of` gives each one's eligibility); its setting is not
        checked, as a plan may look past release.
        """
        this = {"assessment_id": assessment_id, "drawn_up_on": drawn_up_on, "goals": goals}
        known = self.plans.get(plan_id)
        if known is not None:
            if changed := differing(dict(known), this):
                raise PlanConflictError(f"plan_id: already used for a different plan (differing: {', '.join(changed)})")
            return False
        assessment = self.assessments.get(assessment_id)
        if assessment is None:
            raise AssessmentNotFoundError("assessment_id: no such needs assessment for this person")
        if drawn_up_on < assessment["assessed_on"]:
            raise PlanDateError("drawn_up_on: before the needs assessment the plan is built from")
        for number, goal in enumerate(goals):
            programme_id = goal.get("programme_id")
            if programme_id is None:
                continue
            try:
                self.check_eligible(eligibility_of.get(programme_id))
            except EligibilityNotMetError as refused:
                raise EligibilityNotMetError(f"goals[{number}].programme_id: {programme_id} {refused}") from None
        self.record(
            self.PlanDrawnUp, by, start_of_day(drawn_up_on), plan_id=plan_id, assessment_id=assessment_id,
            drawn_up_on=drawn_up_on, goals=goals,
        )  # fmt: skip
        return True

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
