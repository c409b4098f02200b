"""Reintegration follow-ups at set points after a release or a measure's end: `pathway report followups-due`."""

from __future__ import annotations

import json
from typing import Any

import pytest

from pathway.embedded import EmbeddedSystem
from shared.contracts.base import NationalId, person_id_for
from tests import examples as ex
from tests.embedded.helpers import load, replay
from tests.embedded.test_cli import run

# F1: released 2026-02-14 on licence (follow-ups due 2026-08-14, 2027-02-14, 2028-02-14); one outcome names no
# point but falls 6 days after the 6-month one; another names the 12-month point, 46 days late.
# F2: probation from 2025-01-10 that expired 2026-01-10 (due 2026-07-10, 2027-01-10, 2028-01-10); its only
# outcome, 2026-03-01, is near no point: an extra contact, answering none.
COHORT = [
    ex.register_person("F1"), ex.custodial_sentence("F1"), ex.admit("F1"), ex.release("F1"),
    ex.complete_supervision("F1"),
    ex.record_outcome("F1", recorded_on="2026-08-20"),
    ex.record_outcome("F1", recorded_on="2027-04-01", follow_up_months=12),
    ex.register_person("F2"), ex.non_custodial_measure("F2"),
    ex.record_outcome("F2", recorded_on="2026-03-01"),
]  # fmt: skip


def person(value: str) -> str:
    return str(person_id_for(NationalId(**ex.nid(value))))


def due(system: EmbeddedSystem, *more: str) -> Any:
    code, out, err = run("report", "followups-due", "--format", "json", "--data", str(system.data_dir), *more)
    assert code == 0, err
    return json.loads(out)


def brief(rows: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    names = {person("F1"): "F1", person("F2"): "F2"}
    return [(names[r["person_id"]], r["anchor"], r["months"], r["due_on"], r["status"], r["recorded_on"]) for r in rows]


def test_follow_ups_fall_due_at_the_jurisdictions_points_and_outcomes_answer_them(system: EmbeddedSystem) -> None:
    result = load(system, COHORT)
    assert result.ok, result.errors

    assert brief(due(system, "--on", "2027-03-01", "--within", "0")) == [
        ("F2", "measure_end", 6, "2026-07-10", "overdue", None),
        ("F1", "release", 6, "2026-08-14", "recorded", "2026-08-20"),
        ("F2", "measure_end", 12, "2027-01-10", "overdue", None),
        ("F1", "release", 12, "2027-02-14", "overdue", None),  # its outcome is recorded later
    ]
    rows = due(system, "--on", "2027-04-02", "--within", "0")
    assert [r["status"] for r in rows if r["person_id"] == person("F1")] == ["recorded", "recorded"]
    assert rows[0]["days_overdue"] == 266  # 2026-07-10 to 2027-04-02
    # The next 30 days by default: F2's first follow-up is coming.
    assert brief(due(system, "--on", "2026-06-20")) == [("F2", "measure_end", 6, "2026-07-10", "due", None)]
    assert due(system, "--on", "2026-06-20") == due(system, "--on", "2026-06-20")  # rebuilt: the same
    table = run("report", "followups-due", "--on", "2027-03-01", "--data", str(system.data_dir))[1]
    assert "3 overdue, 0 due, 1 recorded" in table


def test_an_outcome_names_a_follow_up_point_of_the_jurisdiction_and_publishes_it(system: EmbeddedSystem) -> None:
    assert load(system, COHORT).ok
    wrong = load(system, [ex.record_outcome("F1", recorded_on="2027-05-01", follow_up_months=18)])

    assert wrong.failed == 1
    assert "follow_up_months: not a follow-up point here (months: 6, 12, 24)" in wrong.errors[0]
    outcomes = [e["data"] for e in replay(system, "F1") if e["type"] == "release.outcome.recorded"]
    assert [(o["recorded_on"], o["follow_up_months"]) for o in outcomes] == [("2026-08-20", None), ("2027-04-01", 12)]
    again = load(system, [ex.record_outcome("F1", recorded_on="2027-04-01", follow_up_months=12)])
    assert again.skipped == 1
    other = load(system, [ex.record_outcome("F1", recorded_on="2027-04-01", follow_up_months=24, command_id="x-1")])
    assert "recorded_on: an outcome is already recorded for this date" in other.errors[0]


def test_no_follow_up_after_a_death(system: EmbeddedSystem) -> None:
    lines = [
        ex.register_person("F3"), ex.custodial_sentence("F3"), ex.admit("F3"),
        ex.release("F3", release_type="died", released_on="2025-06-01"),
    ]  # fmt: skip
    assert load(system, lines).ok
    assert due(system, "--on", "2028-01-01") == []


def test_a_negative_window_is_refused(system: EmbeddedSystem, capsys: pytest.CaptureFixture[str]) -> None:
    # A usage error, refused by the option's parser as HTTP and RPC refuse the parameter.
    with pytest.raises(SystemExit) as exited:
        run("report", "followups-due", "--within", "-1", "--data", str(system.data_dir))
    assert exited.value.code == 2
    assert "--within: must be a whole number of days, 0 or more" in capsys.readouterr().err


def test_a_follow_up_says_whether_the_person_was_back_in_custody_by_its_point(system: EmbeddedSystem) -> None:
    # Released on licence 2026-02-14, recalled 2026-03-10 (the recall admission), released again 2026-09-02.
    again = ex.release("F1", release_type="sentence_served", released_on="2026-09-02")
    lines = [ex.register_person("F1"), ex.custodial_sentence("F1"), ex.admit("F1"), ex.release("F1"),
             *ex.recall_loop("F1"), again]  # fmt: skip
    assert load(system, lines).ok

    rows = {(r["anchor_on"], r["months"]): r["returned_to_custody_on"] for r in due(system, "--on", "2027-03-15")}

    assert rows[("2026-02-14", 6)] == "2026-03-10"  # back by the 6-month point: recalled
    assert rows[("2026-02-14", 12)] == "2026-03-10"
    assert rows[("2026-09-02", 6)] is None  # not back since the second release
