"""`pathway report occupancy-trend`: occupancy against capacity per facility over time (Mandela 10)."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from typing import Any, TextIO

from services.intake.occupancy_trend import trend_days
from shared.errors import FieldProblem, InvalidInput


def trend_table(rows: list[dict[str, Any]], every: int) -> str:
    """One line per day, one column per facility: occupancy/capacity and the rate (! when overcrowded)."""
    facilities = sorted({row["facility"] for row in rows})
    by_day: dict[str, dict[str, dict[str, Any]]] = {}
    for row in rows:
        by_day.setdefault(row["on"], {})[row["facility"]] = row
    days = list(by_day)
    lines = [f"Occupancy against capacity from {days[0]} to {days[-1]}, every {every} days" if days else "No days"]
    lines.append(f"{'on':<10} " + " ".join(f"{facility[:22]:>22}" for facility in facilities))
    for day, figures in by_day.items():
        cells = [_cell(figures.get(facility)) for facility in facilities]
        lines.append(f"{day:<10} " + " ".join(f"{cell:>22}" for cell in cells))
    return "\n".join(lines) + "\n"


def _cell(row: dict[str, Any] | None) -> str:
    if row is None:
        return "-"
    capacity = "?" if row["capacity"] is None else str(row["capacity"])
    rate = "" if row["occupancy_rate"] is None else f" {row['occupancy_rate']:.0%}"
    return f"{row['occupancy']}/{capacity}{rate}{' !' if (row['occupancy_rate'] or 0) > 1 else ''}"


def cmd_report_occupancy_trend(args: argparse.Namespace, out: TextIO, answer: Callable[..., Any]) -> int:
    """From intake's local store, or the running service with --amqp-uri; `answer` is the CLI's `_answer`."""
    missing = [FieldProblem(f"--{name}", "required (YYYY-MM-DD)") for name in ("from", "to") if not getattr(args, name)]
    if missing:
        raise InvalidInput(missing)
    start, end, every = getattr(args, "from"), args.to, 7 if args.every is None else args.every
    trend_days(start, end, every)  # refused here, before asking a service
    rows = answer(
        args,
        "intake",
        lambda intake: intake.occupancy_trend(start, end, every),
        lambda intake: intake.occupancy_trend(start.isoformat(), end.isoformat(), every),
    )
    out.write(json.dumps(rows, indent=2) + "\n" if args.format == "json" else trend_table(rows, every))
    return 0
