"""Classification through `pathway import` lines: rules, replay, what never leaves intake, overdue reviews."""

from __future__ import annotations

import io
import json
import logging
from pathlib import Path
from typing import Any

import pytest

from pathway.cli import main
from pathway.embedded import EmbeddedSystem
from tests import examples as ex
from tests.embedded.helpers import load, replay, types

NEED = "ZZ-NEED-HEALTH"
REASONS = "ZZ-REASONS-TEXT"
DECISION_REASON = "ZZ-DECISION-REASON"


def in_custody(value: str) -> list[dict[str, Any]]:
    return [ex.register_person(value), ex.custodial_sentence(value), ex.admit(value)]


def classified(value: str, due: str = "2025-07-20", **proposal: Any) -> list[dict[str, Any]]:
    return [
        ex.propose_classification(value, next_review_due=due, **proposal),
        ex.decide_classification(value, reason=DECISION_REASON),
    ]


def review(value: str, number: int, assessed_on: str, **changes: Any) -> dict[str, Any]:
    fields = {"assessment_id": f"CA-{value}-{number}", "kind": "review", "review_reason": "due"}
    return ex.propose_classification(value, assessed_on=assessed_on, **{**fields, **changes})


def cohort() -> list[dict[str, Any]]:
    """A1 due in July; B1 due in March, a review pending; C1 reviewed in time; D1 released before its due date."""
    return [
        *in_custody("A1"),
        *classified("A1", needs=[NEED, "literacy"], proposed_level="high", reasons=REASONS),
        *in_custody("B1"),
        *classified("B1", due="2025-03-01"),
        review("B1", 2, "2025-03-10"),
        *in_custody("C1"),
        *classified("C1", due="2025-03-01"),
        review("C1", 2, "2025-02-18", next_review_due="2025-08-20"),
        ex.decide_classification("C1", assessment_id="CA-C1-2", decided_on="2025-02-20"),
        *in_custody("D1"),
        *classified("D1", due="2025-03-01"),
        ex.release("D1", released_on="2025-04-01", release_type="sentence_served"),
    ]


@pytest.fixture
def loaded(system: EmbeddedSystem) -> EmbeddedSystem:
    report = load(system, cohort())
    assert report.ok, report.errors
    return system


def overdue(system: EmbeddedSystem, on: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = system.query("intake", "classification-reviews", {"on": on})
    return rows


def person_id(system: EmbeddedSystem, value: str) -> str:
    return str(replay(system, value)[0]["data"]["person_id"])


def test_the_replay_shows_the_classification_with_its_withheld_fields_named(loaded: EmbeddedSystem) -> None:
    entries = replay(loaded, "A1")

    intake = [entry for entry in entries if entry["service"] == "intake"]
    assert types(intake)[-2:] == ["intake.classification.proposed", "intake.classification.decided"]
    proposed, decided = intake[-2:]
    assert proposed["actor"] == ex.CLERK
    assert decided["actor"] == ex.SUPERVISOR
    assert proposed["data"]["proposed_level"] == "high"
    assert proposed["data"]["sensitive_fields"] == [
        "needs",
        "ratings.escape",
        "ratings.extremism",
        "ratings.harm_to_others",
        "ratings.violence",
        "ratings.vulnerability",
        "reasons",
    ]
    assert proposed["data"]["restricted_fields"] == ["ratings.extremism"]
    assert (decided["data"]["decision"], decided["data"]["level"], decided["data"]["next_review_due"]) == (
        "approved",
        "high",
        "2025-07-20",
    )
    assert decided["data"]["sensitive_fields"] == ["reason"]
    assert "ratings" not in proposed["data"]
    text = json.dumps(entries)
    assert all(secret not in text for secret in (NEED, REASONS, DECISION_REASON))


def test_sensitive_values_stay_in_intakes_store_and_out_of_the_logs(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    data = tmp_path / "data"
    lines = [*cohort(), ex.decide_classification("A1", decision="rejected", reason=DECISION_REASON)]  # refused
    file = tmp_path / "cohort.jsonl"
    file.write_text("".join(json.dumps(line) + "\n" for line in lines))
    out, err = io.StringIO(), io.StringIO()
    with caplog.at_level(logging.DEBUG):
        assert main(["import", str(file), "--data", str(data)], out=out, err=err) == 1

    secrets = (NEED, REASONS, DECISION_REASON)
    said = out.getvalue() + err.getvalue() + caplog.text
    assert "already been decided" in said
    assert all(secret not in said for secret in secrets)
    stores = {path.name: path.read_bytes() for path in data.iterdir() if path.is_file()}
    intake = b"".join(content for name, content in stores.items() if name.startswith("intake"))
    assert NEED.encode() in intake  # the sensitive part is kept, where it belongs
    elsewhere = [name for name, content in stores.items() if not name.startswith("intake")]
    assert any(name.startswith("bus") for name in elsewhere)
    for name in elsewhere:
        assert all(secret.encode() not in stores[name] for secret in secrets), name


def test_refused_lines_name_the_rule(system: EmbeddedSystem) -> None:
    report = load(
        system,
        [
            ex.register_person("R1"),
            ex.propose_classification("R1"),  # not in custody
            ex.custodial_sentence("R1"),
            ex.admit("R1"),
            review("R1", 1, "2025-01-20"),  # no approved classification yet
            ex.propose_classification("R1", proposed_level="maximum"),  # more restrictive, no reasons
            ex.propose_classification("R1"),
            ex.decide_classification("R1", actor=ex.CLERK),  # the proposer
            ex.decide_classification("R1", assessment_id="CA-R1-9"),
            ex.decide_classification("R1", decided_on="2025-01-01"),
            ex.decide_classification("R1", decision="rejected"),  # no reason: invalid input
            ex.propose_classification("R2"),
        ],
    )

    assert report.errors == [
        "test.jsonl:2: classification refused: the person is not in custody",
        "test.jsonl:5: review refused: a review needs an approved classification in this custody first",
        "test.jsonl:6: reasons: required when the proposed level is more restrictive than the ratings call for "
        "(the least restrictive level that is safe)",
        "test.jsonl:8: decision refused: a second person decides (the proposer cannot approve or reject their own "
        "proposal)",
        "test.jsonl:9: assessment_id: no such assessment for this person",
        "test.jsonl:10: decided_on: before the assessment was made",
        "test.jsonl:11: reason: required for a rejection",
        "test.jsonl:12: national_id: no person is known by this identifier",
    ]


def test_the_same_lines_again_are_skipped_and_changed_content_is_a_conflict(loaded: EmbeddedSystem) -> None:
    again = load(loaded, classified("B1", due="2025-03-01"))
    changed = load(
        loaded,
        [
            ex.propose_classification("B1", next_review_due="2025-04-01"),
            ex.decide_classification("B1", decision="rejected", reason="changed mind"),
        ],
    )

    assert (again.applied, again.skipped, again.failed) == (0, 2, 0)
    assert changed.errors == [
        "test.jsonl:1: assessment_id: already proposed with different content",
        "test.jsonl:2: decision refused: this assessment has already been decided",
    ]


def test_overdue_reviews_list_people_in_custody_past_their_review_date(loaded: EmbeddedSystem) -> None:
    b1 = person_id(loaded, "B1")

    assert overdue(loaded, "2025-03-01") == []  # due on the day is not yet overdue
    assert overdue(loaded, "2025-06-01") == [
        {
            "person_id": b1,
            "assessment_id": "CA-B1-1",
            "level": "medium",
            "next_review_due": "2025-03-01",
            "days_overdue": 92,
            "review_pending": "CA-B1-2",
        }
    ]
    early = overdue(loaded, "2025-03-05")  # D1 not released yet; B1's review not yet proposed
    assert {(row["assessment_id"], row["days_overdue"], row["review_pending"]) for row in early} == {
        ("CA-B1-1", 4, None),
        ("CA-D1-1", 4, None),
    }
    later = overdue(loaded, "2025-09-01")
    assert [row["assessment_id"] for row in later] == ["CA-B1-1", "CA-A1-1", "CA-C1-2"]


def test_the_report_command_prints_the_overdue_reviews(tmp_path: Path) -> None:
    file = tmp_path / "cohort.jsonl"
    file.write_text("".join(json.dumps(line) + "\n" for line in cohort()))
    data = tmp_path / "data"
    assert main(["import", str(file), "--data", str(data)], out=io.StringIO(), err=io.StringIO()) == 0

    out = io.StringIO()
    argv = ["report", "classification-reviews", "--on", "2025-06-01", "--data", str(data)]
    assert main([*argv, "--format", "json"], out=out) == 0
    rows = json.loads(out.getvalue())
    assert [(row["assessment_id"], row["days_overdue"]) for row in rows] == [("CA-B1-1", 92)]
    table = io.StringIO()
    assert main(argv, out=table) == 0
    assert table.getvalue().splitlines()[0] == "Classification reviews overdue on 2025-06-01: 1"
    assert "CA-B1-2" in table.getvalue()
    with pytest.raises(SystemExit) as usage:
        main(["report", "classification-reviews", "--on", "June", "--data", str(data)])
    assert usage.value.code == 2
