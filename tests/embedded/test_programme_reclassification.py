"""A reclassification re-checks running enrolments: suspended when the programme is not for the new security
level (the place offered to the next eligible person waiting), resumed when the person is eligible again."""

from __future__ import annotations

from typing import Any

from pathway.embedded import EmbeddedSystem
from tests import examples as ex
from tests.embedded.helpers import is_subsequence, load, replay, types
from tests.embedded.test_programme_eligibility import FOR_LOW, classified
from tests.embedded.test_programme_learning_record import record_of
from tests.embedded.test_programme_places import waiting, waiting_for_a_place
from tests.embedded.test_programme_transfers import figures, transfer


def reclassified(value: str, number: int, level: str, on: str) -> list[dict[str, Any]]:
    review = {
        "assessment_id": f"CA-{value}-{number}",
        "kind": "review",
        "review_reason": "risk_change",
        "assessed_on": on,
        "proposed_level": level,
        "reasons": "the assessment board's judgement",
        "next_review_due": "2025-12-01",
    }
    return [
        ex.propose_classification(value, **review),
        ex.decide_classification(value, assessment_id=f"CA-{value}-{number}", decided_on=on),
    ]


def test_a_reclassification_out_of_the_programmes_levels_suspends_and_offers_the_place(
    system: EmbeddedSystem,
) -> None:
    lines = [
        FOR_LOW,  # one place, for low security
        *classified("A1", "low"),
        ex.enrol("A1"),
        ex.attend("A1", "2025-02-08"),
        *classified("B1", "low"),
        *waiting_for_a_place("B1", "2025-02-01"),
    ]
    assert load(system, lines).ok
    assert waiting(system) == ["R-B1-P-WELD"]

    loaded = load(system, reclassified("A1", 2, "high", "2025-03-01"))

    assert loaded.ok, loaded.errors
    assert waiting(system) == []  # the freed place went to B1
    assert figures(system)["P-WELD"]["enrolled"] == 1
    participation = record_of(system, "A1")["participations"][0]
    assert (participation["status"], participation["sessions_attended"]) == ("suspended", 1)  # progress kept
    assert participation["suspensions"][0]["reason"] == "no_longer_eligible"
    suspended = [e for e in replay(system, "A1") if e["type"] == "programmes.enrolment.suspended"]
    assert suspended[0]["data"]["reason"] == "no_longer_eligible"
    refused = load(system, [ex.attend("A1", "2025-03-08")])
    assert "suspended (no_longer_eligible)" in refused.errors[0]

    assert load(system, reclassified("A1", 3, "low", "2025-04-01")).ok  # eligible again, but B1 holds the place
    assert record_of(system, "A1")["participations"][0]["status"] == "suspended"


def test_eligible_again_with_a_place_free_the_enrolment_resumes_with_its_progress(system: EmbeddedSystem) -> None:
    lines = [FOR_LOW, *classified("A1", "low"), ex.enrol("A1"), ex.attend("A1", "2025-02-08")]
    assert load(system, [*lines, *reclassified("A1", 2, "high", "2025-03-01")]).ok

    loaded = load(system, reclassified("A1", 3, "low", "2025-04-01"))

    assert loaded.ok, loaded.errors
    assert record_of(system, "A1")["participations"][0]["status"] == "on_programme"
    assert is_subsequence(
        ["programmes.enrolment.suspended", "programmes.enrolment.resumed"], types(replay(system, "A1"))
    )
    assert load(system, [ex.attend("A1", "2025-04-08"), ex.complete_programme("A1", completed_on="2025-04-09")]).ok


def test_a_reclassification_within_the_programmes_levels_leaves_the_enrolment_running(
    system: EmbeddedSystem,
) -> None:
    for_low_and_medium = ex.publish_programme("P-WELD", eligibility={"security_levels": ["low", "medium"]})
    assert load(system, [for_low_and_medium, *classified("A1", "low"), ex.enrol("A1")]).ok

    assert load(system, reclassified("A1", 2, "medium", "2025-03-01")).ok

    assert "programmes.enrolment.suspended" not in types(replay(system, "A1"))


def test_a_transfer_back_does_not_resume_an_enrolment_the_level_excludes_until_reclassified(
    system: EmbeddedSystem,
) -> None:
    for_low_here = ex.publish_programme("P-WELD", facility="Test Prison", eligibility={"security_levels": ["low"]})
    lines = [for_low_here, *classified("A1", "low"), ex.enrol("A1")]
    away = [transfer("A1", "Other Prison", "2025-02-10", 1), *reclassified("A1", 2, "high", "2025-02-15")]
    assert load(system, [*lines, *away, transfer("A1", "Test Prison", "2025-02-20", 2)]).ok
    assert record_of(system, "A1")["participations"][0]["status"] == "suspended"

    assert load(system, reclassified("A1", 3, "low", "2025-03-01")).ok

    assert record_of(system, "A1")["participations"][0]["status"] == "on_programme"
