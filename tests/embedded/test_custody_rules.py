"""Legal status, placement and separation, transfers, and pre-trial detention reviews in intake."""

from __future__ import annotations

from datetime import date
from typing import Any

from pathway.embedded import EmbeddedSystem
from tests import examples as ex
from tests.embedded.helpers import load, replay, types


def remanded(value: str, facility: str = "N", decided_on: str = "2025-01-05", **limits: Any) -> list[dict[str, Any]]:
    decision = ex.custodial_sentence(value, kind="pretrial_detention", decided_on=decided_on, **limits)
    decision["data"].pop("sentence_days")
    admission = ex.admit(value, facility=facility, admitted_at=f"{decided_on}T10:00:00+00:00")
    return [ex.register_person(value), decision, admission]


def sentenced(value: str, facility: str = "N") -> list[dict[str, Any]]:
    admission = ex.admit(value, facility=facility, admitted_at="2025-01-11T09:00:00+00:00")
    return [ex.register_person(value), ex.custodial_sentence(value), admission]


def place(value: str, unit: str, facility: str = "N", placed_on: str = "2025-01-12") -> dict[str, Any]:
    return ex.line("intake", "place", national_id=ex.nid(value), facility=facility, unit=unit, placed_on=placed_on)


def transfer(value: str, to: str, **extra: Any) -> dict[str, Any]:
    data = {"transfer_id": f"T-{value}", "to_facility": to, "transferred_at": "2025-02-01T08:00:00+00:00",
            "reason": "closer to family", "family_notified": True, **extra}  # fmt: skip
    return ex.line("intake", "transfer", national_id=ex.nid(value), **data)


def review(value: str, reviewed_on: str, outcome: str = "continue", **extra: Any) -> dict[str, Any]:
    data = {"review_id": f"R-{value}-{reviewed_on}", "decision_id": f"D-{value}", "reviewed_on": reviewed_on,
            "outcome": outcome, **extra}  # fmt: skip
    return ex.line("intake", "review_pretrial_detention", national_id=ex.nid(value), **data)


def test_untried_and_convicted_people_are_not_placed_together(system: EmbeddedSystem) -> None:
    report = load(system, [*remanded("U1"), *sentenced("C1"), place("U1", "A"), place("C1", "A")])

    assert report.failed == 1
    assert "holds untried people, who are kept apart from convicted people" in report.errors[0]


def test_people_of_one_category_share_a_unit_and_others_go_elsewhere(system: EmbeddedSystem) -> None:
    lines = [*remanded("U1"), *remanded("U2"), *sentenced("C1"), place("U1", "A"), place("U2", "A"), place("C1", "B")]
    report = load(system, lines)

    assert report.ok, report.errors
    assert "intake.person.placed" in types(replay(system, "C1"))


def test_an_admission_is_never_refused_by_separation(system: EmbeddedSystem) -> None:
    report = load(system, [*remanded("U1"), place("U1", "A"), *sentenced("C1")])

    assert report.ok, report.errors


def test_a_sentence_changes_the_legal_status_and_ends_a_placement_with_untried_people(system: EmbeddedSystem) -> None:
    sentence = ex.custodial_sentence("U1", decision_id="D-U1-S", decided_on="2025-03-01")
    report = load(system, [*remanded("U1"), *remanded("U2"), place("U1", "A"), place("U2", "A"), sentence])

    assert report.ok, report.errors
    seen = replay(system, "U1")
    statuses = [e["data"]["status"] for e in seen if e["type"] == "intake.legal-status.changed"]
    assert statuses == ["remand", "sentenced"]
    assert [t for t in types(seen) if t.startswith("intake.")][-1] == "intake.placement.ended"
    assert load(system, [place("U1", "A", placed_on="2025-03-02")]).failed == 1  # U2 is still untried there
    assert load(system, [place("U1", "B", placed_on="2025-03-02")]).ok


def test_a_placement_needs_custody_at_that_facility(system: EmbeddedSystem) -> None:
    report = load(system, [*sentenced("C1", facility="N"), place("C1", "A", facility="L")])

    assert report.failed == 1
    assert "not in custody at L" in report.errors[0]


def test_a_status_set_by_hand_separates_civil_detention(system: EmbeddedSystem) -> None:
    civil = ex.line("intake", "change_legal_status", national_id=ex.nid("V1"), status="immigration",
                    effective_on="2025-01-06", reason="immigration detention order")  # fmt: skip
    report = load(system, [*remanded("V1"), civil, *sentenced("C1"), place("C1", "A"), place("V1", "A")])

    assert report.failed == 1
    assert "holds convicted people, who are kept apart from people held under civil law" in report.errors[0]


def test_a_transfer_moves_the_person_and_programmes_learn_of_it(system: EmbeddedSystem) -> None:
    report = load(system, [*sentenced("C1"), place("C1", "A"), transfer("C1", "L"), transfer("C1", "L")])

    assert report.ok, report.errors
    assert report.skipped == 1  # the same transfer again
    (moved,) = [e for e in replay(system, "C1") if e["type"] == "intake.person.transferred"]
    assert (moved["data"]["from_facility"], moved["data"]["to_facility"], moved["data"]["family_notified"]) == (
        "N",
        "L",
        True,
    )
    figures = {f["facility"]: f["occupancy"] for f in system.query("intake", "occupancy", {"on": date(2025, 2, 15)})}
    assert (figures["N"], figures["L"]) == (0, 1)
    learner = system.apps["programmes"].get_or_none(system.apps["intake"].get_or_none(moved_person(system, "C1")).id)
    assert learner.facility == "L"


def moved_person(system: EmbeddedSystem, value: str) -> Any:
    from uuid import UUID

    return UUID(replay(system, value)[0]["data"]["person_id"])


def test_a_transfer_needs_custody(system: EmbeddedSystem) -> None:
    report = load(system, [ex.register_person("Z1"), transfer("Z1", "L")])

    assert report.failed == 1
    assert "transfer refused: the person is not in custody" in report.errors[0]


def alerts(system: EmbeddedSystem, on: str) -> dict[str, dict[str, Any]]:
    found = system.query("intake", "pretrial", {"on": on})
    return {a["decision_id"]: a for a in found}


def test_pretrial_detention_past_its_limit_or_overdue_for_review_is_listed(system: EmbeddedSystem) -> None:
    load(system, remanded("P1", time_limit_days=90, review_interval_days=30))

    assert alerts(system, "2025-02-04") == {}  # reviewed within 30 days: due 4 February
    overdue = alerts(system, "2025-02-05")["D-P1"]
    assert (overdue["review_overdue"], overdue["past_time_limit"], overdue["days_held"]) == (True, False, 31)
    assert overdue["next_review_due"] == "2025-02-04"

    load(system, [review("P1", "2025-02-05")])
    assert alerts(system, "2025-03-06") == {}  # the review moved the next one to 7 March
    late = alerts(system, "2025-04-10")["D-P1"]
    assert (late["past_time_limit"], late["time_limit_on"]) == (True, "2025-04-05")


def test_a_review_may_set_its_own_next_date_and_a_sentence_ends_the_alerts(system: EmbeddedSystem) -> None:
    load(system, [*remanded("P2", review_interval_days=30), review("P2", "2025-01-20", next_review_on="2025-01-25")])

    assert "D-P2" in alerts(system, "2025-01-26")
    load(system, [ex.custodial_sentence("P2", decision_id="D-P2-S", decided_on="2025-01-26")])
    assert alerts(system, "2025-01-27") == {}


def test_a_review_of_something_else_is_refused(system: EmbeddedSystem) -> None:
    report = load(system, [*sentenced("C1"), review("C1", "2025-02-01", decision_id="D-C1")])

    assert report.failed == 1
    assert "not a pre-trial detention of this person" in report.errors[0]


def test_limits_belong_to_pretrial_detention_only(system: EmbeddedSystem) -> None:
    report = load(system, [ex.register_person("W1"), ex.custodial_sentence("W1", time_limit_days=10)])

    assert report.errors == ["test.jsonl:2: time_limit_days: only for a pre-trial detention"]


def test_a_person_released_from_remand_leaves_the_alerts(system: EmbeddedSystem) -> None:
    released = ex.release("P3", released_on="2025-02-01", release_type="court_order")
    load(system, [*remanded("P3", time_limit_days=20, review_interval_days=10), released])

    assert "D-P3" in alerts(system, "2025-01-31")  # held past its 20 days
    assert alerts(system, "2025-02-10") == {}  # released on bail by the court: no longer held
