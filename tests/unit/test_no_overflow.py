"""Nothing accepted can overflow downstream: the release-date calculation and the calendar arithmetic the services
use, over the extreme values the contracts accept (shared/contracts/bounds.py) and over sums no one input reaches."""

from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from services.release.domain.calculation import ADJUSTMENT_KINDS, Adjustment, Sentence, calculate
from services.release.domain.rules import ReleaseRules
from services.release.read_models.reoffending import add_months
from shared.contracts.bounds import EARLIEST_DATE, MAX_TERM_DAYS, MAX_TERM_MONTHS, latest_date
from shared.dates import days_after, days_before, months_after, years_after

EXTREMES = settings(max_examples=300, deadline=None)
LATEST = latest_date()

# The edges themselves, drawn often: that is where an overflow would be.
accepted_dates = st.sampled_from([EARLIEST_DATE, LATEST]) | st.dates(EARLIEST_DATE, LATEST)
accepted_days = st.sampled_from([1, MAX_TERM_DAYS]) | st.integers(1, MAX_TERM_DAYS)


@st.composite
def terms(draw: st.DrawFn) -> tuple[list[Sentence], list[Adjustment], ReleaseRules, int]:
    """Up to eight accepted sentences, each may follow an earlier one, and up to six accepted adjustments."""
    sentences: list[Sentence] = []
    for index in range(draw(st.integers(1, 8))):
        follows = draw(st.none() | st.sampled_from([s.decision_id for s in sentences])) if sentences else None
        sentences.append(Sentence(f"D-{index}", draw(accepted_dates), draw(accepted_days), follows))
    ids = [s.decision_id for s in sentences]
    adjustments = [
        Adjustment(f"ADJ-{n}", draw(st.sampled_from(ids)), draw(st.sampled_from(ADJUSTMENT_KINDS)), draw(accepted_days))
        for n in range(draw(st.integers(0, 6)))
    ]
    rules = ReleaseRules(
        Fraction(draw(st.integers(1, 12)), 12),
        "generated",
        rounding=draw(st.sampled_from(["up", "down"])),
        remand_credit_granted=draw(st.booleans()),
    )
    # Remand served: anything from none to every day since the earliest accepted date.
    served = draw(st.integers(0, (LATEST - EARLIEST_DATE).days))
    return sentences, adjustments, rules, served


@EXTREMES
@given(terms())
def test_any_term_of_accepted_inputs_is_calculated(
    term: tuple[list[Sentence], list[Adjustment], ReleaseRules, int],
) -> None:
    result = calculate(*term)

    assert EARLIEST_DATE <= result.sentence_start <= LATEST
    assert result.sentence_start <= result.conditional_release_eligibility <= result.sentence_end


def test_a_chain_longer_than_the_calendar_ends_on_its_last_day() -> None:
    # Three hundred centuries, one after another: more than the calendar holds, yet no input is out of bounds.
    chain = [Sentence("D-0", LATEST, MAX_TERM_DAYS)] + [
        Sentence(f"D-{n}", LATEST, MAX_TERM_DAYS, f"D-{n - 1}") for n in range(1, 300)
    ]
    added = [Adjustment(f"A-{n}", "D-0", "added_days", MAX_TERM_DAYS) for n in range(300)]

    result = calculate(chain, added, ReleaseRules())

    assert result.sentence_end == date.max
    assert result.sentence_start <= result.conditional_release_eligibility <= date.max


def test_a_term_stored_before_the_bounds_is_calculated_rather_than_set_aside() -> None:
    # An event recorded when intake still accepted it: reading it again must not fail the reaction.
    result = calculate([Sentence("D-1", date(9999, 12, 31), 10**12)], [], ReleaseRules())

    assert result.sentence_end == date.max


def test_the_longest_accepted_term_stays_centuries_from_the_calendar_end() -> None:
    # The bounds are chosen so: a supervision, a pre-trial limit or a review interval never needs holding.
    assert days_after(LATEST, MAX_TERM_DAYS).year < 2300
    assert months_after(LATEST, MAX_TERM_MONTHS).year < 2300


@EXTREMES
@given(st.dates(), st.integers(-(10**15), 10**15))
def test_days_after_never_raises_and_is_exact_within_the_calendar(day: date, days: int) -> None:
    result = days_after(day, days)

    exact = day.toordinal() + days
    if 1 <= exact <= date.max.toordinal():
        assert result == day + timedelta(days=days)
    else:
        assert result == (date.max if days > 0 else date.min)
    assert days_before(day, days) == days_after(day, -days)


@EXTREMES
@given(st.dates(), st.integers(-(10**9), 10**9))
def test_months_after_never_raises_and_keeps_the_day_where_it_can(day: date, months: int) -> None:
    result = months_after(day, months)

    if result not in (date.min, date.max):
        assert result.day == day.day or result.day < day.day  # the month's last day where it is shorter
        assert (result.year * 12 + result.month) - (day.year * 12 + day.month) == months


def test_month_and_year_arithmetic_at_the_edges() -> None:
    assert add_months(date.max, 24) == date.max
    assert add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert years_after(date(2024, 2, 29), 1) == date(2025, 2, 28)
    assert years_after(date.min, -1) == date.min
