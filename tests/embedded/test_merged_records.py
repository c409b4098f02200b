"""Release's reports count a person once when intake merged two of their records."""

from __future__ import annotations

import json
from typing import Any

from pathway.embedded import EmbeddedSystem
from shared.contracts.base import NationalId, person_id_for
from tests import examples as ex
from tests.embedded.helpers import load
from tests.embedded.test_cli import run
from tests.embedded.test_reoffending import group


def report(system: EmbeddedSystem, name: str, *more: str) -> Any:
    code, out, err = run("report", name, "--format", "json", "--data", str(system.data_dir), *more)
    assert code == 0, err
    return json.loads(out)


def person(value: str) -> str:
    return str(person_id_for(NationalId(**ex.nid(value))))


def merge(kept: str, merged: str) -> dict[str, Any]:
    return ex.line("intake", "merge_persons", national_id=ex.nid(kept), merged_person_id=person(merged), reason="dup")


def test_supervision_reports_count_a_merged_person_once(system: EmbeddedSystem) -> None:
    # The same probation recorded under two records, one contact under each; neither explained the conditions.
    records = [
        line
        for value, outcome in (("M1", "complied"), ("M2", "unacceptable_absence"))
        for line in (
            ex.register_person(value), ex.non_custodial_measure(value), ex.assign_officer(value),
            ex.record_contact(value, outcome=outcome),
        )
    ]  # fmt: skip
    assert load(system, records).ok
    assert report(system, "caseload", "--on", "2025-02-01")[0]["people"] == 2
    assert len(report(system, "compliance", "--on", "2025-02-01")) == 2
    assert len(report(system, "unexplained-conditions", "--on", "2025-02-01")) == 2

    assert load(system, [merge("M1", "M2")]).ok

    assert report(system, "caseload", "--on", "2025-02-01") == [
        {"officer_id": "officer-1", "people": 1, "person_ids": [person("M1")]}
    ]
    (row,) = report(system, "compliance", "--on", "2025-02-01")
    assert (row["person_id"], row["contacts"], row["complied"], row["unacceptable_absence"]) == (person("M1"), 2, 1, 1)
    assert row["compliance_rate"] == 0.5
    (row,) = report(system, "unexplained-conditions", "--on", "2025-02-01")
    assert row["person_id"] == person("M1")


def test_paperwork_done_under_a_merged_record_counts_for_the_release(system: EmbeddedSystem) -> None:
    # R1 and R2 are one person in custody on the same sentence; the ID, housing and plan were recorded under R2.
    custody = [line for value in ("R1", "R2") for line in (ex.register_person(value), ex.custodial_sentence(value),
                                                             ex.admit(value))]  # fmt: skip
    paperwork = [ex.complete_resettlement_action("R2"), ex.secure_accommodation("R2"), ex.approve_release_plan("R2")]
    assert load(system, [*custody, *paperwork, ex.release("R1")]).ok
    assert [row["person_id"] for row in report(system, "releases-due", "--on", "2026-02-05")] == [person("R1")]
    (flagged,) = report(system, "releases-flagged", "--on", "2026-03-01")
    assert flagged["missing"] == ["approved_plan", "accommodation", "id_document"]

    assert load(system, [merge("R1", "R2")]).ok

    assert report(system, "releases-due", "--on", "2026-02-05") == []
    assert report(system, "releases-flagged", "--on", "2026-03-01") == []


def test_reoffending_counts_a_merged_person_once(system: EmbeddedSystem) -> None:
    # O1 released 2026-02-14; a new measure decided 2026-10-01 was recorded under a duplicate record, O2.
    lines = [
        *ex.catalogue(),
        ex.register_person("O1"), ex.custodial_sentence("O1"), ex.admit("O1"), ex.release("O1"),
        ex.register_person("O2"), ex.non_custodial_measure("O2", decision_id="D-O2-2", decided_on="2026-10-01"),
    ]  # fmt: skip
    assert load(system, lines).ok
    before = report(system, "reoffending", "--on", "2028-06-01")["12"]
    assert (before["custodial"], before["non_custodial"]) == (group(1, 0, 0.0), group(1, 0, 0.0))

    assert load(system, [merge("O1", "O2")]).ok

    after = report(system, "reoffending", "--on", "2028-06-01")["12"]
    assert (after["custodial"], after["non_custodial"]) == (group(1, 1, 1.0), group(0, 0, None))
    assert after["non_completers"] == group(1, 1, 1.0)
