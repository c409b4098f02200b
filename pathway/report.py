"""`pathway report`: figures for policy and oversight, from the stores or the running services."""

from __future__ import annotations

import json
from typing import Any


def occupancy_json(rows: list[dict[str, Any]]) -> str:
    return json.dumps(rows, indent=2) + "\n"


def _rate(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def occupancy_table(rows: list[dict[str, Any]], on: str) -> str:
    lines = [
        f"Occupancy on {on}",
        f"{'facility':<24} {'capacity':>8} {'occupancy':>9} {'rate':>6} {'pre-trial':>9} {'share':>6} {'avg days':>8}",
    ]
    for row in rows:
        capacity = "unknown" if row["capacity"] is None else str(row["capacity"])
        average = row.get("average_pretrial_days")
        lines.append(
            f"{row['facility']:<24} {capacity:>8} {row['occupancy']:>9} {_rate(row['occupancy_rate']):>6} "
            f"{row['pretrial']:>9} {_rate(row['pretrial_share']):>6} "
            f"{'-' if average is None else f'{average:.0f}':>8}"
        )
    overcrowded = [row["facility"] for row in rows if (row["occupancy_rate"] or 0) > 1]
    if overcrowded:
        lines.append(f"overcrowded: {', '.join(overcrowded)}")
    return "\n".join(lines) + "\n"


def pretrial_table(alerts: list[dict[str, Any]], on: Any) -> str:
    if not alerts:
        return f"Pre-trial detention on {on}: no one past the time limit or overdue for review\n"
    lines = [f"Pre-trial detention on {on}: past the legal time limit or overdue for review"]
    lines.append(f"{'person':<37} {'facility':<16} {'held since':<11} {'days':>5}  {'limit':<11} {'review due':<11}")
    for a in alerts:
        limit = (a["time_limit_on"] or "-") + (" !" if a["past_time_limit"] else "")
        due = (a["next_review_due"] or "-") + (" !" if a["review_overdue"] else "")
        lines.append(
            f"{a['person_id']:<37} {a['facility']:<16} {a['held_since']:<11} {a['days_held']:>5}  {limit:<11} {due:<11}"
        )
    return "\n".join(lines) + "\n"
