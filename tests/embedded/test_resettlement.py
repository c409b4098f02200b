"""Resettlement and release through `pathway import` lines: a release is never refused for paperwork, only flagged."""

from __future__ import annotations

import json
from typing import Any

import pytest

from pathway.embedded import EmbeddedSystem
from tests import examples as ex
from tests.embedded.helpers import load, replay
from tests.embedded.test_cli import run

# Sentenced on 2025-01-10 to 600 days: eligible for conditional release on 2026-02-14, sentence end 2026-09-02.
IN_CUSTODY = [ex.register_person("A1"), ex.custodial_sentence("A1"), ex.admit("A1")]
PREPARED = [
    ex.assess_resettlement("A1"),
    ex.complete_resettlement_action("A1"),
    ex.secure_accommodation("A1"),
    ex.approve_release_plan("A1"),
]


def report(system: EmbeddedSystem, name: str, on: str, *more: str) -> Any:
    code, out, err = run("report", name, "--on", on, "--format", "json", "--data", str(system.data_dir), *more)
    assert code == 0, err
    return json.loads(out)


def person_id(system: EmbeddedSystem, value: str) -> str:
    return str(replay(system, value)[0]["data"]["person_id"])


def test_a_release_without_plan_accommodation_or_id_is_recorded_and_flagged(system: EmbeddedSystem) -> None:
    result = load(system, [*IN_CUSTODY, ex.release("A1")])

    assert result.ok, result.errors
    assert [e for e in replay(system, "A1") if e["type"] == "release.person.released"]
    assert report(system, "releases-flagged", "2026-02-14") == [
        {
            "person_id": person_id(system, "A1"),
            "released_on": "2026-02-14",
            "release_type": "conditional_release",
            "missing": ["approved_plan", "accommodation", "id_document"],
        }
    ]
    assert report(system, "releases-flagged", "2026-02-13") == []  # not released yet


def test_a_prepared_release_is_not_flagged_and_its_discharge_is_recorded(system: EmbeddedSystem) -> None:
    result = load(system, [*IN_CUSTODY, *PREPARED, ex.release("A1"), ex.record_discharge("A1")])

    assert result.ok, result.errors
    assert report(system, "releases-flagged", "2026-03-01") == []
    entries = replay(system, "A1")
    (discharge,) = [e["data"] for e in entries if e["type"] == "release.discharge.recorded"]
    assert (discharge["property_returned"], discharge["savings_paid"], discharge["records_copy_given"]) == (
        True,
        True,
        True,
    )
    (assessed,) = [e["data"] for e in entries if e["type"] == "release.resettlement.assessed"]
    assert assessed["pathways"] == {"accommodation": "support_required", "finance_and_id": "in_progress"}
    assert assessed["sensitive_fields"] == ["pathways.health"]


def test_only_what_was_missing_on_the_day_is_flagged(system: EmbeddedSystem) -> None:
    late_id = ex.complete_resettlement_action("A1", completed_on="2026-03-01")
    load(system, [*IN_CUSTODY, ex.secure_accommodation("A1"), ex.release("A1"), late_id])

    (flagged,) = report(system, "releases-flagged", "2026-12-31")
    assert flagged["missing"] == ["approved_plan", "id_document"]


def test_releases_due_in_the_next_days_without_accommodation_or_id(system: EmbeddedSystem) -> None:
    load(system, [*IN_CUSTODY, ex.register_person("A2"), ex.custodial_sentence("A2"), ex.admit("A2"),
                  ex.complete_resettlement_action("A2"), ex.secure_accommodation("A2")])  # fmt: skip

    assert report(system, "releases-due", "2026-01-01", "--days", "30") == []  # eligibility is 44 days away
    assert report(system, "releases-due", "2026-01-31", "--days", "30") == [
        {
            "person_id": person_id(system, "A1"),
            "release_due_on": "2026-02-14",
            "sentence_end": "2026-09-02",
            "missing": ["accommodation", "id_document"],
        }
    ]
    assert report(system, "releases-due", "2026-01-31") == report(system, "releases-due", "2026-01-31", "--days", "30")
    table = run("report", "releases-due", "--on", "2026-01-31", "--data", str(system.data_dir))[1]
    assert "accommodation, id_document" in table


@pytest.mark.parametrize(
    "release_type", ["parole", "bail", "acquitted", "pardoned", "transferred", "deported", "to_hospital", "died"]
)
def test_the_new_release_types_are_accepted(system: EmbeddedSystem, release_type: str) -> None:
    result = load(system, [*IN_CUSTODY, ex.release("A1", release_type=release_type, released_on="2025-06-01")])

    assert result.ok, result.errors
    (released,) = [e["data"] for e in replay(system, "A1") if e["type"] == "release.person.released"]
    assert released["release_type"] == release_type


def test_a_discharge_names_a_release_that_was_recorded(system: EmbeddedSystem) -> None:
    result = load(system, [*IN_CUSTODY, ex.record_discharge("A1")])

    assert result.failed == 1
    assert "no release of this person is recorded on this day" in result.errors[0]


def test_the_same_lines_again_change_nothing(system: EmbeddedSystem) -> None:
    lines = [*IN_CUSTODY, *PREPARED, ex.release("A1"), ex.record_discharge("A1")]
    load(system, lines)

    again = load(system, lines)
    conflicting = load(system, [ex.approve_release_plan("A1", approved_by="Someone Else")])

    assert (again.ok, again.applied) == (True, 0)
    assert "already recorded with other content" in conflicting.errors[0]
