"""Supervision levels reviewed periodically, overdue reviews listed, and requirements marked completed."""

from __future__ import annotations

import json
from typing import Any

from pathway.embedded import EmbeddedSystem
from shared.contracts.base import NationalId, person_id_for
from tests import examples as ex
from tests.embedded.helpers import load, replay
from tests.embedded.test_cli import run

# Probation from 2025-01-10 for 365 days, officer-1; never reviewed, the first review is due 28 days on: 2025-02-07.
MEASURE = [ex.register_person("B1"), ex.non_custodial_measure("B1"), ex.assign_officer("B1")]


def review(value: str = "B1", **overrides: Any) -> dict[str, Any]:
    data = {
        "national_id": ex.nid(value),
        "review_id": f"LR-{value}-1",
        "reviewed_on": "2025-02-05",
        "level": "high",
        "next_review_on": "2025-05-05",
        "reviewed_by": "officer-1",
    }
    return ex.line("release", "review_supervision_level", **{**data, **overrides})


def complete_requirement(value: str = "B1", **overrides: Any) -> dict[str, Any]:
    data = {"national_id": ex.nid(value), "requirement_id": f"REQ-{value}-1", "completed_on": "2025-03-01"}
    return ex.line("release", "complete_requirement", **{**data, **overrides})


def overdue(system: EmbeddedSystem, on: str) -> Any:
    code, out, err = run(
        "report", "supervision-reviews", "--on", on, "--format", "json", "--data", str(system.data_dir)
    )
    assert code == 0, err
    return json.loads(out)


def published(system: EmbeddedSystem, type_name: str) -> list[dict[str, Any]]:
    return [e["data"] for e in replay(system, "B1") if e["type"] == type_name]


def test_a_supervision_never_reviewed_is_overdue_after_its_first_review_date(system: EmbeddedSystem) -> None:
    assert load(system, MEASURE).ok

    assert overdue(system, "2025-02-07") == []  # due that day: not yet overdue
    (row,) = overdue(system, "2025-02-10")
    assert {k: row[k] for k in ("level", "last_reviewed_on", "review_due_on", "days_overdue", "officer_id")} == {
        "level": None,
        "last_reviewed_on": None,
        "review_due_on": "2025-02-07",
        "days_overdue": 3,
        "officer_id": "officer-1",
    }
    assert (
        "Supervision level reviews overdue on 2025-02-10: 1"
        in run("report", "supervision-reviews", "--on", "2025-02-10", "--data", str(system.data_dir))[1]
    )


def test_a_review_sets_the_level_and_the_next_review_date(system: EmbeddedSystem) -> None:
    result = load(system, [*MEASURE, review()])

    assert result.ok, result.errors
    (reviewed,) = published(system, "release.supervision-level.reviewed")
    assert (reviewed["level"], reviewed["next_review_on"], reviewed["supervision_started_on"]) == (
        "high",
        "2025-05-05",
        "2025-01-10",
    )
    assert overdue(system, "2025-02-10") == []
    (row,) = overdue(system, "2025-05-10")  # 2025-05-05 + 5 days
    assert (row["level"], row["last_reviewed_on"], row["days_overdue"]) == ("high", "2025-02-05", 5)
    assert overdue(system, "2026-02-01") == []  # the measure ended 2026-01-10


def test_reviews_are_idempotent_checked_and_need_a_supervision(system: EmbeddedSystem) -> None:
    load(system, MEASURE)

    early = review(review_id="LR-2", next_review_on="2025-02-01")
    again = load(system, [review(), review(), review(level="low"), early, review("Z9")])

    assert (again.applied, again.skipped, again.failed) == (1, 1, 3)
    assert "review_id: already recorded with other content" in again.errors[0]
    assert "next_review_on: must fall after reviewed_on" in again.errors[1]


def test_a_requirement_is_completed_once_met(system: EmbeddedSystem) -> None:
    lines = [*MEASURE, ex.impose_requirement("B1"), ex.record_unpaid_work("B1"), complete_requirement()]
    first = load(system, lines)

    assert first.failed == 1
    assert "completion refused: 6 of 40 hours worked" in first.errors[0]
    rest = load(
        system,
        [
            ex.record_unpaid_work("B1", worked_on="2025-02-01", hours=34),
            complete_requirement(),
            complete_requirement(),
            complete_requirement(completed_on="2025-03-02"),
            ex.impose_requirement("B1", requirement_id="REQ-B1-2", kind="curfew", hours=None),
            complete_requirement(requirement_id="REQ-B1-2"),
            complete_requirement(requirement_id="REQ-NONE"),
        ],
    )
    assert (rest.applied, rest.skipped, rest.failed) == (4, 1, 2)
    assert "already completed on another day" in rest.errors[0]
    assert "requirement_id: no requirement with this id" in rest.errors[1]
    completed = published(system, "release.requirement.completed")
    assert [(c["requirement_id"], c["kind"], c["completed_on"]) for c in completed] == [
        ("REQ-B1-1", "unpaid_work", "2025-03-01"),
        ("REQ-B1-2", "curfew", "2025-03-01"),
    ]


def test_a_merged_record_is_reported_under_the_surviving_record(system: EmbeddedSystem) -> None:
    # B2's own measure started a week earlier: its first review was due 2025-01-31.
    duplicate = [
        ex.register_person("B2"),
        ex.non_custodial_measure("B2", decided_on="2025-01-03"),
        ex.assign_officer("B2"),
    ]
    assert load(system, [*MEASURE, review(), *duplicate]).ok
    b1, b2 = (str(person_id_for(NationalId(**ex.nid(value)))) for value in ("B1", "B2"))
    assert [row["person_id"] for row in overdue(system, "2025-02-10")] == [b2]

    merge = ex.line("intake", "merge_persons", national_id=ex.nid("B1"), merged_person_id=b2, reason="duplicate")
    assert load(system, [merge]).ok

    assert [row["person_id"] for row in overdue(system, "2025-02-10")] == [b1]


def test_one_supervision_recorded_under_two_merged_records_is_reviewed_under_either(system: EmbeddedSystem) -> None:
    duplicate = [ex.register_person("B2"), ex.non_custodial_measure("B2"), ex.assign_officer("B2")]
    assert load(system, [*MEASURE, *duplicate, review("B2")]).ok
    b1, b2 = (str(person_id_for(NationalId(**ex.nid(value)))) for value in ("B1", "B2"))
    assert [row["person_id"] for row in overdue(system, "2025-02-10")] == [b1]

    merge = ex.line("intake", "merge_persons", national_id=ex.nid("B1"), merged_person_id=b2, reason="duplicate")
    assert load(system, [merge]).ok

    assert overdue(system, "2025-02-10") == []  # the same probation, reviewed under the merged record
    (row,) = overdue(system, "2025-05-10")
    assert (row["person_id"], row["last_reviewed_on"]) == (b1, "2025-02-05")
