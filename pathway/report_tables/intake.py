"""Tables for intake's reports: occupancy, its trend, pre-trial detention, classification reviews."""

from __future__ import annotations

from typing import Any


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


def reviews_table(rows: list[dict[str, Any]], on: str) -> str:
    lines = [
        f"Classification reviews overdue on {on}: {len(rows)}",
        f"{'person':<36} {'level':<8} {'review due':<10} {'days over':>9} review pending",
    ]
    for row in rows:
        lines.append(
            f"{row['person_id']:<36} {row['level']:<8} {row['next_review_due']:<10} {row['days_overdue']:>9} "
            f"{row['review_pending'] or '-'}"
        )
    return "\n".join(lines) + "\n"


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
