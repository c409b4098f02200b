"""Benchmark: `pathway import` of a cohort, embedded and distributed, against bare eventsourcing batched saves.

The import is measured as deployed: embedded, the three services in the importing process on SQLite;
distributed, every process of every service running (serve, relay, consumer and command inbox, each its own
process) on PostgreSQL and RabbitMQ, the file imported by `pathway import --amqp-uri` in a process of its own,
until every reaction has been handled. Its figure is the events the three stores hold after it, reactions'
included, per second. The baselines, measured in the same run on the same servers: a bare eventsourcing
application saving new aggregates 100 events to a transaction, on SQLite and on PostgreSQL.

    .venv/bin/python -m tests.benchmarks.import_throughput [people]
"""

from __future__ import annotations

import io
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import psycopg
from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event

from pathway.cohort import demo_cohort
from pathway.embedded import EmbeddedSystem
from pathway.importer import run_import
from pathway.services import SERVICES
from shared.eventstore.reading import head
from tests.integration.cluster import POSTGRES, Cluster, _create_database, free_ports
from tests.integration.helpers import write_jsonl

SAVED_TOGETHER = 100
EVENTS_EACH = 5  # per bare aggregate: SAVED_TOGETHER / EVENTS_EACH aggregates a transaction


class Record(Aggregate):
    @event("Noted")
    def note(self, text: str) -> None:
        self.last = text


def bare_saves(env: dict[str, str], events: int) -> float:
    """Events a second, saving fresh aggregates SAVED_TOGETHER events to a transaction."""
    app: Application[Any] = Application(env=env)
    try:
        started = time.perf_counter()
        for _ in range(events // SAVED_TOGETHER):
            records = [Record() for _ in range(SAVED_TOGETHER // EVENTS_EACH)]
            for record in records:
                for n in range(EVENTS_EACH - 1):
                    record.note(f"text {n}")
            app.save(*records)
        return (events // SAVED_TOGETHER) * SAVED_TOGETHER / (time.perf_counter() - started)
    finally:
        app.close()


def embedded_import(file: Path, folder: Path) -> tuple[float, int]:
    with EmbeddedSystem(folder) as system:
        started = time.perf_counter()
        with file.open("rb") as lines:
            report = run_import(system, lines, file.name, errors=io.StringIO())
        took = time.perf_counter() - started
        assert report.ok, report.summary(file.name)
        stored = sum(head(app) for app in system.apps.values())
    return stored / took, stored


def distributed_import(file: Path, workdir: Path) -> tuple[float, int]:
    cluster = Cluster(workdir, free_ports(len(SERVICES)))
    cluster.create()
    try:
        for service in SERVICES:
            cluster.start("inbox", service)
        cluster.start_all()
        started = time.perf_counter()
        loading = subprocess.run(
            [sys.executable, "-m", "pathway.cli", "import", str(file), "--amqp-uri", cluster.amqp_uri],
            env=cluster.env(),
            capture_output=True,
            text=True,
            timeout=3600,
        )
        took = time.perf_counter() - started
        assert loading.returncode == 0, loading.stdout + loading.stderr
        stored = 0
        for database in cluster.databases.values():
            with psycopg.connect(dbname=database, **POSTGRES) as db:  # type: ignore[arg-type]
                service = next(s for s, name in cluster.databases.items() if name == database)
                row = db.execute(f"SELECT count(*) FROM {service}_events").fetchone()
                stored += int(row[0]) if row else 0
        return stored / took, stored
    finally:
        cluster.destroy()


def postgres_env(database: str) -> dict[str, str]:
    return {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": database,
        "POSTGRES_HOST": "127.0.0.1",
        "POSTGRES_PORT": "5432",
        "POSTGRES_USER": "postgres",
        "POSTGRES_PASSWORD": "",
    }


def main(people: int) -> None:
    with tempfile.TemporaryDirectory(prefix="pathway-bench-") as folder:
        root = Path(folder)
        file = write_jsonl(root / "cohort.jsonl", demo_cohort(people, prefix="B"))
        lines = sum(1 for _ in file.open())
        embedded, stored = embedded_import(file, root / "embedded")
        bare_sqlite = bare_saves(
            {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(root / "bare.sqlite")}, stored
        )
        (root / "cluster").mkdir()
        distributed, stored_distributed = distributed_import(file, root / "cluster")
        database = f"pathway_bench_bare_{int(time.time())}"
        _create_database(database)
        try:
            bare_postgres = bare_saves(postgres_env(database), stored_distributed)
        finally:
            with psycopg.connect(dbname="postgres", autocommit=True, **POSTGRES) as db:  # type: ignore[arg-type]
                db.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    print(f"import of {people} people ({lines} lines), every reaction handled; events stored per second")
    print(f"  bare eventsourcing, SQLite, {SAVED_TOGETHER} events a save:     {bare_sqlite:9.0f} events/s")
    print(f"  embedded import ({stored} events):             {embedded:9.0f} events/s   "
          f"x{embedded / bare_sqlite:.3f} bare (target >= 0.25)")  # fmt: skip
    print(f"  bare eventsourcing, PostgreSQL, {SAVED_TOGETHER} events a save: {bare_postgres:9.0f} events/s")
    print(f"  distributed import ({stored_distributed} events):          {distributed:9.0f} events/s   "
          f"x{distributed / bare_postgres:.3f} bare (target >= 0.1)")  # fmt: skip


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100)
