"""Release dates in the ReleaseCase: each calculation an event with its inputs, overrides, terms, old history."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
from eventsourcing.persistence import StoredEvent
from eventsourcing.utils import get_topic

from services.release import bootstrap
from services.release import translators as release
from services.release.domain.calculation import Adjustment, Sentence, calculate
from services.release.domain.case import ReleaseCase
from services.release.domain.errors import (
    CalculationInputsError,
    ConditionalReleaseError,
    NoReleaseDatesError,
    ReleaseDatesOverrideError,
)
from services.release.domain.rules import ReleaseRules
from shared.domain import Provenance
from shared.eventstore.settings import sqlite_env

RULES = ReleaseRules()
SYSTEM = Provenance(actor={"id": "release-service", "role": "system", "agency": "Test Prison Service"})
OFFICER = {"id": "officer-7", "role": "release_officer", "agency": "Test Prison Service"}
BY_OFFICER = Provenance(actor=OFFICER)
NOW = datetime(2025, 4, 1, 12, 0, tzinfo=UTC)
REMANDED_AT = datetime(2025, 1, 15, 9, 0, tzinfo=UTC)
SENTENCED_ON = date(2025, 3, 1)


def a_case() -> ReleaseCase:
    case = ReleaseCase.open(uuid4(), SYSTEM, NOW)
    case.collect_events()
    return case


def consecutive_sentences_with_remand() -> ReleaseCase:
    """Remanded 2025-01-15; 300 days on 2025-03-01, 150 consecutive, 45 days of remand credit.

    The dates are worked out by hand in tests/unit/test_release_calculation.py.
    """
    case = a_case()
    case.custody_started("HMP Test", SYSTEM, REMANDED_AT)
    case.record_sentence("D-1", SENTENCED_ON, 300, None, RULES, SYSTEM, NOW)
    case.record_sentence("D-2", SENTENCED_ON, 150, "D-1", RULES, SYSTEM, NOW)
    case.record_adjustment("ADJ-1", "D-1", "remand_credit", 45, RULES, SYSTEM, NOW)
    return case


def calculations(case: ReleaseCase) -> list[Any]:
    return [e for e in case.collect_events() if isinstance(e, ReleaseCase.ReleaseDatesCalculated)]


def test_each_calculation_is_a_new_event_with_its_inputs_rules_and_number() -> None:
    case = consecutive_sentences_with_remand()

    first, second, third = calculations(case)

    assert [c.calculation for c in (first, second, third)] == [1, 2, 3]
    assert [len(c.sentences) for c in (first, second, third)] == [1, 2, 2]
    assert (first.adjustments, len(third.adjustments)) == ([], 1)
    assert third.sentences[1] == {
        "decision_id": "D-2",
        "decided_on": SENTENCED_ON,
        "sentence_days": 150,
        "consecutive_to": "D-1",
    }
    assert (third.rules_version, third.jurisdiction, third.conditional_release_fraction) == (
        "spine-1",
        "default",
        "2/3",
    )
    assert (third.remand_days_served, third.remand_credit_applied, third.sentence_days) == (45, 45, 450)
    assert third.dates == {
        "sentence_start": SENTENCED_ON,
        "sentence_end": date(2026, 4, 10),
        "conditional_release_eligibility": date(2025, 11, 11),
    }
    assert third.decision_id == "D-1"  # the sentence the adjustment was for
    assert [c["dates"]["sentence_end"] for c in case.calculations] == [
        date(2025, 12, 26),
        date(2026, 5, 25),
        date(2026, 4, 10),
    ]


def test_a_recorded_calculation_gives_the_same_dates_when_run_again() -> None:
    *_, recorded = calculations(consecutive_sentences_with_remand())

    again = calculate(
        [
            Sentence(s["decision_id"], s["decided_on"], s["sentence_days"], s["consecutive_to"])
            for s in recorded.sentences
        ],
        [Adjustment(a["adjustment_id"], a["decision_id"], a["kind"], a["days"]) for a in recorded.adjustments],
        RULES,
        recorded.remand_days_served,
    )

    assert again.dates() == recorded.dates


def test_the_same_sentence_or_adjustment_again_is_not_recalculated() -> None:
    case = consecutive_sentences_with_remand()
    case.collect_events()

    case.record_sentence("D-2", SENTENCED_ON, 150, "D-1", RULES, SYSTEM, NOW)
    case.record_adjustment("ADJ-1", "D-1", "remand_credit", 45, RULES, SYSTEM, NOW)

    assert case.collect_events() == []


def test_custody_learned_after_the_sentence_recalculates_the_remand_credit() -> None:
    case = a_case()
    case.record_sentence("D-1", SENTENCED_ON, 300, None, RULES, SYSTEM, NOW)
    case.record_adjustment("ADJ-1", "D-1", "remand_credit", 45, RULES, SYSTEM, NOW)
    assert case.calculations[-1]["remand_credit_applied"] == 0  # no custody known before the sentence

    case.custody_started("HMP Test", SYSTEM, REMANDED_AT)  # a back-dated admission record
    case.recalculate_for_custody(RULES, SYSTEM, NOW)

    *_, latest = calculations(case)
    assert (latest.calculation, latest.remand_days_served, latest.remand_credit_applied) == (3, 45, 45)
    assert latest.dates["sentence_end"] == date(2025, 11, 11)  # 2025-12-26 - 45


def test_an_admission_after_the_start_changes_no_date() -> None:
    case = a_case()
    case.record_sentence("D-1", SENTENCED_ON, 300, None, RULES, SYSTEM, NOW)
    case.collect_events()

    case.custody_started("HMP Test", SYSTEM, datetime(2025, 3, 2, 9, 0, tzinfo=UTC))
    case.recalculate_for_custody(RULES, SYSTEM, NOW)

    assert [type(e) for e in case.collect_events()] == [ReleaseCase.CustodyStarted]


def test_an_override_records_who_made_it_and_why() -> None:
    case = consecutive_sentences_with_remand()
    case.collect_events()

    case.override_release_dates(None, date(2025, 11, 1), "court of appeal order CA-1", BY_OFFICER, NOW)

    (overridden,) = calculations(case)
    assert overridden.calculation == 4
    assert overridden.override == {
        "by": OFFICER,
        "reason": "court of appeal order CA-1",
        "sentence_end": None,
        "conditional_release_eligibility": date(2025, 11, 1),
        "calculated": {
            "sentence_start": SENTENCED_ON,
            "sentence_end": date(2026, 4, 10),
            "conditional_release_eligibility": date(2025, 11, 11),
        },
    }
    assert overridden.dates["conditional_release_eligibility"] == date(2025, 11, 1)
    assert overridden.dates["sentence_end"] == date(2026, 4, 10)  # not overridden: as calculated
    assert overridden.actor == OFFICER
    assert len(overridden.sentences) == 2  # the inputs are recorded again
    assert case.dates == overridden.dates


def test_the_same_override_again_even_from_another_officer_changes_nothing() -> None:
    case = consecutive_sentences_with_remand()
    case.override_release_dates(date(2026, 4, 1), None, "sentence remitted", BY_OFFICER, NOW)
    case.collect_events()

    other = Provenance(actor={**OFFICER, "id": "officer-8"})
    case.override_release_dates(date(2026, 4, 1), None, "sentence remitted", other, NOW)

    assert case.collect_events() == []


def test_an_override_lapses_when_the_inputs_change() -> None:
    case = consecutive_sentences_with_remand()
    case.override_release_dates(None, date(2025, 11, 1), "court of appeal order CA-1", BY_OFFICER, NOW)
    case.collect_events()

    case.record_adjustment("ADJ-2", "D-2", "added_days", 10, RULES, SYSTEM, NOW)

    (recalculated,) = calculations(case)
    assert recalculated.override is None
    # The rules' dates again, 10 days later: 2025-11-11 + 10, 2026-04-10 + 10.
    assert recalculated.dates["conditional_release_eligibility"] == date(2025, 11, 21)
    assert recalculated.dates["sentence_end"] == date(2026, 4, 20)
    assert case.calculations[-2]["override"]["reason"] == "court of appeal order CA-1"  # kept in the history


def test_conditional_release_uses_the_dates_in_force() -> None:
    case = consecutive_sentences_with_remand()
    case.override_release_dates(None, date(2025, 11, 1), "court of appeal order CA-1", BY_OFFICER, NOW)

    with pytest.raises(ConditionalReleaseError, match="eligible from 2025-11-01"):
        case.release(date(2025, 10, 31), "conditional_release", BY_OFFICER)
    case.release(date(2025, 11, 1), "conditional_release", BY_OFFICER)

    assert case.supervision is not None
    assert case.supervision["ends_on"] == date(2026, 4, 10)


def test_an_override_needs_calculated_dates() -> None:
    with pytest.raises(NoReleaseDatesError, match="no release dates"):
        a_case().override_release_dates(date(2026, 1, 1), None, "reason", BY_OFFICER, NOW)


@pytest.mark.parametrize(
    ("sentence_end", "eligible", "problem"),
    [
        (date(2025, 2, 28), None, "sentence_end is before the sentence start 2025-03-01"),
        (None, date(2025, 2, 28), "conditional_release_eligibility is before the sentence start"),
        (None, date(2026, 4, 11), "conditional_release_eligibility is after the sentence end 2026-04-10"),
        (date(2025, 11, 10), None, "conditional_release_eligibility is after the sentence end 2025-11-10"),
    ],
)
def test_an_override_that_makes_no_sense_is_refused(
    sentence_end: date | None, eligible: date | None, problem: str
) -> None:
    case = consecutive_sentences_with_remand()

    with pytest.raises(ReleaseDatesOverrideError, match=problem):
        case.override_release_dates(sentence_end, eligible, "reason", BY_OFFICER, NOW)


def test_a_consecutive_sentence_to_a_sentence_release_never_learned_is_refused() -> None:
    with pytest.raises(CalculationInputsError, match="consecutive_to"):
        a_case().record_sentence("D-2", SENTENCED_ON, 150, "D-1", RULES, SYSTEM, NOW)


def test_an_adjustment_to_a_sentence_release_never_learned_is_refused() -> None:
    case = a_case()
    case.record_sentence("D-1", SENTENCED_ON, 300, None, RULES, SYSTEM, NOW)

    with pytest.raises(CalculationInputsError, match="unknown sentence"):
        case.record_adjustment("ADJ-1", "D-9", "added_days", 3, RULES, SYSTEM, NOW)


def test_a_sentence_after_release_from_the_last_term_starts_a_new_term() -> None:
    case = consecutive_sentences_with_remand()
    case.release(date(2026, 4, 10), "sentence_served", BY_OFFICER)
    case.custody_started("HMP Test", SYSTEM, datetime(2027, 5, 1, 9, 0, tzinfo=UTC))  # remanded again
    case.collect_events()

    case.record_sentence("D-3", date(2027, 6, 1), 90, None, RULES, SYSTEM, NOW)
    case.record_adjustment("ADJ-3", "D-3", "remand_credit", 31, RULES, SYSTEM, NOW)

    first, second = calculations(case)
    assert [s["decision_id"] for s in first.sentences] == ["D-3"]
    assert first.adjustments == []  # the last term's remand credit does not count again
    assert first.remand_counted_from == date(2026, 4, 10)
    assert first.dates == {
        "sentence_start": date(2027, 6, 1),
        "sentence_end": date(2027, 8, 30),  # 2027-06-01 + 90
        "conditional_release_eligibility": date(2027, 7, 31),  # + ceil(2/3 x 90) = 60
    }
    # Remanded 2027-05-01 to 2027-06-01: 31 days, all credited: both dates 31 days earlier.
    assert (second.remand_days_served, second.remand_credit_applied) == (31, 31)
    assert second.dates["sentence_end"] == date(2027, 7, 30)


def test_an_adjustment_to_a_finished_terms_sentence_changes_no_date() -> None:
    case = consecutive_sentences_with_remand()
    case.release(date(2026, 4, 10), "sentence_served", BY_OFFICER)
    case.record_sentence("D-3", date(2027, 6, 1), 90, None, RULES, SYSTEM, NOW)
    case.collect_events()

    case.record_adjustment("ADJ-9", "D-1", "unlawfully_at_large", 4, RULES, SYSTEM, NOW)

    assert case.collect_events() == []


def test_a_concurrent_sentence_decided_before_the_release_joins_the_term() -> None:
    case = a_case()
    case.record_sentence("D-1", date(2025, 1, 10), 600, None, RULES, SYSTEM, NOW)
    case.custody_started("HMP Test", SYSTEM, datetime(2025, 1, 11, tzinfo=UTC))
    case.release(date(2026, 2, 14), "conditional_release", BY_OFFICER)

    case.record_sentence("D-2", date(2026, 2, 1), 30, None, RULES, SYSTEM, NOW)

    assert set(case.sentences) == {"D-1", "D-2"}


def test_a_spine_calculation_reads_back_with_its_one_sentence(tmp_path: Path) -> None:
    """A version-1 event, as the spine stored it, is upcast: one sentence, no adjustments, no number."""
    app = bootstrap.build(sqlite_env("release", tmp_path), environ={})
    person_id = uuid4()
    case = ReleaseCase.open(person_id, SYSTEM, NOW)
    app.save(case)
    v1_state = {
        "timestamp": NOW,
        "occurred_at": datetime(2025, 1, 10, tzinfo=UTC),
        **SYSTEM.fields(),
        "decision_id": "D-1",
        "sentence_days": 600,
        "dates": RULES.calculate(date(2025, 1, 10), 600),
        "conditional_release_fraction": "2/3",
        "rules_version": "spine-1",
    }
    topic = get_topic(ReleaseCase.ReleaseDatesCalculated)
    app.recorder.insert_events([StoredEvent(person_id, 2, topic, app.mapper.transcoder.encode(v1_state))])

    case = app.get_or_none(person_id)
    (event,) = [e for e in app.events.get(person_id) if isinstance(e, ReleaseCase.ReleaseDatesCalculated)]
    published = release.translate(event)

    assert case.dates == RULES.calculate(date(2025, 1, 10), 600)
    assert list(case.sentences) == ["D-1"]
    assert case.calculations[0]["calculation"] == 1
    assert published is not None
    payload = published.event.model_dump(mode="json")
    assert (payload["calculation"], payload["override"], payload["adjustments"]) == (None, None, [])
    assert payload["sentences"] == [
        {"decision_id": "D-1", "decided_on": "2025-01-10", "sentence_days": 600, "consecutive_to": None}
    ]
    # A new input after the upgrade is calculated on what the old event recorded, and numbered after it.
    case.record_adjustment("ADJ-1", "D-1", "added_days", 2, RULES, SYSTEM, NOW)
    (calculated,) = calculations(case)
    assert calculated.calculation == 2
    assert calculated.dates["sentence_end"] == date(2026, 9, 4)
    app.close()
