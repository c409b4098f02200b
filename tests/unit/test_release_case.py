"""Release-date rules and the ReleaseCase aggregate on their own."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from fractions import Fraction
from uuid import uuid4

import pytest

from services.release.domain.case import PAROLE_LICENCE, ReleaseCase
from services.release.domain.errors import (
    ConditionalReleaseError,
    NoSupervisionError,
    NothingToFollowUpError,
    NotInCustodyError,
    OutcomeConflictError,
)
from services.release.domain.rules import ReleaseRules
from shared.domain import Provenance

BY = Provenance(actor={"id": "officer-21", "role": "probation_officer", "agency": "Test Probation Service"})
NOW = datetime(2025, 1, 10, 12, 0, tzinfo=UTC)
DECIDED_ON = date(2025, 1, 10)
SENTENCE_END = date(2026, 9, 2)
ELIGIBLE = date(2026, 2, 14)


def an_open_case() -> ReleaseCase:
    case = ReleaseCase.open(uuid4(), BY, NOW)
    case.collect_events()
    return case


def a_case_in_custody() -> ReleaseCase:
    """600 days from 2025-01-10 under the default 2/3 rules."""
    case = an_open_case()
    case.calculate_release_dates("D-1", DECIDED_ON, 600, ReleaseRules(), BY, NOW)
    case.custody_started("HMP Test", BY, NOW)
    case.collect_events()
    return case


def a_released_case() -> ReleaseCase:
    case = a_case_in_custody()
    case.release(SENTENCE_END, "sentence_served", BY)
    case.collect_events()
    return case


def test_release_dates_count_calendar_days_from_the_decision() -> None:
    dates = ReleaseRules().calculate(DECIDED_ON, 600)

    assert dates == {
        "sentence_start": DECIDED_ON,
        "sentence_end": SENTENCE_END,
        "conditional_release_eligibility": ELIGIBLE,
    }


def test_a_half_fraction_gives_an_earlier_eligibility() -> None:
    dates = ReleaseRules(Fraction(1, 2), "half").calculate(DECIDED_ON, 600)

    assert dates["conditional_release_eligibility"] == date(2025, 11, 6)
    assert dates["sentence_end"] == SENTENCE_END


@pytest.mark.parametrize(
    ("fraction", "days", "eligible_after"),
    [(Fraction(1, 2), 7, 4), (Fraction(2, 3), 601, 401), (Fraction(2, 3), 3, 2)],
)
def test_eligibility_rounds_a_part_day_up(fraction: Fraction, days: int, eligible_after: int) -> None:
    dates = ReleaseRules(fraction).calculate(DECIDED_ON, days)

    assert dates["conditional_release_eligibility"] == DECIDED_ON + timedelta(days=eligible_after)


@pytest.mark.parametrize("fraction", ["0", "-1/2", "3/2"])
def test_rules_refuse_a_fraction_outside_zero_to_one(fraction: str) -> None:
    with pytest.raises(ValueError, match="fraction"):
        ReleaseRules.parse(fraction, "bad")


def test_the_calculation_records_its_inputs_and_rules_version() -> None:
    case = an_open_case()

    case.calculate_release_dates("D-1", DECIDED_ON, 600, ReleaseRules(), BY, NOW)

    (calculated,) = case.collect_events()
    assert (calculated.decision_id, calculated.sentence_days) == ("D-1", 600)
    assert (calculated.conditional_release_fraction, calculated.rules_version) == ("2/3", "spine-1")


def test_release_is_refused_when_not_in_custody() -> None:
    case = an_open_case()

    with pytest.raises(NotInCustodyError):
        case.release(DECIDED_ON, "court_order", BY)


def test_the_same_release_again_changes_nothing() -> None:
    case = a_released_case()

    case.release(SENTENCE_END, "sentence_served", BY)

    assert case.collect_events() == []


def test_conditional_release_before_eligibility_is_refused_with_the_date() -> None:
    case = a_case_in_custody()

    with pytest.raises(ConditionalReleaseError, match="eligible from 2026-02-14"):
        case.release(ELIGIBLE - timedelta(days=1), "conditional_release", BY)
    assert case.in_custody


def test_conditional_release_at_the_sentence_end_is_refused() -> None:
    case = a_case_in_custody()

    with pytest.raises(ConditionalReleaseError, match="sentence_served"):
        case.release(SENTENCE_END, "conditional_release", BY)


def test_conditional_release_starts_a_parole_licence_until_the_sentence_end() -> None:
    case = a_case_in_custody()

    case.release(ELIGIBLE, "conditional_release", BY)

    released, licence = case.collect_events()
    assert isinstance(released, ReleaseCase.Released)
    assert isinstance(licence, ReleaseCase.SupervisionStarted)
    assert licence.supervision_type == PAROLE_LICENCE == "parole_licence"
    assert (licence.started_on, licence.ends_on) == (ELIGIBLE, SENTENCE_END)
    assert not case.in_custody


def test_complete_supervision_is_refused_with_no_supervision() -> None:
    case = a_released_case()

    with pytest.raises(NoSupervisionError):
        case.complete_supervision(date(2026, 10, 1), BY)


def test_record_outcome_is_refused_with_nothing_to_follow_up() -> None:
    case = a_case_in_custody()

    with pytest.raises(NothingToFollowUpError):
        case.record_outcome(date(2026, 10, 1), "employed", "permanent", BY)


def test_a_court_measure_without_custody_can_be_followed_up() -> None:
    case = an_open_case()
    case.start_supervision("probation", DECIDED_ON, 365, "D-1", BY, NOW)

    case.record_outcome(date(2025, 7, 10), "employed", "permanent", BY)

    assert isinstance(case.collect_events()[-1], ReleaseCase.OutcomeRecorded)


def test_the_same_outcome_twice_is_one_event() -> None:
    case = a_released_case()

    case.record_outcome(date(2027, 3, 2), "employed", "permanent", BY)
    case.record_outcome(date(2027, 3, 2), "employed", "permanent", BY)

    assert [type(e) for e in case.collect_events()] == [ReleaseCase.OutcomeRecorded]


def test_a_different_outcome_on_the_same_date_is_a_conflict() -> None:
    case = a_released_case()
    case.record_outcome(date(2027, 3, 2), "employed", "permanent", BY)

    with pytest.raises(OutcomeConflictError, match="recorded_on"):
        case.record_outcome(date(2027, 3, 2), "unemployed", "permanent", BY)
