"""Intake's part of sentences: consecutive sentences and adjustments, checked before they are recorded."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID, uuid4

import pytest

from services.intake.domain.errors import AdjustmentConflictError, CustodialSentenceMissingError
from services.intake.domain.person import Person
from shared.contracts.base import validate
from shared.contracts.commands import OverrideReleaseDates, RecordCourtDecision, RecordSentenceAdjustment
from shared.domain import Provenance
from shared.errors import InvalidInput
from tests import examples as ex

BY = Provenance(actor={"id": "records-12", "role": "records_officer", "agency": "Test Prison Service"})
DETAILS = {
    "national_id": {"issuer": "TEST-NID", "value": "A-0001"},
    "given_name": "Amina",
    "family_name": "Okafor",
    "date_of_birth": date(1990, 5, 17),
    "sex": "female",
}


def decision(decision_id: str, kind: str = "custodial_sentence", **changes: Any) -> dict[str, Any]:
    recorded: dict[str, Any] = {
        "decision_id": decision_id,
        "decided_on": date(2025, 3, 1),
        "court": "Test District Court",
        "kind": kind,
        "offence": "theft",
        "sentence_days": 300 if kind == "custodial_sentence" else None,
        "measure": "probation" if kind == "non_custodial_measure" else None,
        "measure_days": 365 if kind == "non_custodial_measure" else None,
    }
    return {**recorded, **changes}


def adjustment(**changes: Any) -> dict[str, Any]:
    return {
        "adjustment_id": "ADJ-1",
        "decision_id": "D-1",
        "kind": "remand_credit",
        "days": 45,
        "recorded_on": date(2025, 3, 2),
        **changes,
    }


def a_sentenced_person() -> Person:
    person = Person.register(uuid4(), dict(DETAILS), BY)
    person.record_court_decision(decision("D-1"), BY)
    person.record_court_decision(decision("M-1", "non_custodial_measure"), BY)
    person.collect_events()
    return person


def recorded_types(person: Person) -> list[type[Any]]:
    return [type(event) for event in person.collect_events()]


def test_a_consecutive_sentence_follows_a_custodial_sentence_of_the_person() -> None:
    person = a_sentenced_person()

    person.record_court_decision(decision("D-2", sentence_days=150, consecutive_to="D-1"), BY)

    assert person.decisions["D-2"]["consecutive_to"] == "D-1"
    assert Person.CourtDecisionRecorded in recorded_types(person)


@pytest.mark.parametrize("follows", ["D-9", "M-1"])
def test_a_sentence_consecutive_to_an_unknown_or_non_custodial_decision_is_refused(follows: str) -> None:
    person = a_sentenced_person()

    with pytest.raises(CustodialSentenceMissingError, match="consecutive_to: no custodial sentence"):
        person.record_court_decision(decision("D-2", consecutive_to=follows), BY)
    assert "D-2" not in person.decisions


def test_a_decision_recorded_before_consecutive_to_existed_is_still_the_same_decision() -> None:
    person = a_sentenced_person()

    person.record_court_decision(decision("D-1", consecutive_to=None), BY)

    assert person.collect_events() == []


def test_an_adjustment_is_recorded_for_a_custodial_sentence() -> None:
    person = a_sentenced_person()

    person.record_sentence_adjustment(adjustment(), BY)

    (recorded,) = person.collect_events()
    assert isinstance(recorded, Person.SentenceAdjustmentRecorded)
    assert (recorded.decision_id, recorded.kind, recorded.days) == ("D-1", "remand_credit", 45)
    assert recorded.occurred_at.date() == date(2025, 3, 2)


@pytest.mark.parametrize("decision_id", ["D-9", "M-1"])
def test_an_adjustment_to_anything_but_a_custodial_sentence_of_the_person_is_refused(decision_id: str) -> None:
    person = a_sentenced_person()

    with pytest.raises(CustodialSentenceMissingError, match="decision_id is not a custodial sentence"):
        person.record_sentence_adjustment(adjustment(decision_id=decision_id), BY)


def test_the_same_adjustment_again_is_skipped_and_a_different_one_a_conflict() -> None:
    person = a_sentenced_person()
    person.record_sentence_adjustment(adjustment(), BY)
    person.collect_events()

    person.record_sentence_adjustment(adjustment(), BY)
    assert person.collect_events() == []
    with pytest.raises(AdjustmentConflictError, match="adjustment_id"):
        person.record_sentence_adjustment(adjustment(days=46), BY)


# --- the contracts ---------------------------------------------------------


def test_consecutive_to_is_only_for_a_custodial_sentence() -> None:
    data = ex.non_custodial_measure("A1", consecutive_to="D-0")["data"]

    with pytest.raises(InvalidInput, match="consecutive_to: only for a custodial sentence"):
        validate(RecordCourtDecision, data)


def test_an_adjustment_needs_a_known_kind_and_at_least_one_day() -> None:
    with pytest.raises(InvalidInput) as refused:
        validate(RecordSentenceAdjustment, ex.sentence_adjustment("A1", kind="pardon", days=0)["data"])

    assert {p.field for p in refused.value.problems} == {"kind", "days"}


def test_an_override_sets_at_least_one_date_and_says_why() -> None:
    data = ex.override_release_dates("A1", conditional_release_eligibility=None)["data"]

    with pytest.raises(InvalidInput, match="give sentence_end, conditional_release_eligibility or both"):
        validate(OverrideReleaseDates, data)
    with pytest.raises(InvalidInput, match="reason: required"):
        validate(
            OverrideReleaseDates, {k: v for k, v in ex.override_release_dates("A1")["data"].items() if k != "reason"}
        )


def test_a_court_decision_sent_before_the_new_fields_keeps_its_fingerprint() -> None:
    """A command_id receipt saved by the spine still recognises the same command resent."""
    command = validate(RecordCourtDecision, ex.custodial_sentence("A1")["data"])
    person_id = UUID("5d1f3a8e-2c47-5b9e-8f60-1a2b3c4d5e6f")

    # Digests computed by the spine's code, before consecutive_to and the pre-trial fields existed.
    assert command.fingerprint() == "fa4d02db154851959c012bb7ceaaa5b5c8e058f5617221b4f054324fb4784ffb"
    assert (
        command.fingerprint(person_id=person_id) == "a47bc64c94299fc068c79f524a8a7d9a76c2bf9dd2914c5985a2abbbf51778a9"
    )
    consecutive = validate(RecordCourtDecision, ex.custodial_sentence("A1", consecutive_to="D-0")["data"])
    assert consecutive.fingerprint() != command.fingerprint()
