"""Tables for programmes' reports: places and completion, a learning record, plan proposals."""

from __future__ import annotations

from typing import Any


def programmes_table(rows: list[dict[str, Any]]) -> str:
    lines = [
        "Programmes now",
        f"{'programme':<24} {'capacity':>8} {'enrolled':>8} {'waiting':>7} {'completed':>9} {'dropped':>7} {'rate':>5}",
    ]
    for row in rows:
        rate = "-" if row["completion_rate"] is None else f"{row['completion_rate']:.0%}"
        lines.append(
            f"{row['programme_id']:<24} {row['capacity']:>8} {row['enrolled']:>8} {row['waiting']:>7} "
            f"{row['completed']:>9} {row['dropped_out']:>7} {rate:>5}"
        )
    return "\n".join(lines) + "\n"


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


def proposals_table(proposals: dict[str, Any]) -> str:
    risk = proposals["risk_of_reoffending"] or "not assessed"
    lines = [
        f"Plan proposals for {proposals['person_id']}",
        f"assessed needs: {', '.join(proposals['assessed_needs']) or 'none recorded'}; risk of reoffending: {risk}",
        f"{'programme':<20} {'kind':<20} {'setting':<9} {'free':>4}  needs met",
    ]
    lines += [
        f"{p['programme_id']:<20} {p['kind']:<20} {p['setting']:<9} {p['free_places']:>4}  {', '.join(p['needs_met'])}"
        for p in proposals["proposed"]
    ] or ["  no open programme meets these needs"]
    lines.append(f"plans drawn up: {', '.join(plan['plan_id'] for plan in proposals['plans']) or 'none'}")
    return "\n".join(lines) + "\n"
