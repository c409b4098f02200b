"""The release-date calculation: a pure function from one custodial term's inputs to its dates.

Standard library only (and shared/dates.py's arithmetic, which holds a date past the calendar's end at
9999-12-31 instead of raising: a chain of consecutive sentences may add up further than any one sentence
could go), no state and no clock: the same inputs under the same rules always give
the same dates, so any recorded calculation can be checked by running it again.

Counting, as the spine always has: calendar days; a sentence of N days decided on D runs from D
and ends on D + N, the day after its last day (the day the person is due out). So:

- a concurrent sentence runs from its own decision date;
- a consecutive sentence starts the day the sentence it follows ends (the day after that one's
  last day), so consecutive sentences add up exactly: A days then B days end A + B days after
  the first start;
- the term runs from the earliest start to the latest end.

Conditional-release eligibility is worked out per chain (a sentence together with the sentences
it follows, back to one that is concurrent): chain start + the rules' fraction of the chain's
days, rounded as the rules say; the term's eligibility is the latest of them. For one sentence,
or one chain of consecutive sentences, that is simply start + fraction x term. Taking a fraction
of the whole span instead would let a long concurrent sentence decided later be cut short: 600
days from 2025-01-10 and 600 concurrent days from 2025-06-01 span 742 days, two thirds of which
(495) falls on 2026-05-20, before the second sentence's own two thirds (400 days from 2025-06-01:
2026-07-06).

Adjustments then apply to the whole term:

- remand credit brings both dates earlier, by the credit claimed but never more than the days
  the person is known to have spent in custody on remand before the term started
  (`remand_days_served`, an input) and never more than the term itself; a date it would bring
  before the start is the start (time served: due out at once). Rules may grant no credit;
- added days and days unlawfully at large push both dates later.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction
from typing import Protocol

from shared.dates import days_after, days_before


class TermRules(Protocol):
    """What a calculation needs of a jurisdiction's rules (rules.py's ReleaseRules gives it)."""

    @property
    def remand_credit_granted(self) -> bool: ...

    def eligible_after(self, days: int) -> int: ...


REMAND_CREDIT = "remand_credit"
ADDED_DAYS = "added_days"
UNLAWFULLY_AT_LARGE = "unlawfully_at_large"
ADJUSTMENT_KINDS = (REMAND_CREDIT, ADDED_DAYS, UNLAWFULLY_AT_LARGE)


class CalculationInputError(ValueError):
    """Inputs no calculation can be made from (a bug or a missed message upstream, never a rule)."""


@dataclass(frozen=True)
class Sentence:
    decision_id: str
    decided_on: date
    days: int
    consecutive_to: str | None = None


@dataclass(frozen=True)
class Adjustment:
    adjustment_id: str
    decision_id: str
    kind: str
    days: int


@dataclass(frozen=True)
class CustodyPeriod:
    """Days in custody from `start` up to (not including) `end`; no end: still in custody."""

    start: date
    end: date | None = None


@dataclass(frozen=True)
class Calculation:
    sentence_start: date
    sentence_end: date
    conditional_release_eligibility: date
    term_days: int  # from the start to the latest end, before adjustments
    remand_credit_claimed: int
    remand_credit_applied: int
    days_added: int  # added days and days unlawfully at large

    def dates(self) -> dict[str, date]:
        return {
            "sentence_start": self.sentence_start,
            "sentence_end": self.sentence_end,
            "conditional_release_eligibility": self.conditional_release_eligibility,
        }


def calculate(
    sentences: Sequence[Sentence],
    adjustments: Sequence[Adjustment],
    rules: TermRules,
    remand_days_served: int = 0,
) -> Calculation:
    """The term's dates under `rules`. Sentences are given in the order they were recorded."""
    if not sentences:
        raise CalculationInputError("no sentence to calculate release dates from")
    spans = sentence_spans(sentences)
    start = min(span_start for span_start, _, _ in spans.values())
    end = max(span_end for _, span_end, _ in spans.values())
    eligible = max(
        days_after(chain_start, rules.eligible_after((span_end - chain_start).days))
        for _, span_end, chain_start in spans.values()
    )
    known = set(spans)
    claimed = added = 0
    for adjustment in adjustments:
        if adjustment.decision_id not in known:
            raise CalculationInputError(f"adjustment {adjustment.adjustment_id}: not for a sentence of this term")
        if adjustment.kind == REMAND_CREDIT:
            claimed += adjustment.days
        elif adjustment.kind in (ADDED_DAYS, UNLAWFULLY_AT_LARGE):
            added += adjustment.days
        else:
            raise CalculationInputError(f"adjustment {adjustment.adjustment_id}: unknown kind")
    term_days = (end - start).days
    credit = min(claimed, max(remand_days_served, 0), term_days) if rules.remand_credit_granted else 0
    return Calculation(
        sentence_start=start,
        sentence_end=_moved(end, start, credit, added),
        conditional_release_eligibility=_moved(eligible, start, credit, added),
        term_days=term_days,
        remand_credit_claimed=claimed,
        remand_credit_applied=credit,
        days_added=added,
    )


def sentence_spans(sentences: Sequence[Sentence]) -> dict[str, tuple[date, date, date]]:
    """Each sentence's (start, end, start of its chain), following consecutive sentences back."""
    by_id = {sentence.decision_id: sentence for sentence in sentences}
    spans: dict[str, tuple[date, date, date]] = {}

    def span(decision_id: str, seen: tuple[str, ...]) -> tuple[date, date, date]:
        if decision_id in spans:
            return spans[decision_id]
        if decision_id in seen:
            raise CalculationInputError(f"sentence {decision_id}: consecutive to itself through others")
        sentence = by_id.get(decision_id)
        if sentence is None:
            raise CalculationInputError(f"sentence {seen[-1]}: consecutive to an unknown sentence")
        if sentence.consecutive_to is None:
            start = chain_start = sentence.decided_on
        else:
            _, start, chain_start = span(sentence.consecutive_to, (*seen, decision_id))
        spans[decision_id] = (start, days_after(start, sentence.days), chain_start)
        return spans[decision_id]

    for sentence in sentences:
        if sentence.days < 1:
            raise CalculationInputError(f"sentence {sentence.decision_id}: must be at least one day")
        span(sentence.decision_id, ())
    return spans


def _moved(day: date, start: date, credit: int, added: int) -> date:
    return days_after(max(start, days_before(day, credit)), added)


def eligible_after(fraction: Fraction, days: int, rounding: str) -> int:
    """Days served before conditional release: a fraction of the term, a part day rounded as the rules say."""
    share = fraction * days
    return math.ceil(share) if rounding == "up" else math.floor(share)


def custody_days(periods: Iterable[CustodyPeriod], before: date, since: date | None = None) -> int:
    """Days in custody before `before` (and not before `since`), each day counted once."""
    counted: set[date] = set()
    for period in periods:
        first = period.start if since is None else max(period.start, since)
        last = before if period.end is None else min(period.end, before)
        counted.update(first + timedelta(days=n) for n in range(max((last - first).days, 0)))
    return len(counted)
