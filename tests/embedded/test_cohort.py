"""The issue's Must-show: one cohort imported with `pathway import`, its caseloads, its releases without
accommodation and its reoffending rates as computed by hand — and the same figures from a fresh process
that rebuilds every read model from the events in the same data folder."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests import examples as ex
from tests.embedded.test_cli import replay_json, run, write_jsonl

PATHWAY = [sys.executable, "-m", "pathway.cli"]
# A custodial sentence of 600 days decided 2025-01-10: conditional-release eligibility 2026-02-14,
# sentence end 2026-09-02. A measure of 365 days runs a year from its decision.
PREPARED = [ex.assess_resettlement, ex.complete_resettlement_action, ex.secure_accommodation, ex.approve_release_plan]


def cohort() -> list[dict[str, Any]]:
    return [
        *ex.catalogue(),
        # C1: custodial, completer, prepared (ID 2026-01-20, accommodation 2026-01-25, plan 2026-02-01); released
        # conditionally 2026-02-14 onto a parole licence to 2026-09-02, officer-1. A new measure decided
        # 2026-10-01: inside both windows (12 mo: to 2027-02-14; 24 mo: to 2028-02-14).
        ex.register_person("C1"), ex.custodial_sentence("C1"), ex.admit("C1"), ex.enrol("C1"),
        ex.attend("C1", "2025-02-08"), ex.attend("C1", "2025-02-15"), ex.complete_programme("C1"),
        *(prepare("C1") for prepare in PREPARED),
        ex.release("C1"), ex.assign_officer("C1", assigned_on="2026-02-14"),
        ex.non_custodial_measure("C1", decision_id="D-C1-2", decided_on="2026-10-01"),
        # C2: custodial, non-completer, nothing prepared: released at the sentence end 2026-09-02, recorded and
        # flagged. A follow-up records a conviction on 2027-12-01: outside the 12-month window (to 2027-09-02);
        # the 24-month window (to 2028-09-02) has not ended on 2028-06-01.
        ex.register_person("C2"), ex.custodial_sentence("C2"), ex.admit("C2"),
        ex.release("C2", release_type="sentence_served", released_on="2026-09-02"),
        ex.record_outcome("C2", recorded_on="2028-01-01", new_conviction=True, new_conviction_on="2027-12-01"),
        # C3: custodial, an ID document but no accommodation; never released: due, never counted for reoffending.
        ex.register_person("C3"), ex.custodial_sentence("C3"), ex.admit("C3"), ex.complete_resettlement_action("C3"),
        # N1: probation 2025-01-10 to 2026-01-10, officer-2; completes the community programme 2025-03-01;
        # no new conviction (its own measure's decision, on the start day, is not a new one).
        ex.register_person("N1"), ex.non_custodial_measure("N1"), ex.assign_officer("N1", officer_id="officer-2"),
        ex.enrol("N1", programme_id="P-COMM"), ex.attend("N1", "2025-02-08", programme_id="P-COMM"),
        ex.complete_programme("N1", programme_id="P-COMM"),
        # N2: probation 2025-06-15 to 2026-06-15, officer-2, non-completer; a custodial sentence decided 2027-03-01
        # (never admitted): outside the 12-month window (to 2026-06-15), inside the 24-month one (to 2027-06-15).
        ex.register_person("N2"), ex.non_custodial_measure("N2", decided_on="2025-06-15"),
        ex.assign_officer("N2", officer_id="officer-2", assigned_on="2025-06-15"),
        ex.custodial_sentence("N2", decision_id="D-N2-2", decided_on="2027-03-01"),
    ]  # fmt: skip


def group(people: int, reoffended: int, rate: float | None) -> dict[str, Any]:
    return {"people": people, "reoffended": reoffended, "rate": rate}


# On 2028-06-01 (C3 never released, so never counted):
#   12 months: C1 (custodial, completer, reoffended), C2 (custodial, non-completer), N1 (non-custodial,
#              completer), N2 (non-custodial, non-completer; its conviction falls after 2026-06-15).
#   24 months: C1 (reoffended), N1, N2 (reoffended 2027-03-01 <= 2027-06-15); C2's window ends 2028-09-02.
REOFFENDING = {
    "12": {
        "programme_completers": group(2, 1, 0.5),  # C1, N1: 1 of 2 = 0.5
        "non_completers": group(2, 0, 0.0),  # C2, N2: 0 of 2 = 0.0
        "custodial": group(2, 1, 0.5),  # C1, C2: 1 of 2 = 0.5
        "non_custodial": group(2, 0, 0.0),  # N1, N2: 0 of 2 = 0.0
    },
    "24": {
        "programme_completers": group(2, 1, 0.5),  # C1, N1: 1 of 2 = 0.5
        "non_completers": group(1, 1, 1.0),  # N2: 1 of 1 = 1.0
        "custodial": group(1, 1, 1.0),  # C1: 1 of 1 = 1.0
        "non_custodial": group(2, 1, 0.5),  # N1, N2: 1 of 2 = 0.5
    },
}


def in_process(data: Path, *argv: str) -> Any:
    code, out, err = run("report", *argv, "--format", "json", "--data", str(data))
    assert code == 0, err
    return json.loads(out)


def fresh_process(data: Path, *argv: str) -> Any:
    done = subprocess.run(
        [*PATHWAY, "report", *argv, "--format", "json", "--data", str(data)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


REPORTS = [
    ("caseload", "--on", "2025-07-01"),
    ("caseload", "--on", "2026-03-01"),
    ("releases-due", "--on", "2026-01-31", "--days", "30"),
    ("releases-flagged", "--on", "2026-12-31"),
    ("reoffending", "--on", "2028-06-01"),
]


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    folder = tmp_path_factory.mktemp("cohort")
    data = folder / "data"
    code, out, err = run("import", str(write_jsonl(folder / "cohort.jsonl", cohort())), "--data", str(data))
    assert (code, err) == (0, ""), out
    assert "0 failed" in out
    ids = {value: str(replay_json(data, f"{ex.ISSUER}:{value}")[0]["data"]["person_id"]) for value in PEOPLE}
    return data, ids


PEOPLE = ("C1", "C2", "C3", "N1", "N2")


def test_the_cohort_figures_are_as_computed_by_hand(imported: tuple[Path, dict[str, str]]) -> None:
    data, ids = imported

    # 2025-07-01: N1 (to 2026-01-10) and N2 (from 2025-06-15) with officer-2; C1 still in custody.
    assert in_process(data, "caseload", "--on", "2025-07-01") == [
        {"officer_id": "officer-2", "people": 2, "person_ids": sorted([ids["N1"], ids["N2"]])}
    ]
    # 2026-03-01: C1 on licence (to 2026-09-02) with officer-1; N2 (to 2026-06-15); N1's measure has ended.
    assert in_process(data, "caseload", "--on", "2026-03-01") == [
        {"officer_id": "officer-1", "people": 1, "person_ids": [ids["C1"]]},
        {"officer_id": "officer-2", "people": 1, "person_ids": [ids["N2"]]},
    ]
    # 2026-01-31, 30 days ahead: C1, C2 and C3 are all eligible on 2026-02-14; C1 has accommodation and ID
    # (secured 2026-01-25, 2026-01-20): not listed; C3 has an ID document only; C2 has neither.
    assert in_process(data, "releases-due", "--on", "2026-01-31", "--days", "30") == sorted(
        [
            {
                "person_id": ids["C2"],
                "release_due_on": "2026-02-14",
                "sentence_end": "2026-09-02",
                "missing": ["accommodation", "id_document"],
            },
            {
                "person_id": ids["C3"],
                "release_due_on": "2026-02-14",
                "sentence_end": "2026-09-02",
                "missing": ["accommodation"],
            },
        ],
        key=lambda row: (row["release_due_on"], row["person_id"]),
    )
    # Released by 2026-12-31: C1 (prepared: not flagged) and C2 (nothing prepared: recorded, and flagged).
    assert in_process(data, "releases-flagged", "--on", "2026-12-31") == [
        {"person_id": ids["C2"], "released_on": "2026-09-02", "release_type": "sentence_served",
         "missing": ["approved_plan", "accommodation", "id_document"]},
    ]  # fmt: skip
    assert in_process(data, "reoffending", "--on", "2028-06-01") == REOFFENDING


def test_a_fresh_process_rebuilds_the_same_figures_from_the_events(imported: tuple[Path, dict[str, str]]) -> None:
    data, _ = imported

    for report in REPORTS:
        assert fresh_process(data, *report) == in_process(data, *report), report
    assert fresh_process(data, "reoffending", "--on", "2028-06-01") == REOFFENDING
