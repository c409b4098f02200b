"""Intake's Person aggregate on its own: commitment orders, court decisions, custody."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import uuid4

import pytest

from services.intake.domain.errors import (
    AlreadyInCustodyError,
    CommitmentMissingError,
    DecisionConflictError,
    RegistrationConflictError,
)
from services.intake.domain.person import Person
from shared.domain import Provenance, start_of_day

BY = Provenance(actor={"id": "records-12", "role": "records_officer", "agency": "Test Prison Service"})
ADMITTED_AT = datetime(2025, 1, 11, 14, 30, tzinfo=UTC)
DETAILS = {
    "national_id": {"issuer": "TEST-NID", "value": "A-0001"},
    "given_name": "Amina",
    "family_name": "Okafor",
    "date_of_birth": date(1990, 5, 17),
    "sex": "female",
}


def a_person() -> Person:
    person = Person.register(uuid4(), dict(DETAILS), BY)
    person.collect_events()  # start each test with nothing pending
    return person


def a_decision(kind: str, decision_id: str = "D-1", **changes: Any) -> dict[str, Any]:
    """A decision as the application hands it to the aggregate (the command's fields)."""
    decision: dict[str, Any] = {
        "decision_id": decision_id,
        "decided_on": date(2025, 1, 10),
        "court": "Test District Court",
        "kind": kind,
        "offence": "theft",
        "sentence_days": None,
        "measure": None,
        "measure_days": None,
    }
    if kind == "custodial_sentence":
        decision["sentence_days"] = 600
    if kind == "non_custodial_measure":
        decision.update(measure="probation", measure_days=365)
    if kind == "pretrial_alternative":
        decision["measure_days"] = 90
    decision.update(changes)
    return decision


def a_person_in_custody() -> Person:
    person = a_person()
    person.record_court_decision(a_decision("pretrial_detention"), BY)
    person.admit("HMP Test", ADMITTED_AT, BY)
    person.collect_events()
    return person


def test_admission_without_a_commitment_order_is_refused() -> None:
    person = a_person()

    with pytest.raises(CommitmentMissingError, match="no commitment order"):
        person.admit("HMP Test", ADMITTED_AT, BY)
    assert person.collect_events() == []


@pytest.mark.parametrize("kind", ["custodial_sentence", "pretrial_detention"])
def test_a_custodial_sentence_or_pretrial_detention_is_a_commitment(kind: str) -> None:
    person = a_person()
    person.record_court_decision(a_decision(kind), BY)

    person.admit("HMP Test", ADMITTED_AT, BY)

    admitted = person.collect_events()[-1]
    assert isinstance(admitted, Person.Admitted)
    assert (admitted.facility, admitted.admitted_at, admitted.commitments) == ("HMP Test", ADMITTED_AT, ["D-1"])
    assert person.in_custody


@pytest.mark.parametrize("kind", ["pretrial_alternative", "non_custodial_measure"])
def test_an_alternative_or_non_custodial_measure_is_not_a_commitment(kind: str) -> None:
    person = a_person()
    person.record_court_decision(a_decision(kind), BY)

    with pytest.raises(CommitmentMissingError):
        person.admit("HMP Test", ADMITTED_AT, BY)
    assert not person.in_custody


def test_the_same_decision_twice_is_recorded_once() -> None:
    person = a_person()

    person.record_court_decision(a_decision("custodial_sentence"), BY)
    person.record_court_decision(a_decision("custodial_sentence"), BY)

    events = person.collect_events()
    assert [type(e) for e in events] == [Person.CourtDecisionRecorded, Person.LegalStatusChanged]
    assert events[0].occurred_at == start_of_day(date(2025, 1, 10))
    assert events[0].actor == BY.actor


def test_a_decision_id_reused_with_different_content_is_a_conflict() -> None:
    person = a_person()
    person.record_court_decision(a_decision("custodial_sentence"), BY)

    with pytest.raises(DecisionConflictError, match="decision_id"):
        person.record_court_decision(a_decision("custodial_sentence", sentence_days=601), BY)
    assert person.decisions["D-1"]["sentence_days"] == 600


def test_admitting_someone_already_in_custody_is_refused() -> None:
    person = a_person_in_custody()
    person.record_court_decision(a_decision("custodial_sentence", decision_id="D-2"), BY)

    with pytest.raises(AlreadyInCustodyError):
        person.admit("HMP Elsewhere", ADMITTED_AT + timedelta(days=3), BY)
    assert person.custody == {"facility": "HMP Test", "admitted_at": ADMITTED_AT}


def test_the_identical_admission_again_changes_nothing() -> None:
    person = a_person_in_custody()

    person.admit("HMP Test", ADMITTED_AT, BY)

    assert person.collect_events() == []


def test_the_identical_admission_after_release_changes_nothing() -> None:
    person = a_person_in_custody()
    person.end_custody(date(2025, 3, 1), BY, start_of_day(date(2025, 3, 1)))
    person.collect_events()

    person.admit("HMP Test", ADMITTED_AT, BY)  # a re-sent command, or a re-imported file

    assert person.collect_events() == []
    assert not person.in_custody


def test_after_custody_ends_a_new_admission_needs_a_new_commitment() -> None:
    person = a_person_in_custody()
    person.end_custody(date(2025, 3, 1), BY, start_of_day(date(2025, 3, 1)))
    assert not person.in_custody

    later = ADMITTED_AT + timedelta(days=90)
    with pytest.raises(CommitmentMissingError):
        person.admit("HMP Test", later, BY)

    person.record_court_decision(a_decision("custodial_sentence", decision_id="D-2"), BY)
    person.admit("HMP Test", later, BY)
    assert person.collect_events()[-1].commitments == ["D-2"]


def test_ending_custody_of_someone_not_in_custody_records_nothing() -> None:
    person = a_person()

    person.end_custody(date(2025, 3, 1), BY, start_of_day(date(2025, 3, 1)))

    assert person.collect_events() == []


def test_a_different_registration_names_the_fields_not_their_values() -> None:
    person = a_person()

    with pytest.raises(RegistrationConflictError) as refused:
        person.check_same_registration({**DETAILS, "family_name": "Silva"})
    assert "family_name" in refused.value.reason
    assert "Silva" not in refused.value.reason
    assert "Okafor" not in refused.value.reason
