"""Command-line date options, parsed and bounded as HTTP and RPC parse them (shared/query_params.py)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date
from typing import TypeVar

from shared.errors import InvalidInput
from shared.query_params import report_date

T = TypeVar("T")


def date_argument(text: str) -> date:
    """A date option (`--on`, `--from`, `--to`, `--occurred-by`)."""
    return _argument(lambda: report_date("date", text))


def _argument(parse: Callable[[], T]) -> T:
    try:
        return parse()
    except InvalidInput as error:
        # argparse names the option itself: only the problem is said.
        raise argparse.ArgumentTypeError("; ".join(p.problem for p in error.problems)) from None
