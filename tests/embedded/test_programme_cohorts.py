"""Delivery in cohorts through `pathway import` lines: a cohort scheduled, people put in it, its sessions."""

from __future__ import annotations

from typing import Any

from pathway.embedded import EmbeddedSystem
from tests import examples as ex
from tests.embedded.helpers import is_subsequence, load, replay, types
from tests.embedded.test_programme_learning_record import record_of

RULE = {"min_attendance_rate": 0.75}


def schedule_cohort(cohort_id: str = "C-1", **overrides: Any) -> dict[str, Any]:
    data = {"programme_id": "P-WELD", "cohort_id": cohort_id, "starts_on": "2025-02-03", "sessions_planned": 8}
    return ex.line("programmes", "schedule_cohort", **{**data, **overrides})


def assign(value: str, cohort_id: str = "C-1") -> dict[str, Any]:
    data = {"national_id": ex.nid(value), "programme_id": "P-WELD", "cohort_id": cohort_id}
    return ex.line("programmes", "assign_to_cohort", **data, assigned_on="2025-02-02")


def session(day: str, *attendance: tuple[str, str], cancelled: bool = False) -> dict[str, Any]:
    people = [
        {"national_id": ex.nid(value), "outcome": outcome}
        | ({"absence_reason": "court appearance"} if outcome == "acceptable_absence" else {})
        for value, outcome in attendance
    ]
    data = {"programme_id": "P-WELD", "cohort_id": "C-1", "session_on": day, "attendance": people}
    return ex.line("programmes", "record_session", **data, cancelled=cancelled)


def enrolled(*values: str) -> list[dict[str, Any]]:
    return [
        line for v in values for line in (ex.register_person(v), ex.custodial_sentence(v), ex.admit(v), ex.enrol(v))
    ]


def cohort_lines() -> list[dict[str, Any]]:
    return [
        ex.publish_programme("P-WELD", capacity=3, sessions_required=2, completion_rule=RULE, awarding_body="NAB"),
        schedule_cohort(),
        *enrolled("A1", "B1", "C1"),
        assign("A1"),
        assign("B1"),
        session("2025-02-08", ("A1", "attended_and_complied"), ("B1", "acceptable_absence")),
        session("2025-02-15", cancelled=True),
        session("2025-02-22", ("A1", "attended_and_complied"), ("B1", "attended_and_complied")),
    ]


def test_a_cohorts_sessions_count_towards_each_persons_completion(system: EmbeddedSystem) -> None:
    loaded = load(system, cohort_lines())
    assert loaded.ok, loaded.errors

    assert load(system, [ex.complete_programme("A1")]).ok
    refused = load(system, [ex.complete_programme("B1")])
    assert "1 of 2 required sessions attended" in refused.errors[0]

    sessions = record_of(system, "A1")["participations"][0]["sessions"]
    assert [(s["session_on"], s["outcome"]) for s in sessions] == [
        ("2025-02-08", "attended_and_complied"),
        ("2025-02-15", "cancelled"),  # recorded for everyone in the cohort
        ("2025-02-22", "attended_and_complied"),
    ]
    assert record_of(system, "C1")["participations"][0]["sessions"] == []  # not in the cohort
    entries = replay(system, "B1")
    wanted = ["programmes.enrolment.started", "programmes.cohort.joined"] + ["programmes.attendance.recorded"] * 3
    assert is_subsequence(wanted, types(entries))
    assert "court appearance" not in str(entries)


def test_the_same_cohort_lines_again_change_nothing(system: EmbeddedSystem) -> None:
    assert load(system, cohort_lines()).ok

    again = load(system, cohort_lines())

    assert again.ok, again.errors
    assert again.applied == 0


def test_a_session_refuses_a_person_outside_the_cohort_and_records_nothing(system: EmbeddedSystem) -> None:
    assert load(system, cohort_lines()).ok

    refused = load(system, [session("2025-03-01", ("A1", "attended_and_complied"), ("C1", "refused"))])

    assert "attendance[1]: the person is not in cohort C-1" in refused.errors[0]
    assert len(record_of(system, "A1")["participations"][0]["sessions"]) == 3


def test_a_cohort_takes_only_people_enrolled_in_its_programme(system: EmbeddedSystem) -> None:
    lines = [ex.publish_programme("P-WELD"), schedule_cohort(), ex.register_person("D1"), ex.custodial_sentence("D1")]
    assert load(system, [*lines, ex.admit("D1")]).ok

    refused = load(system, [assign("D1")])

    assert "not enrolled" in refused.errors[0]
