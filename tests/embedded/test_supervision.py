"""Supervision in depth through `pathway import` lines: officer, conditions, requirements, Tokyo 12.3 and 3.4."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from pathway.embedded import EmbeddedSystem
from tests import examples as ex
from tests.embedded.helpers import load, replay
from tests.embedded.test_cli import run

MEASURE = [ex.register_person("B1"), ex.non_custodial_measure("B1")]  # probation from 2025-01-10 for 365 days


def published(system: EmbeddedSystem, value: str, type_name: str) -> list[dict[str, Any]]:
    return [entry["data"] for entry in replay(system, value) if entry["type"] == type_name]


def test_the_supervision_file_is_recorded_and_published_for_the_current_supervision(system: EmbeddedSystem) -> None:
    report = load(system, [*MEASURE, ex.assign_officer("B1"), ex.set_conditions("B1"), ex.impose_requirement("B1"),
                           ex.record_unpaid_work("B1"), ex.record_unpaid_work("B1", worked_on="2025-01-25", hours=5),
                           ex.explain_conditions("B1"), ex.record_contact("B1")])  # fmt: skip

    assert report.ok, report.errors
    (assigned,) = published(system, "B1", "release.officer.assigned")
    assert (assigned["officer_id"], assigned["supervision_started_on"]) == ("officer-1", "2025-01-10")
    (conditions,) = published(system, "B1", "release.conditions.set")
    assert conditions["conditions"] == ["residence", "curfew"]
    work = published(system, "B1", "release.unpaid-work.recorded")
    assert [(w["hours"], w["hours_worked"]) for w in work] == [(6, 6), (5, 11)]
    (explained,) = published(system, "B1", "release.conditions.explained")
    assert (explained["orally"], explained["in_writing"]) == (True, True)
    (contact,) = published(system, "B1", "release.contact.recorded")
    assert (contact["kind"], contact["outcome"], contact["sensitive_fields"]) == ("appointment", "complied", [])


def test_the_reason_for_an_absence_is_withheld(system: EmbeddedSystem) -> None:
    absent = ex.record_contact("B1", outcome="acceptable_absence", reason="hospital appointment")
    load(system, [*MEASURE, absent])

    (contact,) = published(system, "B1", "release.contact.recorded")
    assert contact["sensitive_fields"] == ["reason"]
    assert "hospital" not in json.dumps(replay(system, "B1"))


def test_supervision_commands_are_refused_without_a_supervision(system: EmbeddedSystem) -> None:
    report = load(system, [ex.register_person("B1"), ex.assign_officer("B1"), ex.explain_conditions("B1")])

    assert report.failed == 2
    assert all("not under supervision" in error for error in report.errors)


def test_unpaid_work_needs_an_unpaid_work_requirement_and_its_hours(system: EmbeddedSystem) -> None:
    curfew = ex.impose_requirement("B1", requirement_id="REQ-CURFEW", kind="curfew", hours=None)
    report = load(system, [*MEASURE, curfew, ex.record_unpaid_work("B1", requirement_id="REQ-CURFEW"),
                           ex.impose_requirement("B1", hours=None)])  # fmt: skip

    assert report.failed == 2
    assert "no unpaid work requirement" in report.errors[0]
    assert "hours: required for unpaid_work" in report.errors[1]


def test_consent_is_recorded_only_where_the_measure_precedes_or_replaces_trial(system: EmbeddedSystem) -> None:
    alternative = ex.non_custodial_measure("P1", kind="pretrial_alternative", measure=None, decision_id="D-P1")
    report = load(system, [*MEASURE, ex.record_consent("B1"), ex.register_person("P1"), alternative,
                           ex.record_consent("P1")])  # fmt: skip

    assert report.failed == 1
    assert "consent refused" in report.errors[0]
    (consent,) = published(system, "P1", "release.consent.recorded")
    assert consent["consented_on"] == "2025-01-10"


def test_the_same_lines_again_change_nothing_and_other_content_is_a_conflict(system: EmbeddedSystem) -> None:
    lines = [*MEASURE, ex.assign_officer("B1"), ex.impose_requirement("B1"), ex.record_contact("B1")]
    load(system, lines)

    again = load(system, lines)
    conflicting = load(system, [ex.impose_requirement("B1", hours=60), ex.record_contact("B1", kind="check_in")])

    assert (again.ok, again.applied) == (True, 0)
    assert conflicting.failed == 2


def cohort() -> list[dict[str, Any]]:
    """Three supervised people on 2025-01-20 (explain within 7 days, so by 2025-01-17)."""
    explained_late = ex.explain_conditions("B2", explained_on="2025-01-19")
    orally_only = ex.explain_conditions("B3", in_writing=False)
    return [
        *MEASURE,
        ex.assign_officer("B1"),
        ex.explain_conditions("B1"),
        ex.record_contact("B1"),
        ex.record_contact("B1", contact_id="C-B1-2", contact_on="2025-01-27", outcome="unacceptable_absence"),
        ex.register_person("B2"),
        ex.non_custodial_measure("B2"),
        ex.assign_officer("B2"),
        explained_late,
        ex.register_person("B3"),
        ex.non_custodial_measure("B3"),
        ex.assign_officer("B3", officer_id="officer-2"),
        orally_only,
        ex.assign_officer("B3", officer_id="officer-1", assigned_on="2025-02-01"),
    ]


def person_ids(system: EmbeddedSystem, *values: str) -> list[str]:
    return [replay(system, value)[0]["data"]["person_id"] for value in values]


def test_conditions_not_explained_in_time_are_flagged_and_listed(system: EmbeddedSystem, tmp_path: Path) -> None:
    assert load(system, cohort()).ok
    b2, b3 = person_ids(system, "B2", "B3")

    early = system.query("release", "unexplained-conditions", {"on": date(2025, 1, 17)})
    code, out, err = run("report", "unexplained-conditions", "--on", "2025-01-20", "--format", "json",
                         "--data", str(system.data_dir))  # fmt: skip

    assert early == []  # not yet due
    assert code == 0, err
    rows = json.loads(out)
    assert [(r["person_id"], r["days_late"]) for r in rows] == [(b3, 3), (b2, 2)]
    (late,) = [r for r in rows if r["person_id"] == b2]
    assert (late["explain_by"], late["explained_orally_on"], late["officer_id"]) == (
        "2025-01-17",
        "2025-01-19",
        "officer-1",
    )


def test_caseload_per_officer_and_compliance_per_person(system: EmbeddedSystem) -> None:
    assert load(system, cohort()).ok
    b1, b2, b3 = person_ids(system, "B1", "B2", "B3")

    before = json.loads(run("report", "caseload", "--on", "2025-01-20", "--format", "json", "--data",
                            str(system.data_dir))[1])  # fmt: skip
    after = json.loads(run("report", "caseload", "--on", "2025-02-01", "--format", "json", "--data",
                           str(system.data_dir))[1])  # fmt: skip
    compliance = json.loads(run("report", "compliance", "--on", "2025-02-01", "--format", "json", "--data",
                                str(system.data_dir))[1])  # fmt: skip

    assert before == [
        {"officer_id": "officer-1", "people": 2, "person_ids": sorted([b1, b2])},
        {"officer_id": "officer-2", "people": 1, "person_ids": [b3]},
    ]
    assert after == [{"officer_id": "officer-1", "people": 3, "person_ids": sorted([b1, b2, b3])}]
    assert compliance == [
        {"person_id": b1, "contacts": 2, "complied": 1, "acceptable_absence": 0, "unacceptable_absence": 1,
         "compliance_rate": 0.5, "violations": 0},
    ]  # fmt: skip
    table = run("report", "caseload", "--on", "2025-01-20", "--data", str(system.data_dir))[1]
    assert "officer-2" in table


def test_a_measure_shortened_for_good_progress_and_ended_early(system: EmbeddedSystem) -> None:
    report = load(system, [*MEASURE, ex.assign_officer("B1"), ex.modify_measure("B1"), ex.end_supervision("B1")])

    assert report.ok, report.errors
    (modified,) = published(system, "B1", "release.measure.modified")
    assert (modified["kind"], modified["ends_on"], modified["decided_by"]) == ("shortened", "2025-10-01", "Test Court")
    (ended,) = published(system, "B1", "release.supervision.ended")
    assert (ended["reason"], ended["ended_on"]) == ("early_discharge", "2025-10-01")
    (completed,) = published(system, "B1", "release.supervision.completed")  # the spine's event, as before
    assert completed["completed_on"] == "2025-10-01"
    assert system.query("release", "caseload", {"on": date(2025, 9, 30)})[0]["people"] == 1
    assert system.query("release", "caseload", {"on": date(2025, 10, 1)}) == []


def test_a_modification_of_the_end_must_make_sense(system: EmbeddedSystem) -> None:
    report = load(system, [*MEASURE, ex.modify_measure("B1", kind="extended"),
                           ex.modify_measure("B1", modification_id="M-2", new_ends_on="2026-06-01", kind="shortened"),
                           ex.modify_measure("B1", modification_id="M-3", kind="conditions_changed"),
                           ex.modify_measure("B1", modification_id="M-4", kind="conditions_changed",
                                             new_ends_on=None)])  # fmt: skip

    assert report.failed == 3
    assert "extension refused: the measure already ends 2026-01-10" in report.errors[0]
    assert "shortening refused" in report.errors[1]
    assert "new_ends_on: given only for an extension or a shortening" in report.errors[2]


def test_ending_again_is_skipped_and_for_another_reason_refused(system: EmbeddedSystem) -> None:
    load(system, [*MEASURE, ex.end_supervision("B1")])

    again = load(system, [ex.end_supervision("B1"), ex.end_supervision("B1", reason="absconded")])

    assert (again.skipped, again.failed) == (1, 1)
    assert "another reason" in again.errors[0]
