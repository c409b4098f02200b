"""Release dates set by hand: when they still make sense, and when a second override is the same one."""

from __future__ import annotations

from datetime import date
from typing import Any

from services.release.domain.errors import ReleaseDatesOverrideError


def check_dates(dates: dict[str, date]) -> None:
    """Dates set by hand must still make sense: none before the start, eligibility not after the end."""
    start, end = dates["sentence_start"], dates["sentence_end"]
    eligible = dates["conditional_release_eligibility"]
    if end < start:
        raise ReleaseDatesOverrideError(
            f"override refused: sentence_end is before the sentence start {start.isoformat()}"
        )
    if eligible < start:
        raise ReleaseDatesOverrideError(
            f"override refused: conditional_release_eligibility is before the sentence start {start.isoformat()}"
        )
    if eligible > end:
        raise ReleaseDatesOverrideError(
            f"override refused: conditional_release_eligibility is after the sentence end {end.isoformat()}"
        )


def same_override(current: dict[str, Any], new: dict[str, Any]) -> bool:
    """The same dates and reason from another clerk are the same override."""
    fields = ("reason", "sentence_end", "conditional_release_eligibility", "calculated")
    return all(current.get(name) == new[name] for name in fields)
