"""`pathway report unexplained-conditions|caseload|compliance|releases-flagged|releases-due`: release's registers."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from typing import Any, TextIO

from services.release.supervision_register import DEFAULT_DAYS_AHEAD
from services.release.supervision_register import RELEASE_REPORTS as QUERIES

SUPERVISION_REPORTS = tuple(QUERIES)


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


TABLES: dict[str, Callable[[list[dict[str, Any]], str], str]] = {
    "unexplained-conditions": unexplained_table,
    "caseload": caseload_table,
    "compliance": compliance_table,
    "releases-flagged": releases_flagged_table,
    "releases-due": releases_due_table,
    "supervision-reviews": supervision_reviews_table,
}


def cmd_report_supervision(args: argparse.Namespace, out: TextIO, answer: Callable[..., Any]) -> int:
    """One of release's supervision reports, from the local store or the running service; `answer` is the
    command line's `_answer`."""
    on = args.on.isoformat()
    days = getattr(args, "days", None)
    ahead = {"days": DEFAULT_DAYS_AHEAD if days is None else days} if args.report == "releases-due" else {}
    rows = answer(
        args,
        "release",
        lambda release: getattr(release, QUERIES[args.report])(args.on, **ahead),
        lambda release: release.supervision_report(args.report, on, *ahead.values()),
    )
    out.write(json.dumps(rows, indent=2) + "\n" if args.format == "json" else TABLES[args.report](rows, on))
    return 0
