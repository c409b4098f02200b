"""Follow-ups with new convictions, and `pathway report reoffending` on a cohort computed by hand."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from pathway.embedded import EmbeddedSystem
from services.release.read_models.reoffending import add_months
from tests import examples as ex
from tests.embedded.helpers import load, replay
from tests.embedded.test_cli import run


def cohort() -> list[dict[str, Any]]:
    """Four people counted, one never released; the comments give each window (start, end]."""
    return [
        *ex.catalogue(),
        # C1: custodial, completer; released 2026-02-14 (12 mo: to 2027-02-14, 24 mo: to 2028-02-14);
        # a new measure decided 2026-10-01: reoffended in both windows.
        ex.register_person("C1"), ex.custodial_sentence("C1"), ex.admit("C1"), ex.enrol("C1"),
        ex.attend("C1", "2025-02-08"), ex.attend("C1", "2025-02-15"), ex.complete_programme("C1"),
        ex.release("C1"), ex.non_custodial_measure("C1", decision_id="D-C1-2", decided_on="2026-10-01"),
        # C2: custodial, non-completer; released 2026-09-02 (12 mo: to 2027-09-02; 24 mo: to 2028-09-02, not
        # ended by 2028-06-01); a follow-up records a conviction on 2027-12-01: outside the 12-month window.
        ex.register_person("C2"), ex.custodial_sentence("C2"), ex.admit("C2"),
        ex.release("C2", release_type="sentence_served", released_on="2026-09-02"),
        ex.record_outcome("C2", recorded_on="2028-01-01", new_conviction=True, new_conviction_on="2027-12-01"),
        # N1: non-custodial from 2025-01-10, completer of a community programme; no new conviction
        # (its own measure's decision, on the start day, is not a new one).
        ex.register_person("N1"), ex.non_custodial_measure("N1"), ex.enrol("N1", programme_id="P-COMM"),
        ex.attend("N1", "2025-02-08", programme_id="P-COMM"), ex.complete_programme("N1", programme_id="P-COMM"),
        # N2: non-custodial from 2025-06-15, non-completer; a custodial sentence decided 2027-03-01: outside
        # the 12-month window (to 2026-06-15), inside the 24-month one (to 2027-06-15). Never admitted.
        ex.register_person("N2"), ex.non_custodial_measure("N2", decided_on="2025-06-15"),
        ex.custodial_sentence("N2", decision_id="D-N2-2", decided_on="2027-03-01"),
        # P1: in custody, never released: not counted.
        ex.register_person("P1"), ex.custodial_sentence("P1"), ex.admit("P1"),
    ]  # fmt: skip


def group(people: int, reoffended: int, rate: float | None) -> dict[str, Any]:
    return {"people": people, "reoffended": reoffended, "rate": rate}


EXPECTED = {
    "12": {
        "programme_completers": group(2, 1, 0.5),  # C1 (reoffended), N1
        "non_completers": group(2, 0, 0.0),  # C2, N2
        "custodial": group(2, 1, 0.5),  # C1, C2
        "non_custodial": group(2, 0, 0.0),  # N1, N2
    },
    "24": {
        "programme_completers": group(2, 1, 0.5),  # C1 (reoffended), N1
        "non_completers": group(1, 1, 1.0),  # N2 (reoffended); C2's window has not ended
        "custodial": group(1, 1, 1.0),  # C1
        "non_custodial": group(2, 1, 0.5),  # N1, N2 (reoffended)
    },
}


def reoffending(system: EmbeddedSystem, *more: str) -> Any:
    code, out, err = run("report", "reoffending", "--format", "json", "--data", str(system.data_dir), *more)
    assert code == 0, err
    return json.loads(out)


def test_reoffending_within_12_and_24_months_as_computed_by_hand(system: EmbeddedSystem) -> None:
    result = load(system, cohort())
    assert result.ok, result.errors

    assert reoffending(system, "--on", "2028-06-01") == EXPECTED
    assert reoffending(system, "--on", "2028-06-01") == EXPECTED  # rebuilt from the events: the same
    empty = {window: dict.fromkeys(EXPECTED["12"], group(0, 0, None)) for window in ("12", "24")}
    assert reoffending(system, "--on", "2025-12-31") == empty  # no window has ended yet
    table = run("report", "reoffending", "--on", "2028-06-01", "--data", str(system.data_dir))[1]
    assert "programme_completers" in table
    assert "50%" in table


def test_the_date_defaults_to_today(system: EmbeddedSystem) -> None:
    load(system, cohort())
    assert reoffending(system) == reoffending(system, "--on", date.today().isoformat())


def test_a_follow_up_may_record_a_new_conviction_and_the_spine_follow_up_is_unchanged(system: EmbeddedSystem) -> None:
    convicted = ex.record_outcome("A1", recorded_on="2027-09-01", new_conviction=True, new_conviction_on="2027-08-01")
    undecided = ex.record_outcome("A1", recorded_on="2027-10-01", new_conviction_on="2027-08-01")
    result = load(system, [*ex.catalogue(), *ex.custodial_pathway("A1"), convicted, undecided])

    assert result.failed == 1
    assert "new_conviction_on: given only with new_conviction: true" in result.errors[0]
    outcomes = [e["data"] for e in replay(system, "A1") if e["type"] == "release.outcome.recorded"]
    assert [(o["recorded_on"], o["new_conviction"], o["new_conviction_on"]) for o in outcomes] == [
        ("2027-03-01", None, None),
        ("2027-09-01", True, "2027-08-01"),
    ]
    again = load(system, [ex.record_outcome("A1"), ex.record_outcome("A1", new_conviction=False)])
    assert (again.skipped, again.failed) == (1, 1)  # the spine's follow-up again; then other content


def test_calendar_months_clamp_to_the_month_end() -> None:
    assert add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)
    assert add_months(date(2025, 11, 15), 24) == date(2027, 11, 15)
