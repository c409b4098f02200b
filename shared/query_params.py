"""Report parameters (`on`, `from`, `to`, `days`, `within`, `every`) as they arrive, as text: parsed, and bounded
like the commands' values (shared/contracts/bounds.py), so that an absurd one is refused by name (422), never a
failure inside the report (500). HTTP, RPC and the command line all parse them here.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic_core import PydanticCustomError

from shared.contracts.bounds import MAX_TERM_DAYS, check_business_date
from shared.errors import FieldProblem, InvalidInput


def report_date(name: str, value: Any) -> date:
    """A report's date parameter (`on`, `from`, `to`), parsed and bounded like a business date."""
    try:
        day = date.fromisoformat(value)
    except (TypeError, ValueError):
        raise InvalidInput([FieldProblem(name, "must be a date (YYYY-MM-DD)")]) from None
    try:
        return check_business_date(day)
    except PydanticCustomError as error:
        raise InvalidInput([FieldProblem(name, error.message())]) from None


def report_days(name: str, value: Any, least: int = 0) -> int:
    """A report's count of days (`days`, `within`, `every`): a whole number from `least` to MAX_TERM_DAYS."""
    text = str(value).strip()
    if isinstance(value, bool) or not text.isascii() or not text.isdigit():
        raise InvalidInput([FieldProblem(name, f"must be a whole number of days, {least} or more")])
    significant = text.lstrip("0") or "0"
    # Compared by length first: int() of a long enough string of digits is itself refused, or slow.
    if len(significant) > len(str(MAX_TERM_DAYS)) or int(significant) > MAX_TERM_DAYS:
        raise InvalidInput([FieldProblem(name, f"must be at most {MAX_TERM_DAYS} days")])
    days = int(significant)
    if days < least:
        raise InvalidInput([FieldProblem(name, f"must be a whole number of days, {least} or more")])
    return days
