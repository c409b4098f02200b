"""`pathway report followups-due`: reintegration follow-ups due or overdue on a date, and those recorded."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from datetime import date
from typing import Any, TextIO

from services.release.followup_register import DEFAULT_WITHIN_DAYS
from shared.errors import FieldProblem, InvalidInput


def followups_table(rows: list[dict[str, Any]], on: str, within: int) -> str:
    counts = {status: sum(1 for row in rows if row["status"] == status) for status in ("overdue", "due", "recorded")}
    lines = [
        f"Follow-ups due by {on} (and in the {within} days after): {counts['overdue']} overdue, {counts['due']} due, "
        f"{counts['recorded']} recorded",
        f"{'person':<36} {'after':<11} {'on':<10} {'months':>6} {'due':<10} {'status':<8} recorded",
    ]
    for r in rows:
        lines.append(
            f"{r['person_id']:<36} {r['anchor']:<11} {r['anchor_on']:<10} {r['months']:>6} {r['due_on']:<10} "
            f"{r['status']:<8} {r['recorded_on'] or '-'}"
        )
    return "\n".join(lines) + "\n"


def cmd_report_followups(args: argparse.Namespace, out: TextIO, answer: Callable[..., Any]) -> int:
    """From release's local store, or the running service with --amqp-uri (`answer`: the command line's
    `_answer`); DATE defaults to today."""
    on = args.on or date.today()
    within = DEFAULT_WITHIN_DAYS if args.within is None else args.within
    if within < 0:
        raise InvalidInput([FieldProblem("--within", "must be a number of days, 0 or more")])
    rows = answer(
        args,
        "release",
        lambda release: release.followups_due(on, within),
        lambda release: release.followups_due(on.isoformat(), within),
    )
    out.write(
        json.dumps(rows, indent=2) + "\n" if args.format == "json" else followups_table(rows, on.isoformat(), within)
    )
    return 0
