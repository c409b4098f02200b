"""Delivery on its own: session outcomes, and completion rules as data per programme."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from services.programmes.domain.errors import AttendanceConflictError, AttendanceRequirementError
from services.programmes.domain.learner import Learner
from shared.contracts.commands import RecordAttendance
from shared.errors import InvalidInput
from tests.examples import attend
from tests.unit.test_programmes_domain import BY, ENROLLED_ON, an_enrolled_learner

ATTENDED_RULE = {"min_attendance_rate": 0.75, "max_unacceptable_absences": 1}


def sessions(learner: Learner, *outcomes: str) -> None:
    for week, outcome in enumerate(outcomes, start=1):
        reason = "court appearance" if outcome == "acceptable_absence" else None
        counted = outcome == "attended_and_complied"
        learner.record_attendance("VOC-WELD", ENROLLED_ON + timedelta(weeks=week), counted, BY, outcome, reason)


def complete(learner: Learner, rule: dict[str, object]) -> bool:
    return learner.complete("VOC-WELD", "vocational", 3, date(2025, 4, 1), "CERT-1", BY, rule=rule)


def test_a_session_outcome_is_recorded_and_only_attended_and_complied_counts() -> None:
    learner = an_enrolled_learner()
    sessions(learner, "attended_and_complied", "failed_to_comply", "cancelled")

    events = learner.collect_events()
    assert [type(e) for e in events] == [Learner.SessionRecorded] * 3
    assert [(e.outcome, e.attended, e.sessions_attended) for e in events] == [
        ("attended_and_complied", True, 1),
        ("failed_to_comply", False, 1),
        ("cancelled", False, 1),
    ]


def test_the_same_session_with_another_outcome_is_a_conflict() -> None:
    learner = an_enrolled_learner()
    sessions(learner, "refused")

    with pytest.raises(AttendanceConflictError, match="session_on"):
        sessions(learner, "unacceptable_absence")
    sessions(learner, "refused")  # the same again: nothing new
    assert len(learner.collect_events()) == 1


def test_the_minimum_attendance_leaves_out_cancelled_sessions_and_acceptable_absences() -> None:
    learner = an_enrolled_learner()
    sessions(learner, *["attended_and_complied"] * 3, "cancelled", "acceptable_absence")

    assert complete(learner, ATTENDED_RULE)


def test_completion_is_refused_below_the_minimum_attendance_rate() -> None:
    learner = an_enrolled_learner()
    sessions(learner, *["attended_and_complied"] * 3, "failed_to_comply", "failed_to_comply")

    with pytest.raises(AttendanceRequirementError, match="attendance 3 of 5 sessions held, below 75%"):
        complete(learner, ATTENDED_RULE)


def test_completion_is_refused_past_the_unacceptable_absences_allowed() -> None:
    learner = an_enrolled_learner()
    sessions(learner, *["attended_and_complied"] * 8, "unacceptable_absence", "refused")

    with pytest.raises(AttendanceRequirementError, match="2 unacceptable absences or refusals, more than 1"):
        complete(learner, ATTENDED_RULE)


def test_without_a_rule_the_spine_rule_alone_holds() -> None:
    learner = an_enrolled_learner()
    sessions(learner, *["attended_and_complied"] * 3, "refused", "refused", "refused")

    assert complete(learner, {})


def test_the_command_takes_attended_an_outcome_or_both_if_they_agree() -> None:
    spine = attend("A1")["data"]
    outcome_only = {k: v for k, v in spine.items() if k != "attended"}

    assert RecordAttendance.model_validate(spine).session_attended()
    assert not RecordAttendance.model_validate({**outcome_only, "outcome": "refused"}).session_attended()
    with pytest.raises(InvalidInput, match="give attended, outcome or both"):
        RecordAttendance.model_validate(outcome_only)
    with pytest.raises(InvalidInput, match="does not agree"):
        RecordAttendance.model_validate({**spine, "outcome": "failed_to_comply"})
    with pytest.raises(InvalidInput, match="absence_reason"):
        RecordAttendance.model_validate({**outcome_only, "outcome": "acceptable_absence"})
