"""The days an occupancy trend is reported on: from a start to an end, every so many days."""

from __future__ import annotations

from datetime import date, timedelta

from shared.errors import FieldProblem, InvalidInput

# Ten years of weekly figures: a longer series is a request to narrow, not to wait for.
MAX_TREND_POINTS = 520


def trend_days(start: date, end: date, every_days: int) -> list[date]:
    """Every `every_days`-th day from `start`, and `end` itself (so the series always ends on the day asked)."""
    problems = []
    if end < start:
        problems.append(FieldProblem("to", "must be on or after from"))
    if every_days < 1:
        problems.append(FieldProblem("every", "must be a number of days, 1 or more"))
    if problems:
        raise InvalidInput(problems)
    points = (end - start).days // every_days + 1
    if points > MAX_TREND_POINTS:
        raise InvalidInput(
            [FieldProblem("every", f"gives {points} days, more than {MAX_TREND_POINTS}: take a longer step or period")]
        )
    days = [start + timedelta(days=n * every_days) for n in range(points)]
    return days if days[-1] == end else [*days, end]
