"""A learner's enrolments: starting, suspending and resuming them, sessions, completion and its outcome."""

from __future__ import annotations

from datetime import date
from typing import Any

from services.programmes.domain.errors import (
    AlreadyEnrolledError,
    AttendanceConflictError,
    AttendanceRequirementError,
    EnrolmentSuspendedError,
    NotEnrolledError,
)
from services.programmes.domain.learner_eligibility import EligibilityRules
from shared.domain import Provenance, start_of_day

RELEASED_BEFORE_COMPLETION = "released_before_completion"
NO_LONGER_ELIGIBLE = "no_longer_eligible"


class Participation(EligibilityRules):
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
            why = enrolment.get("suspended_for", "transferred")
            raise EnrolmentSuspendedError(f"the enrolment is suspended ({why}): its progress is kept")
        return enrolment

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

    def running(self, setting: str) -> list[str]:
        """Enrolments in this setting going on now (not suspended)."""
        return [
            pid
            for pid, enrolment in self.enrolments.items()
            if enrolment["setting"] == setting and not enrolment.get("suspended")
        ]

    def join_cohort(self, programme_id: str, cohort_id: str, on: date, by: Provenance) -> None:
        """Recorded with the programme's own record of the cohort's members, which tells a repeat."""
        self.record(
            self.CohortJoined, by, start_of_day(on), programme_id=programme_id, cohort_id=cohort_id, joined_on=on
        )

    # --- sessions ------------------------------------------------------------

    def record_attendance(
        self, programme_id: str, session_on: date, attended: bool, by: Provenance, outcome: str | None = None,
        absence_reason: str | None = None,
    ) -> bool:  # fmt: skip
        """Record a session's attendance; False if this very attendance is already recorded."""
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

    def sessions_attended(self, programme_id: str) -> int:
        """Sessions attended in the current enrolment (or, with none open, ever in this programme)."""
        current = self.enrolments.get(programme_id)
        if current is not None:
            return sum(1 for attended in current["sessions"].values() if attended)
        return sum(1 for (pid, _), attended in self.sessions_ever.items() if pid == programme_id and attended)

    # --- completion and outcomes --------------------------------------------

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

    def end_enrolment(self, programme_id: str, reason: str, on: date, by: Provenance) -> None:
        """An enrolment ended by its referral (deselected, withdrawn): the place is given up."""
        if programme_id in self.enrolments:
            self.record(
                self.EnrolmentWithdrawn, by, start_of_day(on), programme_id=programme_id, withdrawn_on=on, reason=reason
            )
