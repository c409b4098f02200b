"""Command-line types for report options, parsed and bounded as HTTP and RPC parse them (shared/query_params.py)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date
from typing import TypeVar

from shared.errors import InvalidInput
from shared.query_params import report_date, report_days

T = TypeVar("T")


def date_argument(text: str) -> date:
    """A date option (`--on`, `--from`, `--to`, `--occurred-by`)."""
    return _argument(lambda: report_date("date", text))


def days_argument(text: str) -> int:
    """A count of days, 0 or more (`--days`, `--within`)."""
    return _argument(lambda: report_days("days", text))


def step_argument(text: str) -> int:
    """A step of days, 1 or more (`--every`)."""
    return _argument(lambda: report_days("days", text, least=1))


def _argument(parse: Callable[[], T]) -> T:
    try:
        return parse()
    except InvalidInput as error:
        # argparse names the option itself: only the problem is said.
        raise argparse.ArgumentTypeError("; ".join(p.problem for p in error.problems)) from None
