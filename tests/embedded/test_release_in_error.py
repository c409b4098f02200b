"""A release recorded in error, corrected through `pathway import` lines: the person is back in custody in
release and in intake, and the parole licence that release started is cancelled."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from pathway.embedded import EmbeddedSystem
from tests import examples as ex
from tests.embedded.helpers import load, replay, types
from tests.stores import BOTH_STORES

pytestmark = BOTH_STORES

# Sentenced on 2025-01-10 to 600 days: eligible for conditional release on 2026-02-14, sentence end 2026-09-02.
RELEASED = [
    ex.register_person("A1"),
    ex.custodial_sentence("A1"),
    ex.admit("A1"),
    ex.release("A1"),
    ex.assign_officer("A1", assigned_on="2026-02-14"),
]


def in_error(value: str = "A1", **overrides: Any) -> dict[str, Any]:
    data = {"national_id": ex.nid(value), "released_on": "2026-02-14", "reason": "released on the wrong warrant"}
    return ex.line("release", "record_release_in_error", **{**data, **overrides})


def person_id(system: EmbeddedSystem, value: str = "A1") -> UUID:
    return UUID(str(replay(system, value)[0]["data"]["person_id"]))


def reoffending(system: EmbeddedSystem, on: str) -> Any:
    return system.query("release", "reoffending", {"on": on})


def occupancy(system: EmbeddedSystem, on: str) -> int:
    rows = system.query("intake", "occupancy", {"on": on})
    return sum(row["occupancy"] for row in rows)


def test_a_release_recorded_in_error_puts_the_person_back_in_custody_everywhere(system: EmbeddedSystem) -> None:
    result = load(system, [*RELEASED, in_error()])

    assert result.ok, result.errors
    entries = replay(system, "A1")
    (corrected,) = [e["data"] for e in entries if e["type"] == "release.release.recorded-in-error"]
    assert (corrected["released_on"], corrected["release_type"], corrected["supervision_cancelled"]) == (
        "2026-02-14",
        "conditional_release",
        True,
    )
    assert types(entries).index("release.release.recorded-in-error") > types(entries).index("release.person.released")
    pid = person_id(system)
    case = system.apps["release"].get_or_none(pid)
    assert (case.in_custody, case.supervision, case.last_release) == (True, None, None)
    assert system.apps["intake"].get_or_none(pid).custody["facility"] == "Test Prison"
    assert occupancy(system, "2026-03-01") == 1  # the stay continues
    assert system.query("release", "caseload", {"on": date(2026, 3, 1)}) == []
    assert system.query("release", "releases-flagged", {"on": date(2026, 12, 31)}) == []


def test_the_person_can_then_be_released_again_and_counts_from_the_real_release(system: EmbeddedSystem) -> None:
    result = load(system, [*RELEASED, in_error(), ex.release("A1", release_type="sentence_served",
                                                                 released_on="2026-09-02")])  # fmt: skip

    assert result.ok, result.errors
    pid = person_id(system)
    assert system.apps["release"].get_or_none(pid).last_release == {
        "released_on": date(2026, 9, 2),
        "release_type": "sentence_served",
    }
    assert occupancy(system, "2026-09-01") == 1
    assert occupancy(system, "2026-09-02") == 0
    (flagged,) = system.query("release", "releases-flagged", {"on": date(2026, 12, 31)})
    assert flagged["released_on"] == "2026-09-02"
    # Reoffending counts from 2026-09-02: on 2027-03-01 no 12-month window has ended (from 2026-02-14 one would).
    assert reoffending(system, "2027-03-01")["12"]["custodial"]["people"] == 0
    assert reoffending(system, "2027-09-02")["12"]["custodial"]["people"] == 1


def test_the_correction_again_is_skipped_and_a_wrong_one_refused(system: EmbeddedSystem) -> None:
    load(system, [*RELEASED, in_error()])

    again = load(system, [in_error(), in_error(released_on="2026-02-15"), ex.assign_officer("A1")])

    assert (again.skipped, again.failed) == (1, 2)
    assert "correction refused: the person's latest release was not recorded on released_on" in again.errors[0]
    assert "not under supervision" in again.errors[1]  # the licence was cancelled


def test_a_release_cannot_be_corrected_once_the_person_is_held_again(system: EmbeddedSystem) -> None:
    recalled = [
        ex.custodial_sentence("A1", decision_id="D-A1-2", decided_on="2026-03-01"),
        ex.admit("A1", admitted_at="2026-03-02T09:00:00+00:00"),
    ]
    result = load(system, [*RELEASED, *recalled, in_error()])

    assert result.failed == 1
    assert "correction refused: the person has been admitted again since that release" in result.errors[0]


def test_a_parole_release_starts_a_parole_licence_to_the_sentence_end(system: EmbeddedSystem) -> None:
    paroled = ex.release("A1", release_type="parole", released_on="2025-12-01")  # before the 2026-02-14 eligibility
    result = load(system, [*RELEASED[:3], paroled, ex.assign_officer("A1", assigned_on="2025-12-01")])

    assert result.ok, result.errors
    (started,) = [e["data"] for e in replay(system, "A1") if e["type"] == "release.supervision.started"]
    assert (started["supervision_type"], started["started_on"], started["ends_on"]) == (
        "parole_licence",
        "2025-12-01",
        "2026-09-02",
    )
    (load_,) = system.query("release", "caseload", {"on": date(2026, 1, 1)})
    assert load_["officer_id"] == "officer-1"
    corrected = load(system, [in_error(released_on="2025-12-01")])
    assert corrected.ok, corrected.errors
    assert system.query("release", "caseload", {"on": date(2026, 1, 1)}) == []


def test_a_parole_release_without_dates_starts_no_licence(system: EmbeddedSystem) -> None:
    held = [ex.register_person("A1"), ex.line("intake", "record_court_decision", national_id=ex.nid("A1"),
            decision_id="D-PT", decided_on="2025-01-10", court="Test Court", kind="pretrial_detention",
            offence="theft"), ex.admit("A1")]  # fmt: skip
    result = load(system, [*held, ex.release("A1", release_type="parole", released_on="2025-06-01")])

    assert result.ok, result.errors
    assert "release.supervision.started" not in types(replay(system, "A1"))
