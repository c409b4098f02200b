"""Invariants of the release-date calculation, over generated sentences, adjustments and rules."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from services.release.domain.calculation import ADJUSTMENT_KINDS, Adjustment, Calculation, Sentence, calculate
from services.release.domain.rules import ReleaseRules

# More examples than hypothesis's default 100: each is cheap, and the inputs combine widely.
THOROUGH = settings(max_examples=200, deadline=None)

FIRST_DAY = date(2020, 1, 1)


@st.composite
def sentences(draw: st.DrawFn) -> list[Sentence]:
    """One to five sentences; each may follow one recorded before it."""
    count = draw(st.integers(1, 5))
    drawn: list[Sentence] = []
    for index in range(count):
        follows = draw(st.none() | st.sampled_from([s.decision_id for s in drawn])) if drawn else None
        decided_on = FIRST_DAY + timedelta(days=draw(st.integers(0, 2000)))
        drawn.append(Sentence(f"D-{index}", decided_on, draw(st.integers(1, 3000)), follows))
    return drawn


@st.composite
def adjustments_for(draw: st.DrawFn, given_sentences: list[Sentence]) -> list[Adjustment]:
    ids = [s.decision_id for s in given_sentences]
    return [
        Adjustment(
            f"ADJ-{n}", draw(st.sampled_from(ids)), draw(st.sampled_from(ADJUSTMENT_KINDS)), draw(st.integers(1, 900))
        )
        for n in range(draw(st.integers(0, 4)))
    ]


@st.composite
def cases(draw: st.DrawFn) -> tuple[list[Sentence], list[Adjustment], ReleaseRules, int]:
    drawn = draw(sentences())
    fraction = Fraction(draw(st.integers(1, 12)), 12)
    rules = ReleaseRules(
        fraction, "generated", rounding=draw(st.sampled_from(["up", "down"])), remand_credit_granted=draw(st.booleans())
    )
    return drawn, draw(adjustments_for(drawn)), rules, draw(st.integers(0, 1500))


def run(case: tuple[list[Sentence], list[Adjustment], ReleaseRules, int]) -> Calculation:
    drawn, adjustments, rules, served = case
    return calculate(drawn, adjustments, rules, served)


@THOROUGH
@given(cases())
def test_no_date_falls_before_the_sentence_start(
    case: tuple[list[Sentence], list[Adjustment], ReleaseRules, int],
) -> None:
    result = run(case)

    assert result.sentence_start == min(s.decided_on for s in case[0] if s.consecutive_to is None)
    assert result.conditional_release_eligibility >= result.sentence_start
    assert result.sentence_end >= result.sentence_start
    assert result.conditional_release_eligibility <= result.sentence_end


@THOROUGH
@given(cases())
def test_credit_is_never_more_than_the_time_served(
    case: tuple[list[Sentence], list[Adjustment], ReleaseRules, int],
) -> None:
    result = run(case)
    _, _, rules, served = case

    assert 0 <= result.remand_credit_applied <= served
    assert result.remand_credit_applied <= result.remand_credit_claimed
    assert result.remand_credit_applied <= result.term_days
    if not rules.remand_credit_granted:
        assert result.remand_credit_applied == 0


@THOROUGH
@given(cases(), st.data())
def test_a_longer_sentence_never_brings_a_date_earlier(
    case: tuple[list[Sentence], list[Adjustment], ReleaseRules, int], data: st.DataObject
) -> None:
    drawn, adjustments, rules, served = case
    index = data.draw(st.integers(0, len(drawn) - 1))
    longer = list(drawn)
    longer[index] = dataclasses.replace(drawn[index], days=drawn[index].days + data.draw(st.integers(1, 1000)))

    before, after = calculate(drawn, adjustments, rules, served), calculate(longer, adjustments, rules, served)

    assert after.sentence_end >= before.sentence_end
    assert after.conditional_release_eligibility >= before.conditional_release_eligibility


@THOROUGH
@given(cases(), st.sampled_from(["added_days", "unlawfully_at_large"]), st.integers(1, 500))
def test_added_days_never_bring_a_date_earlier(
    case: tuple[list[Sentence], list[Adjustment], ReleaseRules, int], kind: str, days: int
) -> None:
    drawn, adjustments, rules, served = case
    more = [*adjustments, Adjustment("ADJ-more", drawn[0].decision_id, kind, days)]

    before, after = calculate(drawn, adjustments, rules, served), calculate(drawn, more, rules, served)

    assert after.sentence_end == before.sentence_end + timedelta(days=days)
    assert after.conditional_release_eligibility == before.conditional_release_eligibility + timedelta(days=days)


@THOROUGH
@given(cases(), st.integers(1, 500))
def test_remand_credit_never_brings_a_date_later(
    case: tuple[list[Sentence], list[Adjustment], ReleaseRules, int], days: int
) -> None:
    drawn, adjustments, rules, served = case
    more = [*adjustments, Adjustment("ADJ-more", drawn[0].decision_id, "remand_credit", days)]

    before, after = calculate(drawn, adjustments, rules, served), calculate(drawn, more, rules, served)

    assert after.sentence_end <= before.sentence_end
    assert after.conditional_release_eligibility <= before.conditional_release_eligibility


@THOROUGH
@given(st.integers(0, 3000), st.integers(1, 5000))
def test_one_sentence_gives_the_spines_dates(offset: int, days: int) -> None:
    decided_on = FIRST_DAY + timedelta(days=offset)

    result = calculate([Sentence("D-1", decided_on, days)], [], ReleaseRules())

    assert result.sentence_end == decided_on + timedelta(days=days)
    assert result.conditional_release_eligibility == decided_on + timedelta(days=-(-2 * days // 3))  # ceil(2/3 x days)


@THOROUGH
@given(st.lists(st.integers(1, 2000), min_size=1, max_size=6), st.integers(0, 3000))
def test_a_chain_of_consecutive_sentences_is_one_term_of_their_sum(lengths: list[int], offset: int) -> None:
    start = FIRST_DAY + timedelta(days=offset)
    chain = [Sentence("D-0", start, lengths[0])] + [
        Sentence(f"D-{n}", start, days, consecutive_to=f"D-{n - 1}") for n, days in enumerate(lengths[1:], start=1)
    ]

    result, single = (
        calculate(chain, [], ReleaseRules()),
        calculate([Sentence("X", start, sum(lengths))], [], ReleaseRules()),
    )

    assert result.dates() == single.dates()
