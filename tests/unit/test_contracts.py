"""Inbound commands: what the contracts refuse, and how they word it (never echoing input)."""

from __future__ import annotations

from typing import Any
from uuid import uuid5

import pytest

from shared.contracts.base import PERSON_NAMESPACE, Command, NationalId, person_id_for, validate
from shared.contracts.commands import (
    Admit,
    PublishProgramme,
    RecordAttendance,
    RecordCourtDecision,
    RecordOutcome,
    RegisterPerson,
    ReleasePerson,
)
from shared.errors import InvalidInput

ACTOR = {"id": "records-12", "role": "records_officer", "agency": "Test Prison Service"}
PERSON_ID = "0b9d0f7e-3c51-5b2f-9a5e-2f4c7d1e8a36"
NATIONAL_ID = {"issuer": "TEST-NID", "value": "A-0001"}
SECRET = "ZZ-SECRET-NAME-42"

VALID: dict[type[Command], dict[str, Any]] = {
    RegisterPerson: {
        "national_id": NATIONAL_ID,
        "given_name": "Amina",
        "family_name": "Okafor",
        "date_of_birth": "1990-05-17",
        "sex": "female",
    },
    RecordCourtDecision: {
        "person_id": PERSON_ID,
        "decision_id": "D-1",
        "decided_on": "2025-01-10",
        "court": "Test District Court",
        "kind": "custodial_sentence",
        "offence": "theft",
        "sentence_days": 600,
    },
    Admit: {"person_id": PERSON_ID, "facility": "HMP Test", "admitted_at": "2025-01-11T14:30:00+01:00"},
    PublishProgramme: {
        "programme_id": "VOC-WELD",
        "title": "Welding level 1",
        "kind": "vocational",
        "setting": "custody",
        "capacity": 12,
        "sessions_required": 4,
    },
    RecordAttendance: {
        "person_id": PERSON_ID,
        "programme_id": "VOC-WELD",
        "session_on": "2025-02-10",
        "attended": True,
    },
    ReleasePerson: {"person_id": PERSON_ID, "released_on": "2026-09-02", "release_type": "sentence_served"},
    RecordOutcome: {"person_id": PERSON_ID, "recorded_on": "2027-03-02", "employment": "employed", "housing": "none"},
}


def data(model: type[Command], **changes: Any) -> dict[str, Any]:
    """A valid command body, with `changes` applied (a value of None removes the field)."""
    body = {"actor": ACTOR, **VALID[model], **changes}
    return {k: v for k, v in body.items() if v is not None}


def problems(model: type[Command], body: dict[str, Any]) -> dict[str, str]:
    with pytest.raises(InvalidInput) as refused:
        validate(model, body)
    return {p.field: p.problem for p in refused.value.problems}


@pytest.mark.parametrize("model", list(VALID))
def test_the_example_commands_are_valid(model: type[Command]) -> None:
    assert isinstance(validate(model, data(model)), model)


def test_an_unknown_field_is_refused_at_its_parent_without_echoing_the_key() -> None:
    # The key is the sender's input (a megabyte, or personal data): never repeated back.
    assert problems(RegisterPerson, data(RegisterPerson, nickname="Ami")) == {"(command)": "unknown field"}


@pytest.mark.parametrize(
    ("model", "field"),
    [
        (RegisterPerson, "sex"),
        (RecordCourtDecision, "kind"),
        (ReleasePerson, "release_type"),
        (PublishProgramme, "kind"),
        (PublishProgramme, "setting"),
        (RecordOutcome, "employment"),
        (RecordOutcome, "housing"),
    ],
)
def test_a_value_outside_an_enumeration_is_refused(model: type[Command], field: str) -> None:
    assert set(problems(model, data(model, **{field: "not-in-the-table"}))) == {field}


def test_a_custodial_sentence_needs_sentence_days() -> None:
    found = problems(RecordCourtDecision, data(RecordCourtDecision, sentence_days=None))

    assert found == {"sentence_days": "required for a custodial sentence"}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"kind": "non_custodial_measure", "sentence_days": None, "measure_days": 365}, "measure"),
        ({"kind": "pretrial_alternative", "sentence_days": None}, "measure_days"),
        ({"kind": "pretrial_detention"}, "sentence_days"),
    ],
)
def test_a_court_decision_carries_what_its_kind_needs(changes: dict[str, Any], field: str) -> None:
    assert set(problems(RecordCourtDecision, data(RecordCourtDecision, **changes))) == {field}


@pytest.mark.parametrize(
    "reference",
    [{"person_id": None}, {"national_id": NATIONAL_ID}],
    ids=["neither", "both"],
)
def test_a_person_command_names_exactly_one_person(reference: dict[str, Any]) -> None:
    found = problems(Admit, data(Admit, **reference))

    assert found == {"person_id": "give either person_id or national_id"}


def test_a_person_command_may_name_the_person_by_national_id() -> None:
    admit = validate(Admit, data(Admit, person_id=None, national_id=NATIONAL_ID))

    assert admit.national_id == NationalId(**NATIONAL_ID)


@pytest.mark.parametrize("admitted_at", ["2025-01-11T14:30:00", "2025-01-11"])
def test_admitted_at_needs_a_utc_offset(admitted_at: str) -> None:
    assert set(problems(Admit, data(Admit, admitted_at=admitted_at))) == {"admitted_at"}


@pytest.mark.parametrize(
    ("model", "field", "value"),
    [
        (RegisterPerson, "sex", SECRET),
        (RegisterPerson, "date_of_birth", SECRET),
        (RegisterPerson, "national_id", SECRET),
        (RegisterPerson, "given_name", [SECRET]),
        (RegisterPerson, "family_name", SECRET * 20),
        (RecordCourtDecision, "kind", SECRET),
        (RecordCourtDecision, "sentence_days", SECRET),
        (Admit, "person_id", SECRET),
        (Admit, "admitted_at", SECRET),
        (RecordAttendance, "attended", SECRET),
        (PublishProgramme, "capacity", SECRET),
        (ReleasePerson, "release_type", SECRET),
    ],
)
def test_problems_never_echo_the_input(model: type[Command], field: str, value: Any) -> None:
    with pytest.raises(InvalidInput) as refused:
        validate(model, data(model, **{field: value}))

    assert [p.field for p in refused.value.problems] == [field]
    assert SECRET not in str(refused.value)
    assert all(SECRET not in p.problem for p in refused.value.problems)


def test_a_command_body_must_be_an_object() -> None:
    with pytest.raises(InvalidInput, match="must be a JSON object"):
        validate(Admit, [SECRET])


def test_person_id_for_is_uuid5_of_issuer_and_value() -> None:
    national_id = NationalId(**NATIONAL_ID)

    assert person_id_for(national_id) == uuid5(PERSON_NAMESPACE, "TEST-NID:A-0001")
    assert person_id_for(national_id) == person_id_for(NationalId(**NATIONAL_ID))
    assert person_id_for(national_id) != person_id_for(NationalId(issuer="OTHER-NID", value="A-0001"))


def test_fingerprint_ignores_actor_and_command_id() -> None:
    first = validate(Admit, data(Admit, command_id="cmd-1"))
    resent = validate(Admit, data(Admit, command_id="cmd-2", actor={**ACTOR, "id": "records-99"}))

    assert first.fingerprint() == resent.fingerprint()


def test_fingerprint_of_a_person_command_uses_the_resolved_person() -> None:
    by_id = validate(Admit, data(Admit))
    by_national_id = validate(Admit, data(Admit, person_id=None, national_id=NATIONAL_ID))

    assert by_id.fingerprint(person_id=PERSON_ID) == by_national_id.fingerprint(person_id=PERSON_ID)


def test_fingerprint_tells_different_content_apart() -> None:
    first = validate(Admit, data(Admit))
    other = validate(Admit, data(Admit, facility="HMP Elsewhere"))

    assert first.fingerprint() != other.fingerprint()


def test_fingerprint_of_a_registration_tells_national_ids_apart() -> None:
    # For register_person the national id is the business key, not a reference to resolve:
    # a command_id reused to register someone else must be a conflict, not a repeat.
    first = validate(RegisterPerson, data(RegisterPerson))
    other = validate(RegisterPerson, data(RegisterPerson, national_id={"issuer": "TEST-NID", "value": "B-0002"}))

    assert first.fingerprint() != other.fingerprint()
