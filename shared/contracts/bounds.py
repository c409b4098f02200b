"""Plausible values: the bounds on every date and number a command or a report accepts, in one place.

A value past these is refused where it arrives (422 naming the field and the bound), so that
nothing accepted can overflow later, in a reaction, where a failure would hold back the person's
history. The public events are left unbounded on purpose: they are read leniently, and an event
stored before a bound existed must stay readable; the arithmetic on them cannot overflow instead
(shared/dates.py).

| values | lowest | highest | why |
|---|---|---|---|
| any other date; report `on`, `from`, `to` | 1900-01-01 | 100 years after today | nothing is decided centuries ahead |
| a time (`*_at`) | 1900-01-01 | 100 years after today | as a date |
| `date_of_birth` | 1900-01-01 | today | no one is born in the future |
| `sentence_days`, `measure_days`, `time_limit_days`, `review_interval_days`, `days` | 1 | 36525 | 100 years |
| `follow_up_months` | 1 | 1200 | 100 years |
| a child's `age` | 0 | 125 | the longest life on record |
| `capacity` | 1 | 100000 | the largest prison, several times |
| `sessions_required`, `sessions_planned` (from 1), `max_unacceptable_absences` | 0 | 10000 | daily for forty years |
| unpaid work `hours` | 1 | 10000 | the longest order, many times |
| a property item's `quantity` | 1 | 10000 | an inventory, not a warehouse |
| report `days`, `within`, `every` (from 1) | 0 | 36525 | no further than a term runs |

`tests/unit/test_plausible_values.py` checks this table against the constants below.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, AwareDatetime, Field
from pydantic_core import PydanticCustomError

from shared.dates import years_after

EARLIEST_DATE = date(1900, 1, 1)
# The longest a sentence or measure may run, and how far ahead any date may be given: so the latest date the
# system works out (the end of the longest term, decided on the latest day) stays centuries from the calendar's
# end, and stays there for as long as this code could run.
YEARS_AHEAD = 100
MAX_TERM_YEARS = 100
MAX_TERM_DAYS = 36_525  # 100 years of 365.25 days
MAX_TERM_MONTHS = 12 * MAX_TERM_YEARS
MAX_AGE_YEARS = 125  # above the longest human life on record
MAX_CAPACITY = 100_000  # several times the largest prison or programme there is
MAX_SESSIONS = 10_000  # a session every working day for forty years
MAX_HOURS = 10_000  # many times the longest unpaid-work order anywhere
MAX_QUANTITY = 10_000  # items of one kind in an inventory of property


def latest_date(today: date | None = None) -> date:
    """The latest business date accepted: YEARS_AHEAD years after today."""
    return years_after(today or date.today(), YEARS_AHEAD)


def check_business_date(day: date) -> date:
    if day < EARLIEST_DATE:
        raise PydanticCustomError("date_too_early", "must be on or after {earliest}", {"earliest": str(EARLIEST_DATE)})
    latest = latest_date()
    if day > latest:
        raise PydanticCustomError(
            "date_too_late",
            "must be on or before {latest} ({years} years after today)",
            {"latest": str(latest), "years": YEARS_AHEAD},
        )
    return day


def check_birth_date(day: date) -> date:
    if day < EARLIEST_DATE:
        raise PydanticCustomError("date_too_early", "must be on or after {earliest}", {"earliest": str(EARLIEST_DATE)})
    if day > date.today():
        raise PydanticCustomError("date_in_future", "must not be after today")
    return day


def check_business_moment(moment: datetime) -> datetime:
    check_business_date(moment.date())
    return moment


def _at_most(most: int, unit: str) -> AfterValidator:
    def check(value: int) -> int:
        if value > most:
            raise PydanticCustomError("too_large", "must be at most {most} {unit}", {"most": most, "unit": unit})
        return value

    return AfterValidator(check)


def _counted(least: int, most: int, unit: str) -> Any:
    # The maximum is checked by a validator of our own, so that its message says the unit; the schema still
    # states it.
    return Annotated[int, Field(ge=least, json_schema_extra={"maximum": most}), _at_most(most, unit)]


_DATE_RANGE = f"from {EARLIEST_DATE} to {YEARS_AHEAD} years after today"
BusinessDate = Annotated[date, AfterValidator(check_business_date), Field(description=f"a date {_DATE_RANGE}")]
BusinessMoment = Annotated[
    AwareDatetime, AfterValidator(check_business_moment), Field(description=f"a time on a day {_DATE_RANGE}")
]
BirthDate = Annotated[
    date, AfterValidator(check_birth_date), Field(description=f"a date from {EARLIEST_DATE} to today")
]
TermDays = _counted(1, MAX_TERM_DAYS, "days")
TermMonths = _counted(1, MAX_TERM_MONTHS, "months")
AgeYears = _counted(0, MAX_AGE_YEARS, "years")
Capacity = _counted(1, MAX_CAPACITY, "places")
SessionCount = _counted(0, MAX_SESSIONS, "sessions")
PositiveSessionCount = _counted(1, MAX_SESSIONS, "sessions")
AbsenceCount = _counted(0, MAX_SESSIONS, "absences")
Hours = _counted(1, MAX_HOURS, "hours")
Quantity = _counted(1, MAX_QUANTITY, "items")


# --- the table above, from the constants --------------------------------------------------------------------------


@dataclass(frozen=True)
class Bound:
    fields: str
    lowest: str
    highest: str
    why: str

    def row(self) -> str:
        return f"| {self.fields} | {self.lowest} | {self.highest} | {self.why} |"


BOUNDS = (
    Bound("any other date; report `on`, `from`, `to`", str(EARLIEST_DATE), f"{YEARS_AHEAD} years after today",
          "nothing is decided centuries ahead"),
    Bound("a time (`*_at`)", str(EARLIEST_DATE), f"{YEARS_AHEAD} years after today", "as a date"),
    Bound("`date_of_birth`", str(EARLIEST_DATE), "today", "no one is born in the future"),
    Bound("`sentence_days`, `measure_days`, `time_limit_days`, `review_interval_days`, `days`", "1",
          str(MAX_TERM_DAYS), f"{MAX_TERM_YEARS} years"),
    Bound("`follow_up_months`", "1", str(MAX_TERM_MONTHS), f"{MAX_TERM_YEARS} years"),
    Bound("a child's `age`", "0", str(MAX_AGE_YEARS), "the longest life on record"),
    Bound("`capacity`", "1", str(MAX_CAPACITY), "the largest prison, several times"),
    Bound("`sessions_required`, `sessions_planned` (from 1), `max_unacceptable_absences`", "0", str(MAX_SESSIONS),
          "daily for forty years"),
    Bound("unpaid work `hours`", "1", str(MAX_HOURS), "the longest order, many times"),
    Bound("a property item's `quantity`", "1", str(MAX_QUANTITY), "an inventory, not a warehouse"),
    Bound("report `days`, `within`, `every` (from 1)", "0", str(MAX_TERM_DAYS), "no further than a term runs"),
)  # fmt: skip


def bounds_table() -> str:
    """The rows of the table in this module's docstring."""
    return "\n".join(bound.row() for bound in BOUNDS)
