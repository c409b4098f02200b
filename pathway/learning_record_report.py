"""`pathway report learning-record PERSON`: what a person attended and achieved, across transfers."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from typing import Any, TextIO

from pathway.replay import parse_person, resolve_in_store
from shared.errors import FieldProblem, InvalidInput


def cmd_report_learning_record(
    args: argparse.Namespace, out: TextIO, local: Callable[[str], Any], remote: Callable[[str], Any]
) -> int:
    """The person's learning record, from the local programmes store or the running service."""
    if not args.person:
        raise InvalidInput([FieldProblem("PERSON", "give a person id or a national identifier as issuer:value")])
    reference = parse_person(args.person)
    if args.amqp_uri:
        with remote(args.amqp_uri) as system:
            person_id = system.resolve(reference)
            reply = system.service("programmes").learning_record(str(person_id))
            if "record" not in reply:
                from shared.nameko_edge import raise_reply  # nameko: only when talking to the services

                raise_reply(reply)
            record = reply["record"]
    else:
        programmes = local("programmes")
        try:
            record = programmes.learning_record(resolve_in_store(programmes, reference))
        finally:
            programmes.close()
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
    lines.append("Certificates")
    lines += [
        f"  {c['programme_id']:<20} {c['certificate_no']:<16} {c['awarding_body']} ({c['awarded_on']})"
        for c in record["certificates"]
    ] or ["  none"]
    return "\n".join(lines) + "\n"
