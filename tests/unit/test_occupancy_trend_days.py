"""The days of an occupancy trend: every so many days from the start, always ending on the day asked."""

from __future__ import annotations

from datetime import date

import pytest

from services.intake.queries import MAX_TREND_POINTS, trend_days
from shared.errors import InvalidInput


def test_every_step_from_the_start_and_the_end_itself() -> None:
    assert trend_days(date(2025, 1, 1), date(2025, 1, 20), 7) == [
        date(2025, 1, 1), date(2025, 1, 8), date(2025, 1, 15), date(2025, 1, 20),
    ]  # fmt: skip
    assert trend_days(date(2025, 1, 1), date(2025, 1, 15), 7)[-1] == date(2025, 1, 15)  # not twice
    assert trend_days(date(2025, 1, 1), date(2025, 1, 1), 30) == [date(2025, 1, 1)]


@pytest.mark.parametrize(
    ("start", "end", "every", "field"),
    [
        (date(2025, 2, 1), date(2025, 1, 1), 7, "to"),
        (date(2025, 1, 1), date(2025, 2, 1), 0, "every"),
        (date(2000, 1, 1), date(2025, 1, 1), 1, "every"),  # over MAX_TREND_POINTS days
    ],
)
def test_a_bad_period_or_step_is_refused_naming_the_field(start: date, end: date, every: int, field: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        trend_days(start, end, every)
    assert [problem.field for problem in refused.value.problems] == [field]
    assert (date(2025, 1, 1) - date(2000, 1, 1)).days > MAX_TREND_POINTS
