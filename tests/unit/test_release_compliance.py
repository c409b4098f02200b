"""The compliance record's rules (Tokyo 14): each refusal names its rule; repeats are skipped."""

from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import UUID

import pytest

from services.release.domain.compliance import Compliance
from services.release.domain.errors import (
    RecallNotDecidedError,
    RecallRefusedError,
    RevocationRefusedError,
    ViolationConflictError,
    ViolationNotFoundError,
    ViolationRefusedError,
)
from shared.domain import Provenance

BY = Provenance(actor={"id": "officer-1", "role": "probation_officer", "agency": "Test Probation"})
PERSON = UUID("5d1f3a8e-2c47-5b9e-8f60-1a2b3c4d5e6f")
NOW = datetime(2026, 3, 10, 7, tzinfo=UTC)
DAY = date(2026, 3, 1)


def with_violation() -> Compliance:
    compliance = Compliance.open(PERSON, BY, NOW)
    compliance.record_violation("V-1", "technical", "curfew", DAY, True, BY)
    return compliance


def revoked() -> Compliance:
    compliance = with_violation()
    compliance.record_hearing("V-1", DAY, "Board", BY)
    compliance.record_alternatives("V-1", DAY, ["warning"], None, BY)
    compliance.decide_response("V-1", "revocation", DAY, "Board", BY)
    return compliance


def test_the_record_has_its_own_deterministic_id_and_names_the_person() -> None:
    compliance = Compliance.open(PERSON, BY, NOW)
    assert compliance.id == Compliance.id_for(PERSON) != PERSON
    assert compliance.person_id == PERSON


def test_a_violation_is_refused_without_a_supervision() -> None:
    with pytest.raises(ViolationRefusedError):
        Compliance.open(PERSON, BY, NOW).record_violation("V-1", "technical", "curfew", DAY, False, BY)


@pytest.mark.parametrize("missing", ["hearing", "alternatives"])
def test_a_revocation_is_refused_without_a_hearing_or_alternatives(missing: str) -> None:
    compliance = with_violation()
    if missing != "hearing":
        compliance.record_hearing("V-1", DAY, "Board", BY)
    if missing != "alternatives":
        compliance.record_alternatives("V-1", DAY, ["warning"], None, BY)

    with pytest.raises(RevocationRefusedError):
        compliance.decide_response("V-1", "revocation", DAY, "Board", BY)
    assert "V-1" not in compliance.responses


@pytest.mark.parametrize("response", ["warning", "new_conditions", "extension", "warrant", "unfounded"])
def test_other_responses_need_no_hearing(response: str) -> None:
    compliance = with_violation()
    compliance.decide_response("V-1", response, DAY, "Board", BY)
    assert compliance.responses["V-1"]["response"] == response


def test_a_response_to_an_unknown_violation_is_refused() -> None:
    with pytest.raises(ViolationNotFoundError):
        with_violation().decide_response("V-2", "warning", DAY, "Board", BY)


def test_the_same_fact_again_is_skipped_and_other_content_conflicts() -> None:
    compliance = with_violation()
    compliance.collect_events()

    compliance.record_violation("V-1", "technical", "curfew", DAY, False, BY)  # a repeat: no rule re-checked
    assert compliance.collect_events() == []
    with pytest.raises(ViolationConflictError):
        compliance.record_violation("V-1", "absconded", "curfew", DAY, True, BY)


def test_a_recall_needs_a_revocation_and_is_executed_once() -> None:
    compliance = with_violation()
    compliance.decide_response("V-1", "warning", DAY, "Board", BY)
    with pytest.raises(RecallRefusedError):
        compliance.decide_recall("RC-1", "V-1", DAY, "Board", BY)

    compliance = revoked()
    with pytest.raises(RecallNotDecidedError):
        compliance.execute_recall("RC-1", "HMP Test", NOW, False, BY)
    compliance.decide_recall("RC-1", "V-1", DAY, "Board", BY)
    with pytest.raises(RecallRefusedError):
        compliance.execute_recall("RC-1", "HMP Test", NOW, True, BY)
    compliance.execute_recall("RC-1", "HMP Test", NOW, False, BY)
    compliance.collect_events()

    compliance.execute_recall("RC-1", "HMP Test", NOW, True, BY)  # the same execution again: skipped
    assert compliance.collect_events() == []
    with pytest.raises(ViolationConflictError):
        compliance.execute_recall("RC-1", "HMP Other", NOW, False, BY)


def test_the_recall_executed_carries_the_issuing_authority_and_its_time() -> None:
    compliance = revoked()
    compliance.decide_recall("RC-1", "V-1", DAY, "Test Parole Board", BY)
    compliance.execute_recall("RC-1", "HMP Test", NOW, False, BY)

    executed = compliance.collect_events()[-1]
    assert isinstance(executed, Compliance.RecallExecuted)
    assert (executed.issuing_authority, executed.occurred_at, executed.person_id) == ("Test Parole Board", NOW, PERSON)


def test_the_hearing_and_the_alternatives_come_before_the_revocation() -> None:
    compliance = with_violation()
    compliance.record_hearing("V-1", date(2026, 3, 10), "Board", BY)
    compliance.record_alternatives("V-1", DAY, ["warning"], None, BY)

    with pytest.raises(RevocationRefusedError, match="not been heard"):
        compliance.decide_response("V-1", "revocation", date(2026, 3, 9), "Board", BY)
    compliance.decide_response("V-1", "revocation", date(2026, 3, 10), "Board", BY)
