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
}
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
        missing = sorted(RULES_FIELDS - {"description"} - set(data))
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
