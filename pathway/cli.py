"""The `pathway` command line: demo, import, replay, reports, and for auditors and operators reads, verify, feed,
status and dead letters; and the distributed mode's processes."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
import warnings
from collections.abc import Callable
from contextvars import ContextVar
from datetime import date, datetime
from pathlib import Path
from typing import Any, TextIO

from pathway.broker_setup import add_broker_arguments, cmd_broker
from pathway.database_setup import add_database_arguments, cmd_database
from pathway.dead_letters import add_dead_letter_arguments, cmd_dead_letters
from pathway.demo import run_demo
from pathway.embedded import EmbeddedSystem, acting_as_line, local_principal
from pathway.feed import add_feed_arguments, cmd_feed
from pathway.importer import ImportReport, run_import
from pathway.reads import add_reader_arguments, cmd_reads, reader_of
from pathway.replay import StoreSource, as_json, as_table, parse_person, resolve_in_store, timeline
from pathway.report import add_report_commands, cmd_report
from pathway.report_arguments import date_argument
from pathway.roles import cmd_roles
from pathway.services import SERVICES, all_opened
from pathway.status import distributed_statuses, embedded_statuses, status_json, status_table
from pathway.verify import EXPECT_FORMAT, cmd_verify
from shared.auth.client import TokenSource, token_source
from shared.errors import PathwayError
from shared.eventstore.settings import sqlite_env

DEFAULT_DATA = os.environ.get("PATHWAY_DATA", "data")
DATA_HELP = "the embedded stores' folder (default: ./data or $PATHWAY_DATA; wins over $AMQP_URI)"


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
    load.add_argument("--data", type=Path, help=DATA_HELP)
    load.add_argument(
        "--timeout", type=float, default=30.0, help="with --amqp-uri: seconds to wait for each answer (default 30)"
    )
    load.add_argument(
        "--settle-timeout",
        type=float,
        default=120.0,
        help="with --amqp-uri: seconds to wait for the reactions a line depends on (default 120); a relay or "
        "consumer missing for that long (at most 30s) stops the load, named",
    )
    _amqp_option(load)

    replay = commands.add_parser("replay", help="a person's events from all three services in one timeline")
    replay.add_argument("person", help="person id, or national identifier as issuer:value")
    replay.add_argument("--data", type=Path, help=DATA_HELP)
    replay.add_argument("--as-of", type=_aware_datetime, help="only what was recorded at or before this ISO 8601 time")
    replay.add_argument("--occurred-by", type=_date, help="only what happened on or before this day (YYYY-MM-DD)")
    replay.add_argument("--format", choices=["table", "json"], default="table")
    add_reader_arguments(replay)
    _amqp_option(replay)

    reads = commands.add_parser("reads", help="who read a person's case, when, what and why (the read log)")
    reads.add_argument("person", help="person id, or national identifier as issuer:value")
    reads.add_argument("--data", type=Path, help=DATA_HELP)
    reads.add_argument("--format", choices=["table", "json"], default="table")
    add_reader_arguments(reads)
    _amqp_option(reads)

    feed = commands.add_parser("feed", help="a service's public events as JSON lines, for agencies catching up")
    add_feed_arguments(feed)
    feed.add_argument("--data", type=Path, help=DATA_HELP)
    _amqp_option(feed)

    dead = commands.add_parser(
        "dead-letters", help="inspect, replay or (for good, with a reason) discard messages set aside by a service"
    )
    add_dead_letter_arguments(dead)
    dead.add_argument("--data", type=Path, help=DATA_HELP)
    _amqp_option(dead)

    add_report_commands(commands, DATA_HELP, _amqp_option)
    add_broker_arguments(commands)
    add_database_arguments(commands)

    roles = commands.add_parser("roles", help="who may do what: every command and query against every role")
    roles.add_argument("--format", choices=["table", "json"], default="table")

    status = commands.add_parser("status", help="how far each service has got: backlogs and dead letters")
    status.add_argument("--data", type=Path, help=DATA_HELP)
    status.add_argument("--format", choices=["table", "json"], default="table")
    status.add_argument(
        "--timeout", type=float, default=5.0, help="seconds to wait for each service's answer (default 5)"
    )
    _amqp_option(status)

    verify = commands.add_parser("verify", help="check every store against its seals: altered since it was sealed?")
    verify.add_argument("--data", type=Path, help=DATA_HELP)
    verify.add_argument("--format", choices=["table", "json"], default="table")
    verify.add_argument(
        "--expect",
        action="append",
        metavar=EXPECT_FORMAT,
        help="a chain head kept from an earlier run (as printed); it must still match (repeatable)",
    )
    verify.add_argument(
        "--timeout",
        type=float,
        default=600.0,
        help="with --amqp-uri: seconds to wait for each service to check its whole store (default 600)",
    )
    _amqp_option(verify)

    for name, text in [
        ("serve", "run a service's nameko process (RPC and HTTP) on PostgreSQL and RabbitMQ"),
        ("relay", "run a service's relay: its store's new events, published to RabbitMQ"),
        ("consume", "run a service's tracked consumer: other services' events, applied to its store"),
        ("inbox", "run a service's command inbox: agencies' commands from RabbitMQ, applied in order"),
    ]:
        process = commands.add_parser(name, help=text)
        process.add_argument("service", choices=sorted(SERVICES))
    return parser


def _amqp_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--amqp-uri",
        help="talk to the running services over RabbitMQ (default: $AMQP_URI, unless --data is given)",
    )
    parser.add_argument(
        "--token",
        help="with --amqp-uri: the bearer token to call the services with (default: one asked of the identity "
        "provider by the client-credentials grant when $PATHWAY_CLIENT_ID is set; see shared/auth/client.py)",
    )


def _one_data_source(args: argparse.Namespace) -> str | None:
    """Settle where a command reads: an explicit --data wins over $AMQP_URI; naming both is refused (the
    problem is returned). An exported AMQP_URI must not silently turn a command about a folder into one
    about the running services."""
    if not hasattr(args, "amqp_uri"):
        return None
    if args.data is not None and args.amqp_uri is not None:
        return "give --data DIR or --amqp-uri URI, not both (one data source at a time)"
    if args.data is None and args.amqp_uri is None:
        args.amqp_uri = os.environ.get("AMQP_URI") or None
    if args.data is None:
        args.data = Path(DEFAULT_DATA)
    return None


def _date(text: str) -> date:
    return date_argument(text)


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
    """Exit 0 when every line applied or was already applied, 1 when a line failed, was held back or may not
    have applied, 2 for a usage error, 3 when the load stopped early (a service, the broker or the reactions
    it waits for did not answer). The summary is printed however it ends."""
    try:
        handle = args.file.open("rb")  # decoded line by line: one bad byte spoils one line only
    except OSError as error:
        print(f"pathway import: {args.file}: {error.strerror}", file=err)
        return 2
    name = str(args.file)

    def progress(report: ImportReport) -> None:
        print(
            f"{name}: {report.lines} lines so far ({report.applied} applied, {report.skipped} skipped, "
            f"{report.failed} failed)",
            file=err,
        )

    with handle:
        try:
            system: Any = (
                _remote(args.amqp_uri, timeout=args.timeout, settle_timeout=args.settle_timeout)
                if args.amqp_uri
                else EmbeddedSystem(args.data)
            )
        except PathwayError as unreachable:
            report = ImportReport(stopped_at=0, stopped_because=unreachable.reason)
            print(f"{name}: {unreachable.reason}; stopped before the first line", file=err)
        else:
            with system:
                report = run_import(system, handle, name, errors=err, progress=progress)
            if not args.amqp_uri:
                print(acting_as_line(local_principal()), file=out)
    print(report.summary(name), file=out)
    if report.stopped:
        return 3
    return 0 if report.ok else 1


def cmd_replay(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    reference = parse_person(args.person)
    if args.amqp_uri:
        from pathway.remote import RemoteSource

        with _remote(args.amqp_uri) as remote:
            person_id = remote.resolve(reference)
            remote_sources = [RemoteSource(remote, name, reader_of(args)) for name in SERVICES]
            entries = timeline(remote_sources, person_id, args.as_of, args.occurred_by)
    else:
        with all_opened(lambda name: _local(args, name)) as apps:
            person_id = resolve_in_store(apps["intake"], reference)
            sources = [StoreSource(app, SERVICES[name].translate, reader_of(args)) for name, app in apps.items()]
            entries = timeline(sources, person_id, args.as_of, args.occurred_by)
    out.write(as_json(entries) if args.format == "json" else as_table(entries))
    return 0


def cmd_status(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Backlogs and dead letters per service; exit 1 when a service does not answer or a part of it is missing."""
    rejected = None
    if args.amqp_uri:
        with _remote(args.amqp_uri, timeout=args.timeout) as remote:
            statuses, rejected = distributed_statuses(remote, args.amqp_uri)
    else:
        with EmbeddedSystem(_existing_data(args.data)) as system:
            statuses = embedded_statuses(system)
    out.write(status_json(statuses, rejected) if args.format == "json" else status_table(statuses, rejected))
    return 0 if all(status.healthy for status in statuses) else 1


def _answer(args: argparse.Namespace, service: str, local: Callable[[Any], Any], remote: Callable[[Any], Any]) -> Any:
    """One answer from a service: over RPC with --amqp-uri, else from its local store, closed after."""
    if args.amqp_uri:
        with _remote(args.amqp_uri) as system:
            return remote(system.service(service))
    app = _local(args, service)
    try:
        return local(app)
    finally:
        app.close()


def _local(args: argparse.Namespace, service: str) -> Any:
    return SERVICES[service].build(sqlite_env(service, _existing_data(args.data)))


# Who this command line calls the running services as, decided once per run from --token or the environment.
_CALLER: ContextVar[TokenSource | None] = ContextVar("pathway_caller", default=None)


def _remote(amqp_uri: str, timeout: float = 30.0, settle_timeout: float = 120.0) -> Any:
    # Imported here: nameko brings eventlet, which the embedded mode does without.
    # Its deprecation warnings say nothing an operator can act on, nor do those of the DNS library it loads
    # (about DSA keys we never use).
    warnings.filterwarnings("ignore", message="(?s).*Eventlet is deprecated")
    warnings.filterwarnings("ignore", message="(?s).*DSA is deprecated")
    from pathway.remote import RemoteSystem

    return RemoteSystem(amqp_uri, timeout=timeout, settle_timeout=settle_timeout, token=_CALLER.get())


def cmd_process(args: argparse.Namespace) -> int:
    """Run one of a service's distributed-mode processes until SIGTERM or SIGINT."""
    if args.command == "serve":
        # nameko needs eventlet to patch the standard library first: a fresh interpreter.
        os.execv(sys.executable, [sys.executable, "-m", "pathway.serve", args.service])  # noqa: S606
    from pathway.processes import run_consumer, run_inbox, run_relay, stop_on_signals

    logging.getLogger().setLevel(os.environ.get("PATHWAY_LOG_LEVEL", "INFO"))
    stop = stop_on_signals()
    run = {"relay": run_relay, "consume": run_consumer, "inbox": run_inbox}[args.command]
    run(args.service, stop)
    return 0


def main(argv: list[str] | None = None, out: TextIO = sys.stdout, err: TextIO = sys.stderr) -> int:
    logging.basicConfig(
        level=os.environ.get("PATHWAY_LOG_LEVEL", "WARNING"), stream=err, format="%(levelname)s %(name)s: %(message)s"
    )
    args = _parser().parse_args(argv)
    both = _one_data_source(args)
    if both is not None:
        print(f"pathway {args.command}: {both}", file=err)
        return 2
    calling_as = None
    try:
        if getattr(args, "amqp_uri", None):
            calling_as = _CALLER.set(token_source(os.environ, getattr(args, "token", None)))
        if args.command == "demo":
            if args.data is not None:
                return run_demo(args.data, out, err, args.size)
            with tempfile.TemporaryDirectory(prefix="pathway-demo-") as tmp:
                return run_demo(Path(tmp), out, err, args.size)
        if args.command == "import":
            return cmd_import(args, out, err)
        if args.command == "replay":
            return cmd_replay(args, out, err)
        if args.command == "reads":
            return cmd_reads(args, out, lambda name: _local(args, name), _remote)
        if args.command == "feed":
            return cmd_feed(args, out, err, _answer)
        if args.command == "dead-letters":
            return cmd_dead_letters(args, out, lambda: EmbeddedSystem(_existing_data(args.data)), _remote)
        if args.command == "report":
            return cmd_report(args, out, err, lambda name: _local(args, name), _remote)
        if args.command == "roles":
            return cmd_roles(args.format, out)
        if args.command == "broker":
            return cmd_broker(args, out, err)
        if args.command == "database":
            return cmd_database(args, out, err)
        if args.command == "status":
            return cmd_status(args, out, err)
        if args.command == "verify":
            return cmd_verify(
                args, out, err, lambda name: _local(args, name), lambda uri: _remote(uri, timeout=args.timeout)
            )
        return cmd_process(args)
    except PathwayError as error:
        print(f"pathway {args.command}: {error.reason}", file=err)
        return 1
    except KeyboardInterrupt:
        return 130
    finally:
        if calling_as is not None:
            _CALLER.reset(calling_as)


if __name__ == "__main__":
    sys.exit(main())
