"""The classification commands' contracts, and their public events: levels and dates out, ratings and needs kept in."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

import pytest

from services.intake import translators
from services.intake.domain.classification import Classification, Proposal
from shared.contracts.base import validate
from shared.contracts.commands import COMMANDS, DecideClassification, ProposeClassification
from shared.contracts.events import PUBLIC_EVENTS
from shared.domain import Provenance
from shared.errors import InvalidInput

ACTOR = {"id": "records-12", "role": "records_officer", "agency": "Test Prison Service"}
PERSON_ID = "0b9d0f7e-3c51-5b2f-9a5e-2f4c7d1e8a36"
SECRET = "ZZ-SECRET-42"
PROPOSAL = {
    "actor": ACTOR,
    "person_id": PERSON_ID,
    "assessment_id": "CA-1",
    "kind": "initial",
    "assessed_on": "2025-01-20",
    "ratings": {
        "escape": "low",
        "harm_to_others": "low",
        "violence": "low",
        "vulnerability": "low",
        "extremism": "none",
    },
    "needs": ["literacy"],
    "proposed_level": "low",
    "next_review_due": "2025-07-20",
}
DECISION = {
    "actor": ACTOR,
    "person_id": PERSON_ID,
    "assessment_id": "CA-1",
    "decision": "approved",
    "decided_on": "2025-01-22",
}


def problems(model: type[Any], body: dict[str, Any]) -> dict[str, str]:
    with pytest.raises(InvalidInput) as refused:
        validate(model, body)
    assert SECRET not in str(refused.value)
    return {p.field: p.problem for p in refused.value.problems}


def test_the_commands_are_intakes() -> None:
    assert COMMANDS["intake"]["propose_classification"] is ProposeClassification
    assert COMMANDS["intake"]["decide_classification"] is DecideClassification
    assert isinstance(validate(ProposeClassification, PROPOSAL), ProposeClassification)
    assert isinstance(validate(DecideClassification, DECISION), DecideClassification)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"kind": SECRET}, "kind"),
        ({"proposed_level": SECRET}, "proposed_level"),
        ({"ratings": {**PROPOSAL["ratings"], "escape": SECRET}}, "ratings.escape"),
        ({"ratings": {**PROPOSAL["ratings"], "extremism": SECRET}}, "ratings.extremism"),
        ({"ratings": {**PROPOSAL["ratings"], "mood": "low"}}, "ratings"),  # an unknown key: named at its parent
        ({"needs": [""]}, "needs.0"),
        ({"kind": "review"}, "review_reason"),
        ({"kind": "review", "review_reason": SECRET}, "review_reason"),
        ({"review_reason": "due"}, "review_reason"),
        ({"next_review_due": "2025-01-20"}, "next_review_due"),
    ],
)
def test_a_proposal_is_refused_field_by_field_without_echoing_it(changes: dict[str, Any], field: str) -> None:
    assert set(problems(ProposeClassification, {**PROPOSAL, **changes})) == {field}


def test_a_rating_may_be_unknown_and_a_review_carries_its_reason() -> None:
    ratings = {**PROPOSAL["ratings"], "escape": "unknown", "extremism": "unknown"}
    review = validate(
        ProposeClassification, {**PROPOSAL, "kind": "review", "review_reason": "transfer", "ratings": ratings}
    )

    assert (review.review_reason, review.ratings.escape) == ("transfer", "unknown")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"decision": "rejected"}, "reason"),
        ({"decision": SECRET}, "decision"),
        ({"decided_on": SECRET}, "decided_on"),
    ],
)
def test_a_decision_is_refused_field_by_field(changes: dict[str, Any], field: str) -> None:
    assert set(problems(DecideClassification, {**DECISION, **changes})) == {field}


# --- the public side -----------------------------------------------------------

BY = Provenance(actor=ACTOR)
SECOND = Provenance(actor={**ACTOR, "id": "supervisor-2"})
PERSON = UUID(PERSON_ID)
CUSTODY = datetime(2025, 1, 11, tzinfo=UTC)


def classification_events(reasons: str | None = SECRET) -> list[Any]:
    classification = Classification.open(PERSON, BY, CUSTODY)
    ratings = {"escape": "high", "harm_to_others": "low", "violence": "low", "vulnerability": "high"}
    level = "maximum" if reasons else "high"  # without reasons, only the level the ratings call for
    proposal = Proposal(
        "CA-1", "initial", None, date(2025, 1, 20), {**ratings, "extremism": "medium"}, [SECRET], level,
        reasons, date(2025, 7, 20),
    )  # fmt: skip
    classification.propose(proposal, CUSTODY, BY)
    classification.decide("CA-1", "rejected", date(2025, 1, 22), SECRET, CUSTODY, SECOND)
    return classification.collect_events()


def test_the_public_events_withhold_ratings_needs_and_reasons_and_name_what_was_withheld() -> None:
    opened, proposed, decided = classification_events()

    assert translators.translate(opened) is None
    proposal = translators.translate(proposed)
    decision = translators.translate(decided)
    assert proposal is not None
    assert decision is not None
    assert proposal.subject == decision.subject == PERSON
    assert proposal.event.model_dump(mode="json") == {
        "person_id": PERSON_ID,
        "assessment_id": "CA-1",
        "kind": "initial",
        "review_reason": None,
        "assessed_on": "2025-01-20",
        "proposed_level": "maximum",
        "next_review_due": "2025-07-20",
        "sensitive_fields": [
            "needs",
            "ratings.escape",
            "ratings.extremism",
            "ratings.harm_to_others",
            "ratings.violence",
            "ratings.vulnerability",
            "reasons",
        ],
        "restricted_fields": ["ratings.extremism"],
    }
    assert decision.event.model_dump(mode="json") == {
        "person_id": PERSON_ID,
        "assessment_id": "CA-1",
        "kind": "initial",
        "decision": "rejected",
        "decided_on": "2025-01-22",
        "proposed_level": "maximum",
        "level": None,
        "next_review_due": None,
        "sensitive_fields": ["reason"],
    }
    published = json.dumps([proposal.event.model_dump(mode="json"), decision.event.model_dump(mode="json")])
    assert SECRET not in published
    assert '"high"' not in published
    assert all(type(t.event) is PUBLIC_EVENTS[t.event.type] for t in (proposal, decision))


def test_absent_reasons_are_not_listed_as_withheld() -> None:
    proposed = translators.translate(classification_events(reasons=None)[1])

    assert proposed is not None
    assert "reasons" not in proposed.event.model_dump()["sensitive_fields"]
