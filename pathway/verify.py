"""`pathway verify`: has any store been altered since it was sealed? The auditors' check.

Each relay seals its store's notification log as it publishes (shared/eventstore/seals.py).
This recomputes every chain, from the embedded stores directly or by asking each running
service (`verify_store` over RPC), and compares it with every seal. Whoever can rewrite a
table can recompute its seals too, so an auditor keeps the printed heads (SERVICE:ID:HEX)
where the stores' operators cannot write, and passes them back with --expect.

Only ids, counts and hashes are printed: never an event's contents.
"""

from __future__ import annotations

import argparse
import json
import string
from collections.abc import Callable, Sequence
from typing import Any, TextIO

from pathway.services import SERVICES
from shared.eventstore.seals import Seal, VerifyReport
from shared.messaging.relay import verify_seals

EXPECT_FORMAT = "SERVICE:ID:HEX"


class ExpectedHeadSyntaxError(ValueError):
    """An --expect value that is not SERVICE:ID:HEX."""


def parse_expected(texts: Sequence[str]) -> dict[str, list[Seal]]:
    """The heads an auditor kept, per service."""
    kept: dict[str, list[Seal]] = {}
    for text in texts:
        service, _, rest = text.partition(":")
        number, _, chain = rest.partition(":")
        problem = None
        if service not in SERVICES:
            problem = f"unknown service {service!r} (known: {', '.join(sorted(SERVICES))})"
        elif not number.isdigit() or int(number) < 1:
            problem = "ID must be a notification id (a positive whole number)"
        elif len(chain) != 64 or not set(chain.lower()) <= set(string.hexdigits.lower()):
            problem = "HEX must be the 64 hexadecimal digits of a chain head"
        if problem:
            raise ExpectedHeadSyntaxError(f"--expect: {text!r} is not {EXPECT_FORMAT}: {problem}")
        kept.setdefault(service, []).append(Seal(int(number), chain.lower()))
    return kept


def verify_local(build: Callable[[str], Any], kept: dict[str, list[Seal]]) -> list[VerifyReport]:
    """Each embedded store checked directly (the auditor's read-only path)."""
    reports = []
    for name in SERVICES:
        app = build(name)
        try:
            reports.append(verify_seals(app, kept.get(name, [])))
        finally:
            app.close()
    return reports


def verify_remote(system: Any, kept: dict[str, list[Seal]]) -> list[VerifyReport]:
    """Each running service asked to check its own store, the three at once."""
    pending = {
        name: system.service(name).verify_store.call_async([[s.up_to, s.chain] for s in kept.get(name, [])])
        for name in SERVICES
    }
    return [VerifyReport.from_dict(reply.result()) for reply in pending.values()]


def as_json(reports: Sequence[VerifyReport]) -> str:
    return json.dumps([report.as_dict() for report in reports], indent=2, sort_keys=True) + "\n"


def as_table(reports: Sequence[VerifyReport]) -> str:
    lines = []
    for report in reports:
        if report.altered is not None:
            lines.append(f"{report.service:<11} ALTERED  {altered_message(report)}")
            continue
        checked = f"{report.events_checked} events, {report.seals_checked} seals"
        if report.expectations_checked:
            kept = report.expectations_checked
            checked += f", {kept} kept head{'' if kept == 1 else 's'}"
        unsealed = f"; {report.not_yet_sealed} recorded after the last seal (not yet sealed)"
        lines.append(f"{report.service:<11} intact   {checked} checked{unsealed if report.not_yet_sealed else ''}")
        if report.head is not None and report.head.up_to > 0:  # an empty store has no head to keep
            lines.append(f"{'':<11} head     {report.service}:{report.head.up_to}:{report.head.chain}")
    return "\n".join(lines) + "\n"


def altered_message(report: VerifyReport) -> str:
    assert report.altered is not None
    altered = report.altered
    return f"notifications {altered.first} to {altered.last}: {altered.reason}"


def cmd_verify(
    args: argparse.Namespace, out: TextIO, err: TextIO, local: Callable[[str], Any], remote: Callable[[str], Any]
) -> int:
    """0 when every store verifies, 1 when any was altered, 2 when --expect cannot be read."""
    try:
        kept = parse_expected(args.expect or [])
    except ExpectedHeadSyntaxError as error:
        print(f"pathway verify: {error}", file=err)
        return 2
    if args.amqp_uri:
        with remote(args.amqp_uri) as system:
            reports = verify_remote(system, kept)
    else:
        reports = verify_local(local, kept)
    out.write(as_json(reports) if args.format == "json" else as_table(reports))
    for report in reports:
        if report.altered is not None:
            print(f"pathway verify: {report.service} was altered: {altered_message(report)}", file=err)
    return 0 if all(report.intact for report in reports) else 1
