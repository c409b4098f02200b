"""Programmes' aggregates on their own: where a learner may learn, places, attendance, completion."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import uuid4

import pytest

from services.programmes.domain.errors import (
    AttendanceConflictError,
    AttendanceRequirementError,
    ProgrammeFullError,
    SettingMismatchError,
)
from services.programmes.domain.learner import RELEASED_BEFORE_COMPLETION, Learner
from services.programmes.domain.programme import Programme
from shared.domain import Provenance

BY = Provenance(actor={"id": "tutor-03", "role": "programme_officer", "agency": "Test Prison Service"})
NOW = datetime(2025, 2, 1, 9, 0, tzinfo=UTC)
ENROLLED_ON = date(2025, 2, 3)


def a_learner(*, in_custody: bool = False, supervised: bool = False) -> Learner:
    learner = Learner.register(uuid4(), BY, NOW)
    if in_custody:
        learner.custody_started("HMP Test", BY, NOW)
    if supervised:
        learner.supervision_started("probation", BY, NOW)
    learner.collect_events()
    return learner


def a_programme(**changes: Any) -> Programme:
    details = {
        "programme_id": "VOC-WELD",
        "title": "Welding level 1",
        "kind": "vocational",
        "setting": "custody",
        "capacity": 12,
        "sessions_required": 3,
        **changes,
    }
    programme = Programme.publish(details, BY, NOW)
    programme.collect_events()
    return programme


def an_enrolled_learner() -> Learner:
    learner = a_learner(in_custody=True)
    learner.enrol("VOC-WELD", "custody", ENROLLED_ON, BY)
    learner.collect_events()
    return learner


def attend(learner: Learner, *attended: bool) -> None:
    for week, present in enumerate(attended, start=1):
        learner.record_attendance("VOC-WELD", ENROLLED_ON + timedelta(weeks=week), present, BY)


def complete(learner: Learner) -> bool:
    return learner.complete("VOC-WELD", "vocational", 3, date(2025, 4, 1), "CERT-1", BY)


def test_a_custody_programme_needs_the_person_in_custody() -> None:
    learner = a_learner(supervised=True)

    with pytest.raises(SettingMismatchError, match="in custody"):
        learner.enrol("VOC-WELD", "custody", ENROLLED_ON, BY)

    learner.custody_started("HMP Test", BY, NOW)
    assert learner.enrol("VOC-WELD", "custody", ENROLLED_ON, BY)


def test_a_community_programme_needs_the_person_under_supervision() -> None:
    learner = a_learner(in_custody=True)

    with pytest.raises(SettingMismatchError, match="under supervision"):
        learner.enrol("COM-NUM", "community", ENROLLED_ON, BY)

    learner.supervision_started("probation", BY, NOW)
    assert learner.enrol("COM-NUM", "community", ENROLLED_ON, BY)


def test_the_same_enrolment_again_is_not_recorded_twice() -> None:
    learner = an_enrolled_learner()

    assert learner.enrol("VOC-WELD", "custody", ENROLLED_ON, BY) is False
    assert learner.collect_events() == []


def test_a_full_programme_refuses_a_place_naming_its_capacity() -> None:
    programme = a_programme(capacity=2)
    programme.take_place(uuid4(), BY, NOW)
    programme.take_place(uuid4(), BY, NOW)

    with pytest.raises(ProgrammeFullError) as refused:
        programme.take_place(uuid4(), BY, NOW)
    assert "2 of 2 places" in refused.value.reason
    assert len(programme.participants) == 2


def test_a_freed_place_can_be_taken_again() -> None:
    programme = a_programme(capacity=1)
    first = uuid4()
    programme.take_place(first, BY, NOW)

    programme.free_place(first, BY, NOW)
    programme.take_place(uuid4(), BY, NOW)

    assert len(programme.participants) == 1


def test_completion_is_refused_until_the_required_sessions_are_attended() -> None:
    learner = an_enrolled_learner()
    attend(learner, True, True)

    with pytest.raises(AttendanceRequirementError, match="2 of 3 required sessions"):
        complete(learner)

    attend(learner, True, True, True)  # weeks 1-2 again (no change), then week 3
    assert complete(learner)
    completed = learner.collect_events()[-1]
    assert isinstance(completed, Learner.ProgrammeCompleted)
    assert (completed.programme_id, completed.certificate_no) == ("VOC-WELD", "CERT-1")


def test_absent_sessions_do_not_count_towards_completion() -> None:
    learner = an_enrolled_learner()
    attend(learner, False, True, False, False)

    assert learner.sessions_attended("VOC-WELD") == 1
    with pytest.raises(AttendanceRequirementError, match="1 of 3"):
        complete(learner)
    recorded = [e.sessions_attended for e in learner.collect_events()]
    assert recorded == [0, 1, 1, 1]


def test_attendance_recorded_twice_with_the_same_value_is_one_event() -> None:
    learner = an_enrolled_learner()

    attend(learner, False)
    attend(learner, False)

    assert [type(e) for e in learner.collect_events()] == [Learner.AttendanceRecorded]


def test_attendance_recorded_again_with_a_different_value_is_a_conflict() -> None:
    learner = an_enrolled_learner()
    attend(learner, True)

    with pytest.raises(AttendanceConflictError, match="session_on"):
        attend(learner, False)
    assert learner.sessions_attended("VOC-WELD") == 1


def test_attendance_repeated_after_completion_changes_nothing() -> None:
    learner = an_enrolled_learner()
    attend(learner, True, True, True)
    complete(learner)
    learner.collect_events()

    attend(learner, True, True, True)  # a re-sent command, or a re-imported file

    assert learner.collect_events() == []


def test_leaving_custody_withdraws_custody_enrolments_and_keeps_community_ones() -> None:
    learner = a_learner(in_custody=True, supervised=True)
    learner.enrol("VOC-WELD", "custody", ENROLLED_ON, BY)
    learner.enrol("COM-NUM", "community", ENROLLED_ON, BY)
    learner.collect_events()

    withdrawn = learner.custody_ended(date(2025, 3, 1), BY, NOW)

    assert withdrawn == ["VOC-WELD"]
    events = learner.collect_events()
    assert [type(e) for e in events] == [Learner.EnrolmentWithdrawn, Learner.CustodyEnded]
    assert events[0].programme_id == "VOC-WELD"
    assert events[0].reason == RELEASED_BEFORE_COMPLETION == "released_before_completion"
    assert events[0].withdrawn_on == date(2025, 3, 1)
    assert set(learner.enrolments) == {"COM-NUM"}
    assert learner.facility is None
