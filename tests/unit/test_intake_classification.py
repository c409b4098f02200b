"""Intake's Classification aggregate on its own: the least restrictive safe level, a second person decides."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any
from uuid import uuid4

import pytest

from services.intake.domain.classification import (
    AssessmentConflictError,
    AssessmentDateError,
    AssessmentDecidedError,
    AssessmentNotFoundError,
    AssessmentPendingError,
    Classification,
    ClassificationExistsError,
    ClassificationMissingError,
    LevelUnjustifiedError,
    PersonNotInCustodyError,
    Proposal,
    SecondPersonRequiredError,
    level_from_ratings,
)
from shared.domain import Provenance, start_of_day

ASSESSOR = Provenance(actor={"id": "assessor-7", "role": "classification_officer", "agency": "Test Prison Service"})
SUPERVISOR = Provenance(actor={"id": "supervisor-2", "role": "governor", "agency": "Test Prison Service"})
CUSTODY = datetime(2025, 1, 11, 14, 30, tzinfo=UTC)
NEED = "ZZ-NEED-MENTAL-HEALTH"
REASONS = "ZZ-REASONS-TEXT"
QUIET = {"escape": "low", "harm_to_others": "low", "violence": "low", "vulnerability": "low", "extremism": "none"}


def a_proposal(assessment_id: str = "CA-1", **changes: Any) -> Proposal:
    proposal = Proposal(
        assessment_id=assessment_id,
        kind="initial",
        review_reason=None,
        assessed_on=date(2025, 1, 20),
        ratings={**QUIET, "harm_to_others": "medium", "vulnerability": "high"},
        needs=[NEED],
        proposed_level="medium",
        reasons=None,
        next_review_due=date(2025, 7, 20),
    )
    return replace(proposal, **changes)


def a_record() -> Classification:
    classification = Classification.open(uuid4(), ASSESSOR, CUSTODY)
    classification.collect_events()
    return classification


def decided(classification: Classification, assessment_id: str = "CA-1", on: date = date(2025, 1, 22)) -> None:
    classification.decide(assessment_id, "approved", on, None, CUSTODY, SUPERVISOR)


def classified() -> Classification:
    """An approved initial classification at medium, nothing pending."""
    classification = a_record()
    classification.propose(a_proposal(), CUSTODY, ASSESSOR)
    decided(classification)
    classification.collect_events()
    return classification


def a_review(assessment_id: str = "CA-2", **changes: Any) -> Proposal:
    review: dict[str, Any] = {"kind": "review", "review_reason": "due", "assessed_on": date(2025, 7, 15)}
    return a_proposal(assessment_id, **{**review, **changes})


# --- the least restrictive level that is safe ------------------------------


@pytest.mark.parametrize(
    ("ratings", "level"),
    [
        ({}, "low"),
        ({"escape": "unknown", "extremism": "unknown"}, "low"),  # restriction rests on what is known
        ({"vulnerability": "high"}, "low"),  # vulnerability is protected, never restricted
        ({"escape": "medium"}, "medium"),
        ({"extremism": "medium"}, "medium"),
        ({"violence": "high", "escape": "medium"}, "high"),
        ({"extremism": "high"}, "high"),
        ({"violence": "high", "harm_to_others": "high"}, "maximum"),
        ({"escape": "high", "extremism": "high"}, "maximum"),
    ],
)
def test_the_ratings_call_for_the_least_restrictive_level_that_is_safe(ratings: dict[str, str], level: str) -> None:
    assert level_from_ratings({**QUIET, **ratings}) == level


def test_a_proposal_at_the_level_the_ratings_call_for_is_recorded_with_its_sensitive_parts_marked() -> None:
    classification = a_record()

    classification.propose(a_proposal(), CUSTODY, ASSESSOR)

    (proposed,) = classification.collect_events()
    assert isinstance(proposed, Classification.Proposed)
    assert (proposed.assessment_id, proposed.proposed_level, proposed.custody_since) == ("CA-1", "medium", CUSTODY)
    assert proposed.occurred_at == start_of_day(date(2025, 1, 20))
    assert proposed.sensitive == {
        "ratings": {"escape": "low", "harm_to_others": "medium", "violence": "low", "vulnerability": "high"},
        "needs": [NEED],
        "reasons": None,
        "level_from_ratings": "medium",
    }
    assert proposed.restricted == {"ratings": {"extremism": "none"}}
    assert classification.pending_in(CUSTODY) is not None


@pytest.mark.parametrize(("level", "direction"), [("high", "more"), ("maximum", "more"), ("low", "less")])
def test_a_level_other_than_the_ratings_call_for_needs_reasons(level: str, direction: str) -> None:
    classification = a_record()

    with pytest.raises(LevelUnjustifiedError, match=f"reasons: required .* {direction} restrictive"):
        classification.propose(a_proposal(proposed_level=level), CUSTODY, ASSESSOR)
    assert classification.collect_events() == []

    classification.propose(a_proposal(proposed_level=level, reasons=REASONS), CUSTODY, ASSESSOR)
    assert classification.collect_events()[0].sensitive["reasons"] == REASONS


def test_a_person_not_in_custody_is_not_classified() -> None:
    with pytest.raises(PersonNotInCustodyError):
        a_record().propose(a_proposal(), None, ASSESSOR)


def test_an_assessment_before_the_admission_is_refused() -> None:
    with pytest.raises(AssessmentDateError, match="assessed_on"):
        a_record().propose(a_proposal(assessed_on=date(2025, 1, 10)), CUSTODY, ASSESSOR)


def test_one_assessment_at_a_time() -> None:
    classification = a_record()
    classification.propose(a_proposal(), CUSTODY, ASSESSOR)

    with pytest.raises(AssessmentPendingError, match="CA-1 awaits a decision"):
        classification.propose(a_proposal("CA-2"), CUSTODY, ASSESSOR)


def test_the_same_proposal_again_changes_nothing_and_a_different_one_under_its_id_is_a_conflict() -> None:
    classification = a_record()
    classification.propose(a_proposal(), CUSTODY, ASSESSOR)
    classification.collect_events()

    classification.propose(a_proposal(), CUSTODY, ASSESSOR)
    assert classification.collect_events() == []

    with pytest.raises(AssessmentConflictError, match="assessment_id") as refused:
        classification.propose(a_proposal(needs=["ZZ-OTHER-NEED"]), CUSTODY, ASSESSOR)
    assert NEED not in refused.value.reason
    assert "ZZ-OTHER-NEED" not in refused.value.reason


def test_a_review_needs_an_approved_classification_first() -> None:
    classification = a_record()

    with pytest.raises(ClassificationMissingError, match="approved classification"):
        classification.propose(a_review(), CUSTODY, ASSESSOR)


def test_a_second_initial_assessment_in_the_same_custody_is_refused() -> None:
    classification = classified()

    with pytest.raises(ClassificationExistsError, match="propose a review"):
        classification.propose(a_proposal("CA-2"), CUSTODY, ASSESSOR)


def test_a_review_is_recorded_with_its_reason() -> None:
    classification = classified()

    classification.propose(
        a_review(review_reason="risk_change", proposed_level="low", reasons=REASONS), CUSTODY, ASSESSOR
    )

    (proposed,) = classification.collect_events()
    assert (proposed.kind, proposed.review_reason, proposed.proposed_level) == ("review", "risk_change", "low")


def test_a_review_assessed_before_the_decision_it_reviews_is_refused() -> None:
    with pytest.raises(AssessmentDateError, match="assessed_on"):
        classified().propose(a_review(assessed_on=date(2025, 1, 21)), CUSTODY, ASSESSOR)


# --- decisions ---------------------------------------------------------------


def test_a_second_person_approves_and_the_level_is_in_force() -> None:
    classification = a_record()
    classification.propose(a_proposal(), CUSTODY, ASSESSOR)
    classification.collect_events()

    decided(classification)

    (decision,) = classification.collect_events()
    assert isinstance(decision, Classification.Decided)
    assert (decision.decision, decision.level, decision.next_review_due) == ("approved", "medium", date(2025, 7, 20))
    assert decision.actor == SUPERVISOR.actor
    assert classification.approved_in(CUSTODY) is not None


def test_the_proposer_cannot_decide_their_own_proposal() -> None:
    classification = a_record()
    classification.propose(a_proposal(), CUSTODY, ASSESSOR)
    classification.collect_events()

    with pytest.raises(SecondPersonRequiredError, match="a second person decides"):
        classification.decide("CA-1", "approved", date(2025, 1, 22), None, CUSTODY, ASSESSOR)
    assert classification.collect_events() == []


def test_deciding_twice_is_refused_and_the_same_decision_again_changes_nothing() -> None:
    classification = classified()

    decided(classification)
    assert classification.collect_events() == []
    with pytest.raises(AssessmentDecidedError, match="already been decided"):
        classification.decide("CA-1", "rejected", date(2025, 1, 22), REASONS, CUSTODY, SUPERVISOR)


def test_deciding_an_unknown_assessment_is_not_found() -> None:
    with pytest.raises(AssessmentNotFoundError, match="assessment_id"):
        a_record().decide("CA-9", "approved", date(2025, 1, 22), None, CUSTODY, SUPERVISOR)


def test_a_decision_before_the_assessment_is_refused() -> None:
    classification = a_record()
    classification.propose(a_proposal(), CUSTODY, ASSESSOR)

    with pytest.raises(AssessmentDateError, match="decided_on"):
        classification.decide("CA-1", "approved", date(2025, 1, 19), None, CUSTODY, SUPERVISOR)


def test_a_rejected_review_leaves_the_approved_level_in_force() -> None:
    classification = classified()
    classification.propose(a_review(proposed_level="high", reasons=REASONS), CUSTODY, ASSESSOR)
    classification.collect_events()

    classification.decide("CA-2", "rejected", date(2025, 7, 16), REASONS, CUSTODY, SUPERVISOR)

    (decision,) = classification.collect_events()
    assert (decision.decision, decision.proposed_level) == ("rejected", "high")
    assert (decision.level, decision.next_review_due) == ("medium", date(2025, 7, 20))
    assert decision.sensitive == {"reason": REASONS}
    assert classification.approved_in(CUSTODY).proposal.assessment_id == "CA-1"  # type: ignore[union-attr]


def test_a_rejected_initial_assessment_leaves_no_level_and_a_new_one_may_be_proposed() -> None:
    classification = a_record()
    classification.propose(a_proposal(), CUSTODY, ASSESSOR)
    classification.decide("CA-1", "rejected", date(2025, 1, 22), REASONS, CUSTODY, SUPERVISOR)
    assert classification.collect_events()[-1].level is None

    classification.propose(a_proposal("CA-2", proposed_level="high", reasons=REASONS), CUSTODY, ASSESSOR)
    assert len(classification.collect_events()) == 1


def test_a_new_custody_starts_with_an_initial_assessment_and_an_old_proposal_is_not_decided() -> None:
    classification = classified()
    classification.propose(a_review(), CUSTODY, ASSESSOR)  # pending when the person was released
    readmitted = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)

    with pytest.raises(ClassificationMissingError):
        classification.propose(a_review("CA-3", assessed_on=date(2026, 3, 2)), readmitted, ASSESSOR)
    classification.propose(a_proposal("CA-3", assessed_on=date(2026, 3, 2)), readmitted, ASSESSOR)
    with pytest.raises(PersonNotInCustodyError, match="no longer in the custody"):
        classification.decide("CA-2", "approved", date(2026, 3, 3), None, readmitted, SUPERVISOR)


def test_the_sensitive_parts_stay_out_of_every_repr() -> None:
    classification = a_record()
    classification.propose(a_proposal(proposed_level="high", reasons=REASONS), CUSTODY, ASSESSOR)
    classification.decide("CA-1", "rejected", date(2025, 1, 22), REASONS, CUSTODY, SUPERVISOR)

    shown = repr(classification.collect_events()) + repr(classification.assessments)
    assert "CA-1" in shown
    assert NEED not in shown
    assert REASONS not in shown
    assert "harm_to_others" not in shown
    assert "extremism" not in shown
