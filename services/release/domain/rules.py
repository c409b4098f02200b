"""Release-date rules: data per jurisdiction, not code. Each calculation records which rules it used.

A jurisdiction's rules are a JSON document (see `services/release/rules/spine-1.json`, the
default); `from_data` checks one and says exactly what is wrong with it. The defaults of
`ReleaseRules` are the spine's rule, so `ReleaseRules()` is `spine-1`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from typing import Any

from services.release.domain.calculation import Sentence, calculate, eligible_after

ROUNDINGS = ("up", "down")
RULES_FIELDS = {
    "version",
    "jurisdiction",
    "description",
    "conditional_release_fraction",
    "rounding",
    "remand_credit",
    "supervision",
    "follow_up",
}
# Added after the first rules files: a file without them keeps the spine's values.
OPTIONAL_FIELDS = {"description", "supervision", "follow_up"}
SUPERVISION_FIELDS = {"first_review_days"}
FOLLOW_UP_FIELDS = {"months", "window_days"}
REMAND_CREDIT_FIELDS = {"granted", "may_exceed_time_served"}


class ReleaseRulesError(ValueError):
    """A rules document that cannot be used; the message names the field and the problem."""


@dataclass(frozen=True)
class ReleaseRules:
    conditional_release_fraction: Fraction = Fraction(2, 3)
    version: str = "spine-1"
    jurisdiction: str = "default"
    rounding: str = "up"  # a part day of the conditional-release share: "up" or "down"
    remand_credit_granted: bool = True  # never more than the time served on remand: not a setting
    # A supervision never reviewed is due its first level review this many days after it starts.
    first_review_days: int = 28
    # Reintegration follow-ups: months after a release or a measure's end (issue 6, item 7) ...
    follow_up_months: tuple[int, ...] = (6, 12, 24)
    # ... and how many days either side of a point's due date an outcome that names no point answers it.
    follow_up_window_days: int = 31

    @classmethod
    def parse(cls, fraction: str, version: str) -> ReleaseRules:
        return cls(_fraction(fraction), _text("version", version))

    @classmethod
    def from_data(cls, data: Any) -> ReleaseRules:
        """Rules from a decoded JSON document, refusing anything missing, misspelt or out of range."""
        if not isinstance(data, Mapping):
            raise ReleaseRulesError("the rules must be a JSON object")
        unknown = sorted(set(data) - RULES_FIELDS)
        if unknown:
            raise ReleaseRulesError(f"unknown field {', '.join(unknown)} (known: {', '.join(sorted(RULES_FIELDS))})")
        missing = sorted(RULES_FIELDS - OPTIONAL_FIELDS - set(data))
        if missing:
            raise ReleaseRulesError(f"missing field {', '.join(missing)}")
        rounding = data["rounding"]
        if rounding not in ROUNDINGS:
            raise ReleaseRulesError(f"rounding: must be one of {', '.join(ROUNDINGS)}")
        return cls(
            conditional_release_fraction=_fraction(data["conditional_release_fraction"]),
            version=_text("version", data["version"]),
            jurisdiction=_text("jurisdiction", data["jurisdiction"]),
            rounding=rounding,
            remand_credit_granted=_remand_credit(data["remand_credit"]),
            **(_supervision(data["supervision"]) if "supervision" in data else {}),
            **(_follow_up(data["follow_up"]) if "follow_up" in data else {}),
        )

    def eligible_after(self, days: int) -> int:
        """Days of a term of `days` to serve before conditional release."""
        return eligible_after(self.conditional_release_fraction, days, self.rounding)

    def calculate(self, decided_on: date, sentence_days: int) -> dict[str, date]:
        """The spine's case: one sentence, no adjustments, counted in calendar days from the decision."""
        return calculate([Sentence("-", decided_on, sentence_days)], [], self).dates()


def _fraction(value: Any) -> Fraction:
    if not isinstance(value, str):
        raise ReleaseRulesError('conditional_release_fraction: must be a string such as "2/3"')
    try:
        fraction = Fraction(value)
    except (ValueError, ZeroDivisionError):
        raise ReleaseRulesError('conditional_release_fraction: must be a fraction such as "2/3"') from None
    if not 0 < fraction <= 1:
        raise ReleaseRulesError("conditional_release_fraction: conditional-release fraction must be in (0, 1]")
    return fraction


def _text(name: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ReleaseRulesError(f"{name}: must be a non-empty string")
    return value


def _remand_credit(value: Any) -> bool:
    if not isinstance(value, Mapping):
        raise ReleaseRulesError("remand_credit: must be an object with granted and may_exceed_time_served")
    unknown = sorted(set(value) - REMAND_CREDIT_FIELDS)
    if unknown:
        raise ReleaseRulesError(f"remand_credit: unknown field {', '.join(unknown)}")
    if not isinstance(value.get("granted"), bool):
        raise ReleaseRulesError("remand_credit.granted: must be true or false")
    if value.get("may_exceed_time_served") is not False:
        raise ReleaseRulesError(
            "remand_credit.may_exceed_time_served: must be false (credit never exceeds the time served)"
        )
    return value["granted"]


def _days(name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ReleaseRulesError(f"{name}: must be a whole number of days, at least 1")
    return value


def _checked_object(name: str, value: Any, fields: set[str]) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ReleaseRulesError(f"{name}: must be an object with {', '.join(sorted(fields))}")
    unknown, missing = sorted(set(value) - fields), sorted(fields - set(value))
    if unknown:
        raise ReleaseRulesError(f"{name}: unknown field {', '.join(unknown)}")
    if missing:
        raise ReleaseRulesError(f"{name}: missing field {', '.join(missing)}")
    return value


def _supervision(value: Any) -> dict[str, Any]:
    checked = _checked_object("supervision", value, SUPERVISION_FIELDS)
    return {"first_review_days": _days("supervision.first_review_days", checked["first_review_days"])}


def _follow_up(value: Any) -> dict[str, Any]:
    checked = _checked_object("follow_up", value, FOLLOW_UP_FIELDS)
    months = checked["months"]
    valid = isinstance(months, list) and months and all(type(m) is int and m > 0 for m in months)
    if not valid or months != sorted(set(months)):
        raise ReleaseRulesError("follow_up.months: must be a list of whole months, rising, such as [6, 12, 24]")
    return {
        "follow_up_months": tuple(months),
        "follow_up_window_days": _days("follow_up.window_days", checked["window_days"]),
    }
