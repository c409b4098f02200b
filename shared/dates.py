"""Calendar arithmetic that cannot overflow: a result past the calendar's ends is held at its ends.

`date + timedelta` raises OverflowError beyond 9999-12-31 (and `timedelta` itself beyond a
billion days). A reaction that raises is set aside as a dead letter, and that holds back every
later event about the same person; so the domains compute with these instead. The contracts keep
every accepted value far from the ends (shared/contracts/bounds.py), so holding a date at
9999-12-31 only happens for sums no single input can reach (a long chain of consecutive
sentences, or a history stored before the bounds): such a date means "not within any calendar",
later than every day a report can ask about, which is what the arithmetic would have said.

Standard library only, so that the services' domain packages may use it.
"""

from __future__ import annotations

import calendar
from datetime import date

_DAYS_TO_END = date.max.toordinal()


def days_after(day: date, days: int) -> date:
    """`day` plus `days` (minus, when negative), held within the calendar."""
    ordinal = day.toordinal() + days
    if ordinal > _DAYS_TO_END:
        return date.max
    if ordinal < 1:
        return date.min
    return date.fromordinal(ordinal)


def days_before(day: date, days: int) -> date:
    """`day` minus `days`, held within the calendar."""
    return days_after(day, -days)


def months_after(day: date, months: int) -> date:
    """The same day `months` calendar months later (the month's last day where it is shorter), held within the
    calendar."""
    year, month_index = divmod(day.month - 1 + months, 12)
    year += day.year
    if year > date.max.year:
        return date.max
    if year < date.min.year:
        return date.min
    month = month_index + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def years_after(day: date, years: int) -> date:
    """The same day `years` later (29 February becomes 28 February in a common year), held within the calendar."""
    return months_after(day, 12 * years)


__all__ = ["days_after", "days_before", "months_after", "years_after"]
