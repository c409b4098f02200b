"""Benchmark: one command on a person with a long history against the same command on a person with a short one.

On PostgreSQL, in throwaway databases: the three services embedded, people registered, sentenced, admitted
and enrolled on a programme. One person's learning record (programmes' aggregate for them) is then given
`events` events (2,000 by default) by recording attendances; ten others' are given 20 each. The command
measured records one more attendance: it loads the learning record, the programme and the person's
identifiers, and saves one event. It runs on the long record and on a short one in turn, so that the
shared machine's load falls on both alike, three ways:

- with snapshots as deployed (one every SNAPSHOT_INTERVAL events, their taking counted as it comes);
- the same, with no restored snapshot kept in memory: as in a process that has not loaded this person
  lately, which reads the latest snapshot from the store;
- with snapshots off: every event folded, as every command was before them (the reference).

The ratio to read is long / short with snapshots (the target: at most 2). Figures only.

    .venv/bin/python -m tests.benchmarks.command_history [events]
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from uuid import UUID

from pathway.embedded import EmbeddedSystem
from pathway.services import SERVICES
from shared.eventstore.application import PathwayApplication
from shared.eventstore.recent_snapshots import RecentSnapshots
from shared.eventstore.settings import SNAPSHOT_INTERVAL
from shared.eventstore.snapshots import snapshot_interval
from tests import examples as ex
from tests.stores import PostgresStores

SHORT = 20
SHORT_PEOPLE = 10  # the short records share the measured commands, so that each stays near SHORT events
MEASURED = 100  # commands on each side: two snapshot intervals, so taking snapshots is counted as it comes
FIRST_SESSION = date(2025, 2, 8)


class Person:
    """One person with a learning record, and the next session they attend."""

    def __init__(self, system: EmbeddedSystem, value: str) -> None:
        self.value = value
        self.sessions = 0
        for line in (ex.register_person(value), ex.custodial_sentence(value, sentence_days=20000), ex.admit(value)):
            system.execute(line["service"], line["command"], line["data"])
        system.settle()  # programmes knows them from intake's events
        enrolled = system.execute("programmes", "enrol", ex.enrol(value)["data"])
        self.id = UUID(enrolled.result["person_id"])

    def attend(self, app: PathwayApplication) -> None:
        session_on = FIRST_SESSION + timedelta(days=self.sessions)
        self.sessions += 1
        app.handle("record_attendance", ex.attend(self.value, session_on.isoformat())["data"])

    def grow(self, app: PathwayApplication, events: int) -> None:
        for _ in range(events - app.get_or_none(self.id).version):  # each attendance is one event
            self.attend(app)


def timed(person: Person, app: PathwayApplication) -> float:
    started = time.perf_counter()
    person.attend(app)
    return time.perf_counter() - started


def report(title: str, app: PathwayApplication, long: Person, short: list[Person]) -> None:
    """MEASURED commands on the long record and as many on the short ones, in turn."""
    before = app.get_or_none(long.id).version, min(app.get_or_none(p.id).version for p in short)
    on_long, on_short = [], []
    for n in range(MEASURED):
        on_long.append(timed(long, app))
        on_short.append(timed(short[n % len(short)], app))
    after = app.get_or_none(long.id).version, max(app.get_or_none(p.id).version for p in short)
    print(f"  {title}")
    print(_figures("long record", on_long, f"{before[0]}-{after[0]}"))
    print(_figures("short records", on_short, f"{before[1]}-{after[1]}"))
    print(f"    long / short: x{statistics.mean(on_long) / statistics.mean(on_short):.2f}")


def _figures(label: str, times: list[float], versions: str) -> str:
    mean, median = 1000 * statistics.mean(times), 1000 * statistics.median(times)
    return f"    {label:<14} {versions:>10} events  {mean:6.2f} ms a command (median {median:5.2f})"


@contextmanager
def throwaway_system() -> Iterator[tuple[EmbeddedSystem, PostgresStores]]:
    stores = PostgresStores()
    stores.names = {service: f"pathway_bench_history_{service}" for service in stores.names}
    stores.drop()
    stores.create()
    try:
        with (
            tempfile.TemporaryDirectory(prefix="pathway-bench-") as folder,
            EmbeddedSystem(Path(folder), store_env=stores.env) as system,
        ):
            yield system, stores
    finally:
        stores.drop()


def main(events: int) -> None:
    with throwaway_system() as (system, stores):
        system.execute("programmes", "publish_programme", ex.publish_programme(capacity=1 + SHORT_PEOPLE)["data"])
        app = system.apps["programmes"]
        long = Person(system, "LONG")
        short = [Person(system, f"SHORT{n}") for n in range(SHORT_PEOPLE)]
        started = time.perf_counter()
        long.grow(app, events)
        for person in short:
            person.grow(app, SHORT)
        print(
            f"one attendance recorded on a learning record of {events} events and on ones of {SHORT}, on PostgreSQL, "
            f"{MEASURED} commands each (records built in {time.perf_counter() - started:.0f} s)"
        )
        interval = snapshot_interval(app.env)
        report(f"with snapshots every {interval} events, as deployed (target: x2 at most)", app, long, short)
        app.loader.recent = RecentSnapshots(budget_bytes=0)
        report("with snapshots, none kept in memory (each read from the store)", app, long, short)
        unsnapshotted = SERVICES["programmes"].build({**stores.env("programmes"), SNAPSHOT_INTERVAL: "0"})
        try:
            report("without snapshots (the reference: every event folded)", unsnapshotted, long, short)
        finally:
            unsnapshotted.close()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
