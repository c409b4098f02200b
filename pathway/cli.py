"""The `pathway` command line: demo, import, replay, dead letters."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import tempfile
from datetime import datetime
from pathlib import Path
from typing import TextIO

from pathway.demo import run_demo
from pathway.embedded import EmbeddedSystem
from pathway.importer import ImportReport, run_import
from pathway.replay import StoreSource, as_json, as_table, parse_person, resolve_in_store, timeline
from pathway.services import SERVICES
from shared.errors import PathwayError

DEFAULT_DATA = os.environ.get("PATHWAY_DATA", "data")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pathway", description="Track and replay pathways through the justice system."
    )
    commands = parser.add_subparsers(dest="command", required=True)

    demo = commands.add_parser("demo", help="run the three services in one process on a synthetic cohort")
    demo.add_argument("--data", type=Path, help="keep the stores in this folder (default: a temporary folder)")
    demo.add_argument("--size", type=int, default=50, help="people in the cohort (default 50)")

    load = commands.add_parser("import", help="apply a JSON-lines file of commands, one per line")
    load.add_argument("file", type=Path)
    load.add_argument("--data", type=Path, default=Path(DEFAULT_DATA), help="stores folder (default: ./data)")

    replay = commands.add_parser("replay", help="a person's events from all three services in one timeline")
    replay.add_argument("person", help="person id, or national identifier as issuer:value")
    replay.add_argument("--data", type=Path, default=Path(DEFAULT_DATA))
    replay.add_argument("--as-of", type=_aware_datetime, help="only what was recorded at or before this ISO 8601 time")
    replay.add_argument("--format", choices=["table", "json"], default="table")

    dead = commands.add_parser("dead-letters", help="inspect or replay messages set aside by a service")
    dead.add_argument("action", choices=["list", "replay"])
    dead.add_argument("service", choices=sorted(SERVICES))
    dead.add_argument("--data", type=Path, default=Path(DEFAULT_DATA))
    return parser


def _aware_datetime(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError("must be an ISO 8601 time, e.g. 2026-03-01T12:00:00+00:00") from None
    if moment.tzinfo is None:
        raise argparse.ArgumentTypeError("must include a UTC offset, e.g. +00:00")
    return moment


def _existing_data(path: Path) -> Path:
    if not (path / "intake.sqlite").exists():
        raise PathwayError(f"--data: no stores in {path} (run pathway import or pathway demo --data first)")
    return path


def cmd_import(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    try:
        handle = args.file.open(encoding="utf-8")
    except OSError as error:
        print(f"pathway import: {args.file}: {error.strerror}", file=err)
        return 2

    def progress(report: ImportReport) -> None:
        print(
            f"{args.file}: {report.lines} lines so far ({report.applied} applied, {report.skipped} skipped, "
            f"{report.failed} failed)",
            file=err,
        )

    with handle, EmbeddedSystem(args.data) as system:
        report = run_import(system, handle, str(args.file), errors=err, progress=progress)
    print(report.summary(str(args.file)), file=out)
    return 0 if report.ok else 1


def cmd_replay(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    reference = parse_person(args.person)
    data = _existing_data(args.data)
    apps = {name: parts.build(_store_env(name, data)) for name, parts in SERVICES.items()}
    try:
        person_id = resolve_in_store(apps["intake"], reference)
        sources = [StoreSource(app, SERVICES[name].translate) for name, app in apps.items()]
        entries = timeline(sources, person_id, args.as_of)
    finally:
        for app in apps.values():
            app.close()
    out.write(as_json(entries) if args.format == "json" else as_table(entries))
    return 0


def cmd_dead_letters(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    with EmbeddedSystem(_existing_data(args.data)) as system:
        consumer = system.consumers[args.service]
        if args.action == "list":
            letters = consumer.dead_letters()
            out.write(json.dumps([letter.as_dict() for letter in letters], indent=2) + "\n")
            return 0
        report = consumer.replay_dead_letters()
        system.settle(everything=True)
        print(f"{args.service}: {report.applied} dead letters applied, {report.still_failing} still failing", file=out)
        return 0 if report.still_failing == 0 else 1


def _store_env(service: str, data: Path) -> dict[str, str]:
    from shared.eventstore.settings import sqlite_env

    return sqlite_env(service, data)


def main(argv: list[str] | None = None, out: TextIO = sys.stdout, err: TextIO = sys.stderr) -> int:
    logging.basicConfig(
        level=os.environ.get("PATHWAY_LOG_LEVEL", "WARNING"), stream=err, format="%(levelname)s %(name)s: %(message)s"
    )
    args = _parser().parse_args(argv)
    try:
        if args.command == "demo":
            if args.data is not None:
                return run_demo(args.data, out, err, args.size)
            with tempfile.TemporaryDirectory(prefix="pathway-demo-") as tmp:
                return run_demo(Path(tmp), out, err, args.size)
        if args.command == "import":
            return cmd_import(args, out, err)
        if args.command == "replay":
            return cmd_replay(args, out, err)
        return cmd_dead_letters(args, out, err)
    except PathwayError as error:
        print(f"pathway {args.command}: {error.reason}", file=err)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
