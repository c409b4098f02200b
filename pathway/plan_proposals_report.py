"""`pathway report plan-proposals PERSON`: for drawing up an individual plan (Mandela 94), the open programmes
meeting the person's assessed needs that they are eligible for, and the plans already drawn up.

For the staff drawing up the plan: it shows the assessed needs, which are sensitive and never published.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from typing import Any, TextIO

from pathway.person_query import ask_about_person


def cmd_report_plan_proposals(
    args: argparse.Namespace, out: TextIO, local: Callable[[str], Any], remote: Callable[[str], Any]
) -> int:
    proposals = ask_about_person(args, local, remote, "programmes", "plan_proposals", "proposals")
    out.write(json.dumps(proposals, indent=2) + "\n" if args.format == "json" else proposals_table(proposals))
    return 0


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
