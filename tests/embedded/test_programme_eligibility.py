"""Eligibility through `pathway import` lines: intake's classification against the programme's security levels."""

from __future__ import annotations

from typing import Any

from pathway.embedded import EmbeddedSystem
from tests import examples as ex
from tests.embedded.helpers import load, replay, types
from tests.embedded.test_programme_places import waiting, waiting_for_a_place

FOR_LOW = ex.publish_programme("P-WELD", capacity=1, eligibility={"security_levels": ["low"]})


def classified(value: str, level: str) -> list[dict[str, Any]]:
    """Held and classified at `level` (approved)."""
    return [
        ex.register_person(value),
        ex.custodial_sentence(value),
        ex.admit(value),
        ex.propose_classification(value, proposed_level=level, reasons="the assessment board's judgement"),
        ex.decide_classification(value),
    ]


def test_an_enrolment_of_a_person_classified_outside_the_programmes_levels_is_refused(
    system: EmbeddedSystem,
) -> None:
    assert load(system, [FOR_LOW, *classified("A1", "high")]).ok

    refused = load(system, [ex.enrol("A1")])

    assert not refused.ok
    assert "security levels low" in refused.errors[0]
    assert "security levels low, and the person's security level is not one" in refused.errors[0]


def test_an_enrolment_of_an_eligible_person_is_accepted(system: EmbeddedSystem) -> None:
    loaded = load(system, [FOR_LOW, *classified("A1", "low"), ex.enrol("A1")])

    assert loaded.ok, loaded.errors
    assert "programmes.enrolment.started" in types(replay(system, "A1"))


def test_a_free_place_passes_over_an_ineligible_person_until_a_reclassification(system: EmbeddedSystem) -> None:
    lines = [
        FOR_LOW,
        *classified("A1", "medium"),
        *waiting_for_a_place("A1", "2025-02-01"),  # a place is free, but not for medium security
    ]
    assert load(system, lines).ok
    assert waiting(system) == ["R-A1-P-WELD"]

    review = [
        ex.propose_classification(
            "A1",
            assessment_id="CA-A1-2",
            kind="review",
            review_reason="risk_change",
            assessed_on="2025-02-25",
            proposed_level="low",
            reasons="completed a course",
            next_review_due="2025-08-25",
        ),
        ex.decide_classification("A1", assessment_id="CA-A1-2", decided_on="2025-03-01"),
    ]
    loaded = load(system, review)

    assert loaded.ok, loaded.errors
    assert waiting(system) == []
    assert "programmes.place.allocated" in types(replay(system, "A1"))
