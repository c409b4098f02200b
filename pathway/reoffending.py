"""`pathway report reoffending`: reoffending within 12 and 24 months, split by programme completion and pathway.

Release computes it from what it has learned (services/release/reoffending_register.py gives the
rules), so the report comes from release's local store, or from the running service with
--amqp-uri, like release's other reports.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from datetime import date
from typing import Any, TextIO


def reoffending_table(result: dict[str, dict[str, dict[str, Any]]], on: str) -> str:
    lines = [f"Reoffending, windows ended on or before {on}", f"{'window':<8} {'group':<22} {'people':>6} "
             f"{'reoffended':>10} {'rate':>6}"]  # fmt: skip
    for window, groups in result.items():
        for group, g in groups.items():
            rate = "-" if g["rate"] is None else f"{g['rate']:.0%}"
            lines.append(f"{window + ' mo':<8} {group:<22} {g['people']:>6} {g['reoffended']:>10} {rate:>6}")
    return "\n".join(lines) + "\n"


def cmd_report_reoffending(args: argparse.Namespace, out: TextIO, answer: Callable[..., Any]) -> int:
    """From release's local store, or the running service with --amqp-uri (`answer`: the command line's
    `_answer`); DATE defaults to today."""
    on = args.on or date.today()
    result = answer(
        args, "release", lambda release: release.reoffending(on), lambda release: release.reoffending(on.isoformat())
    )
    out.write(
        json.dumps(result, indent=2) + "\n" if args.format == "json" else reoffending_table(result, on.isoformat())
    )
    return 0
