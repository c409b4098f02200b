"""The release-date calculation on its own, against cases worked out by hand (the arithmetic is in the comments)."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest

from services.release.domain.calculation import (
    Adjustment,
    CalculationInputError,
    CustodyPeriod,
    Sentence,
    calculate,
    custody_days,
)
from services.release.domain.rules import ReleaseRules

SPINE = ReleaseRules()


def remand(days: int, decision_id: str = "D-1", adjustment_id: str = "ADJ-1") -> Adjustment:
    return Adjustment(adjustment_id, decision_id, "remand_credit", days)


def test_one_sentence_is_the_spines_rule() -> None:
    # 600 days from 2025-01-10: 2025-01-10 + 355 = 2025-12-31, + 245 = 2026-09-02.
    # Eligibility: ceil(2/3 x 600) = 400 days: 2025-01-10 + 355 = 2025-12-31, + 45 = 2026-02-14.
    result = calculate([Sentence("D-1", date(2025, 1, 10), 600)], [], SPINE)

    assert result.dates() == {
        "sentence_start": date(2025, 1, 10),
        "sentence_end": date(2026, 9, 2),
        "conditional_release_eligibility": date(2026, 2, 14),
    }
    assert (result.term_days, result.remand_credit_applied, result.days_added) == (600, 0, 0)


def test_a_consecutive_sentence_with_remand_credit() -> None:
    # D-1: 300 days from 2025-03-01: March to November is 31+30+31+30+31+31+30+31+30 = 275 days,
    #   to 2025-12-01, and 25 more: ends 2025-12-26.
    # D-2: 150 days consecutive to D-1, from 2025-12-26: 2025-12-26 + 6 = 2026-01-01, + 144 = 2026-05-25.
    # Term: 2025-03-01 to 2026-05-25 = 300 + 150 = 450 days.
    # Eligibility: ceil(2/3 x 450) = 300 days after 2025-03-01 = 2025-12-26.
    # Remand: in custody from 2025-01-15 to the sentence on 2025-03-01: 17 (Jan) + 28 (Feb) = 45 days;
    # 45 days of credit claimed, all of it served: both dates 45 days earlier.
    # End: 2026-05-25 - 45 = 2026-04-10. Eligibility: 2025-12-26 - 45 = 2025-11-11.
    sentences = [
        Sentence("D-1", date(2025, 3, 1), 300),
        Sentence("D-2", date(2025, 3, 1), 150, consecutive_to="D-1"),
    ]
    served = custody_days([CustodyPeriod(date(2025, 1, 15))], before=date(2025, 3, 1))

    result = calculate(sentences, [remand(45)], SPINE, served)

    assert served == 45
    assert result.dates() == {
        "sentence_start": date(2025, 3, 1),
        "sentence_end": date(2026, 4, 10),
        "conditional_release_eligibility": date(2025, 11, 11),
    }
    assert (result.term_days, result.remand_credit_claimed, result.remand_credit_applied) == (450, 45, 45)


def test_consecutive_sentences_add_up_exactly() -> None:
    # 10 days from 2025-01-01 ends 2025-01-11; 5 more from there end 2025-01-16: 15 days in all.
    sentences = [Sentence("D-1", date(2025, 1, 1), 10), Sentence("D-2", date(2025, 1, 5), 5, consecutive_to="D-1")]

    result = calculate(sentences, [], SPINE)

    assert result.sentence_end == date(2025, 1, 16)
    assert result.term_days == 15
    # ceil(2/3 x 15) = 10 days: 2025-01-11.
    assert result.conditional_release_eligibility == date(2025, 1, 11)


def test_remand_credit_is_never_more_than_the_time_served() -> None:
    # 60 days claimed, 45 served: 45 applied. End 2026-05-25 - 45 = 2026-04-10, as above.
    sentences = [Sentence("D-1", date(2025, 3, 1), 300), Sentence("D-2", date(2025, 3, 1), 150, "D-1")]

    result = calculate(sentences, [remand(60)], SPINE, remand_days_served=45)

    assert (result.remand_credit_claimed, result.remand_credit_applied) == (60, 45)
    assert result.sentence_end == date(2026, 4, 10)


def test_remand_credit_with_no_custody_known_brings_no_date_earlier() -> None:
    result = calculate([Sentence("D-1", date(2025, 1, 10), 600)], [remand(30)], SPINE, remand_days_served=0)

    assert result.remand_credit_applied == 0
    assert result.sentence_end == date(2026, 9, 2)


def test_remand_longer_than_the_share_to_serve_releases_at_the_start() -> None:
    # 90 days from 2025-03-01 end 2025-05-30; eligibility ceil(2/3 x 90) = 60 days: 2025-04-30.
    # 80 days of remand: eligibility 2025-04-30 - 80 would be 2025-02-09, before the start: 2025-03-01.
    # End: 2025-05-30 - 80 = 2025-03-11 (May 30 -> Apr 30 is 30, -> Mar 31 is 60, -> Mar 11 is 80).
    result = calculate([Sentence("D-1", date(2025, 3, 1), 90)], [remand(80)], SPINE, remand_days_served=80)

    assert result.conditional_release_eligibility == date(2025, 3, 1)
    assert result.sentence_end == date(2025, 3, 11)


def test_remand_credit_is_capped_at_the_term() -> None:
    # 10 days, 30 served and claimed: 10 applied, both dates at the start.
    result = calculate([Sentence("D-1", date(2025, 3, 1), 10)], [remand(30)], SPINE, remand_days_served=30)

    assert result.remand_credit_applied == 10
    assert result.sentence_end == result.conditional_release_eligibility == date(2025, 3, 1)


def test_added_days_and_days_unlawfully_at_large_push_both_dates_later() -> None:
    # The spine case (end 2026-09-02, eligible 2026-02-14) with 10 added days and 5 at large: 15 days later.
    adjustments = [
        Adjustment("ADJ-1", "D-1", "added_days", 10),
        Adjustment("ADJ-2", "D-1", "unlawfully_at_large", 5),
    ]

    result = calculate([Sentence("D-1", date(2025, 1, 10), 600)], adjustments, SPINE)

    assert result.sentence_end == date(2026, 9, 17)
    assert result.conditional_release_eligibility == date(2026, 3, 1)
    assert result.days_added == 15


def test_a_later_concurrent_sentence_keeps_its_own_share_to_serve() -> None:
    # A: 600 days from 2025-01-10, eligible 2026-02-14, ends 2026-09-02.
    # B: 600 days from 2025-06-01, eligible after ceil(2/3 x 600) = 400 days: 2026-07-06; ends 2027-01-22.
    # The term runs 2025-01-10 to 2027-01-22 (742 days); two thirds of that span (495 days, 2026-05-20)
    # would release before B's own two thirds: eligibility is the later of the two, 2026-07-06.
    sentences = [Sentence("A", date(2025, 1, 10), 600), Sentence("B", date(2025, 6, 1), 600)]

    result = calculate(sentences, [], SPINE)

    assert result.sentence_start == date(2025, 1, 10)
    assert result.sentence_end == date(2027, 1, 22)
    assert result.term_days == 742
    assert result.conditional_release_eligibility == date(2026, 7, 6)


def test_a_shorter_concurrent_sentence_changes_nothing() -> None:
    sentences = [Sentence("A", date(2025, 1, 10), 600), Sentence("B", date(2025, 2, 1), 100)]

    assert calculate(sentences, [], SPINE).dates() == calculate(sentences[:1], [], SPINE).dates()


@pytest.mark.parametrize(
    ("fraction", "rounding", "days", "eligible_after"),
    [
        (Fraction(1, 2), "up", 7, 4),  # 3.5 -> 4
        (Fraction(1, 2), "down", 7, 3),  # 3.5 -> 3
        (Fraction(2, 3), "down", 601, 400),  # 400.67 -> 400
        (Fraction(1), "up", 30, 30),  # the whole term
    ],
)
def test_the_rules_round_a_part_day_their_way(
    fraction: Fraction, rounding: str, days: int, eligible_after: int
) -> None:
    rules = ReleaseRules(fraction, "test", rounding=rounding)

    result = calculate([Sentence("D-1", date(2025, 1, 1), days)], [], rules)

    assert (result.conditional_release_eligibility - date(2025, 1, 1)).days == eligible_after


def test_rules_without_remand_credit_apply_none() -> None:
    rules = ReleaseRules(remand_credit_granted=False)

    result = calculate([Sentence("D-1", date(2025, 1, 10), 600)], [remand(30)], rules, remand_days_served=30)

    assert (result.remand_credit_claimed, result.remand_credit_applied) == (30, 0)
    assert result.sentence_end == date(2026, 9, 2)


def test_custody_days_count_each_day_once_within_the_window() -> None:
    # [01-15, 02-01) is 17 days; [02-10, open) up to 03-01 is 19 days; 36 in all.
    periods = [CustodyPeriod(date(2025, 1, 15), date(2025, 2, 1)), CustodyPeriod(date(2025, 2, 10))]

    assert custody_days(periods, before=date(2025, 3, 1)) == 36
    # Counted only from 2025-01-20 (an earlier term's end): 12 + 19 = 31.
    assert custody_days(periods, before=date(2025, 3, 1), since=date(2025, 1, 20)) == 31
    # Overlapping records are not counted twice.
    assert custody_days([*periods, CustodyPeriod(date(2025, 1, 15), date(2025, 2, 1))], before=date(2025, 3, 1)) == 36


@pytest.mark.parametrize(
    ("sentences", "adjustments", "problem"),
    [
        ([], [], "no sentence"),
        ([Sentence("D-1", date(2025, 1, 1), 10, consecutive_to="D-9")], [], "unknown sentence"),
        (
            [Sentence("D-1", date(2025, 1, 1), 10, "D-2"), Sentence("D-2", date(2025, 1, 1), 10, "D-1")],
            [],
            "consecutive to itself",
        ),
        ([Sentence("D-1", date(2025, 1, 1), 10)], [remand(5, decision_id="D-9")], "not for a sentence"),
        ([Sentence("D-1", date(2025, 1, 1), 10)], [Adjustment("A", "D-1", "pardon", 5)], "unknown kind"),
    ],
)
def test_inputs_that_cannot_be_calculated_are_refused(
    sentences: list[Sentence], adjustments: list[Adjustment], problem: str
) -> None:
    with pytest.raises(CalculationInputError, match=problem):
        calculate(sentences, adjustments, SPINE)
