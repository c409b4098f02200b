"""`pathway reads PERSON`: who read a person's case, when, what and why, from the three services' read logs.

Each service records the reads of its own part of a case (shared/eventstore/read_log.py); this merges the
three logs into one list in the order the reads were recorded. Listing the reads is itself a read of the case:
each service records it (as "reads") once it has answered, so it shows in the next listing, not in this one.
"""

from __future__ import annotations

import argparse
import heapq
import json
from collections.abc import Callable, Iterable
from typing import Any, TextIO
from uuid import UUID

from pathway.replay import parse_person, resolve_in_store
from pathway.services import SERVICES, all_opened
from shared.eventstore.application import PathwayApplication
from shared.eventstore.read_log import case_reads_in, read_recorded
from shared.reader import Reader, command_line_reader


def add_reader_arguments(parser: argparse.ArgumentParser) -> None:
    """The options a command that reads a person's case takes to state who reads it, and why."""
    parser.add_argument(
        "--reader", help="who is reading, as recorded in the read log (default: $PATHWAY_READER, else os:USER)"
    )
    parser.add_argument("--purpose", help="why, as recorded in the read log")
    parser.add_argument("--agency", help="the agency the reader reads for, as recorded in the read log")
    parser.add_argument("--role", help="the reader's role, as recorded in the read log")


def reader_of(args: argparse.Namespace) -> Reader:
    """The reader a command line states (shared/reader.py decides)."""
    return command_line_reader(
        getattr(args, "reader", None),
        getattr(args, "purpose", None),
        getattr(args, "agency", None),
        getattr(args, "role", None),
    )


def merged(logs: Iterable[list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """The services' read logs as one list, by time read, ties broken by service then each log's own order."""
    return list(heapq.merge(*logs, key=lambda r: (r["read_at"], r["service"], r["sequence"])))


def cmd_reads(args: argparse.Namespace, out: TextIO, local: Callable[[str], Any], remote: Callable[[str], Any]) -> int:
    reader = reader_of(args)
    reference = parse_person(args.person)
    if args.amqp_uri:
        with remote(args.amqp_uri) as system:
            person = str(system.resolve(reference))
            logs = [system.service(name).case_reads(person, **reader.as_rpc()) for name in sorted(SERVICES)]
    else:
        with all_opened(local) as apps:
            person_id = resolve_in_store(apps["intake"], reference)
            logs = [_store_log(app, person_id, reader) for app in apps.values()]
    reads = merged(logs)
    out.write(json.dumps(reads, indent=2) + "\n" if args.format == "json" else reads_table(reads))
    return 0


def _store_log(app: PathwayApplication, person_id: UUID, reader: Reader) -> list[dict[str, Any]]:
    """One store's reads of the case, once this listing is recorded there."""
    reads = read_recorded(app, person_id, reader, "reads", "store", lambda: case_reads_in(app, person_id))
    return [read.as_dict() for read in reads]


def reads_table(reads: list[dict[str, Any]]) -> str:
    if not reads:
        return "(no reads recorded)\n"
    lines = [f"{'read at':<32} {'service':<10} {'what':<15} {'how':<5} {'reader':<24} {'agency/role':<20} purpose"]
    for r in reads:
        for_whom = "/".join(part for part in (r["agency"], r["role"]) if part) or "-"
        lines.append(
            f"{r['read_at']:<32} {r['service']:<10} {r['what']:<15} {r['how']:<5} {r['reader']:<24} {for_whom:<20} "
            f"{r['purpose'] or '-'}"
        )
    return "\n".join(lines) + "\n"
