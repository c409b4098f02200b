"""Delivery through `pathway import` lines: session outcomes and a programme's completion rule."""

from __future__ import annotations

from typing import Any

from pathway.embedded import EmbeddedSystem
from tests import examples as ex
from tests.embedded.helpers import is_subsequence, load, replay, types

RULE = {"min_attendance_rate": 0.75, "max_unacceptable_absences": 1}


def session(day: str, outcome: str, **extra: Any) -> dict[str, Any]:
    line = ex.attend("A1", day, outcome=outcome, **extra)
    line["data"].pop("attended")
    return line


def test_completion_follows_the_programmes_attendance_rule(system: EmbeddedSystem) -> None:
    lines = [
        ex.publish_programme("P-WELD", sessions_required=2, completion_rule=RULE, awarding_body="National Body"),
        ex.register_person("A1"),
        ex.custodial_sentence("A1"),
        ex.admit("A1"),
        ex.enrol("A1"),
        session("2025-02-08", "attended_and_complied"),
        session("2025-02-15", "failed_to_comply"),
        session("2025-02-22", "attended_and_complied"),
        session("2025-03-01", "acceptable_absence", absence_reason="court appearance"),
        session("2025-03-08", "cancelled"),
    ]
    assert load(system, lines).ok

    refused = load(system, [ex.complete_programme("A1", completed_on="2025-03-09")])
    assert "attendance 2 of 3 sessions held, below 75%" in refused.errors[0]

    assert load(system, [session("2025-03-15", "attended_and_complied"), ex.complete_programme("A1")]).ok
    entries = replay(system, "A1")
    assert is_subsequence(["programmes.attendance.recorded"] * 6 + ["programmes.programme.completed"], types(entries))
    outcomes = [e["data"]["outcome"] for e in entries if e["type"] == "programmes.attendance.recorded"]
    assert outcomes[3] == "acceptable_absence"
    assert "court appearance" not in str(entries)  # the reason is kept, never published
