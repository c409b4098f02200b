"""Tables for release's reports: supervision registers, releases, reoffending, follow-ups."""

from __future__ import annotations

from typing import Any


def _rate(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def unexplained_table(rows: list[dict[str, Any]], on: str) -> str:
    lines = [
        f"Supervisions whose conditions were not explained in time, on {on}: {len(rows)}",
        f"{'person':<36} {'type':<22} {'started':<10} {'explain by':<10} {'days late':>9} officer",
    ]
    for r in rows:
        lines.append(
            f"{r['person_id']:<36} {r['supervision_type']:<22} {r['started_on']:<10} {r['explain_by']:<10} "
            f"{r['days_late']:>9} {r['officer_id'] or '-'}"
        )
    return "\n".join(lines) + "\n"


def caseload_table(rows: list[dict[str, Any]], on: str) -> str:
    lines = [f"Caseload per officer on {on}", f"{'officer':<24} {'people':>6}"]
    lines += [f"{row['officer_id'] or '(unassigned)':<24} {row['people']:>6}" for row in rows]
    return "\n".join(lines) + "\n"


def compliance_table(rows: list[dict[str, Any]], on: str) -> str:
    lines = [
        f"Compliance per person on {on}",
        f"{'person':<36} {'contacts':>8} {'complied':>8} {'accept.':>7} {'unaccept.':>9} {'rate':>5} "
        f"{'violations':>10}",
    ]
    for r in rows:
        lines.append(
            f"{r['person_id']:<36} {r['contacts']:>8} {r['complied']:>8} {r['acceptable_absence']:>7} "
            f"{r['unacceptable_absence']:>9} {_rate(r['compliance_rate']):>5} {r['violations']:>10}"
        )
    return "\n".join(lines) + "\n"


def releases_flagged_table(rows: list[dict[str, Any]], on: str) -> str:
    lines = [
        f"Releases up to {on} without an approved plan, accommodation or ID: {len(rows)}",
        f"{'person':<36} {'released':<10} {'type':<20} missing",
    ]
    for r in rows:
        lines.append(f"{r['person_id']:<36} {r['released_on']:<10} {r['release_type']:<20} {', '.join(r['missing'])}")
    return "\n".join(lines) + "\n"


def releases_due_table(rows: list[dict[str, Any]], on: str) -> str:
    lines = [
        f"Releases due after {on} without accommodation or ID: {len(rows)}",
        f"{'person':<36} {'due':<10} {'sentence end':<12} missing",
    ]
    for r in rows:
        lines.append(
            f"{r['person_id']:<36} {r['release_due_on']:<10} {r['sentence_end']:<12} {', '.join(r['missing'])}"
        )
    return "\n".join(lines) + "\n"


def supervision_reviews_table(rows: list[dict[str, Any]], on: str) -> str:
    lines = [
        f"Supervision level reviews overdue on {on}: {len(rows)}",
        f"{'person':<36} {'type':<22} {'level':<9} {'due':<10} {'days over':>9} officer",
    ]
    for r in rows:
        lines.append(
            f"{r['person_id']:<36} {r['supervision_type']:<22} {r['level'] or '-':<9} {r['review_due_on']:<10} "
            f"{r['days_overdue']:>9} {r['officer_id'] or '-'}"
        )
    return "\n".join(lines) + "\n"


def reoffending_table(result: dict[str, dict[str, dict[str, Any]]], on: str) -> str:
    lines = [f"Reoffending, windows ended on or before {on}", f"{'window':<8} {'group':<22} {'people':>6} "
             f"{'reoffended':>10} {'rate':>6}"]  # fmt: skip
    for window, groups in result.items():
        for group, g in groups.items():
            rate = "-" if g["rate"] is None else f"{g['rate']:.0%}"
            lines.append(f"{window + ' mo':<8} {group:<22} {g['people']:>6} {g['reoffended']:>10} {rate:>6}")
    return "\n".join(lines) + "\n"


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
