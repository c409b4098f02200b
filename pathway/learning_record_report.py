"""`pathway report learning-record PERSON`: what a person attended and achieved, across transfers."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from typing import Any, TextIO

from pathway.person_query import ask_about_person


def cmd_report_learning_record(
    args: argparse.Namespace, out: TextIO, local: Callable[[str], Any], remote: Callable[[str], Any]
) -> int:
    """The person's learning record, from the local programmes store or the running service."""
    record = ask_about_person(args, local, remote, "programmes", "learning_record", "record")
    out.write(json.dumps(record, indent=2) + "\n" if args.format == "json" else learning_record_table(record))
    return 0


def learning_record_table(record: dict[str, Any]) -> str:
    lines = [
        f"Learning record of {record['person_id']}",
        f"{'programme':<20} {'setting':<9} {'enrolled':<10} {'status':<12} {'attended':>8} {'ended':<10} outcome",
    ]
    for p in record["participations"]:
        attended = f"{p['sessions_attended']}/{p['sessions_recorded']}"
        lines.append(
            f"{p['programme_id']:<20} {p['setting']:<9} {p['enrolled_on']:<10} {p['status']:<12} {attended:>8} "
            f"{p['ended_on'] or '-':<10} {p['outcome'] or '-'}"
        )
        lines += [f"  suspended {s['suspended_on']} ({s['reason']}), resumed {s.get('resumed_on', '-')}"
                  for s in p["suspensions"]]  # fmt: skip
        lines += [f"  in cohort {c['cohort_id']} from {c['joined_on']}" for c in p.get("cohorts", [])]
    lines.append("Certificates")
    lines += [
        f"  {c['programme_id']:<20} {c['certificate_no']:<16} {c['awarding_body']} ({c['awarded_on']})"
        for c in record["certificates"]
    ] or ["  none"]
    lines.append("Individual plans")
    lines += [
        f"  {plan['plan_id']:<20} {plan['drawn_up_on']:<10} goals: {plan['goals']}; programmes: "
        f"{', '.join(plan['programme_ids']) or '-'}"
        for plan in record.get("plans", [])
    ] or ["  none"]
    return "\n".join(lines) + "\n"
