"""Benchmark: what sealing adds to the relay's hot path (one hash per event, one seal row per batch).

The same store is relayed twice to a publisher that confirms at once, so only reading, translating,
sealing and recording the position are measured: once with sealing, once with it switched off.
SQLite in a temporary folder, and PostgreSQL in a database of its own.

    .venv/bin/python -m tests.benchmarks.relay_seals [events]
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from pathway.services import SERVICES
from shared.contracts.envelope import Envelope
from shared.eventstore.application import PathwayApplication
from shared.eventstore.positions import positions_table
from shared.eventstore.reading import _is_sqlite, head
from shared.eventstore.seals import create_seals_table, seals_table
from shared.eventstore.settings import sqlite_env
from shared.messaging.relay import RELAY_TRACKING_NAME, Relay, Watermark
from tests import examples as ex
from tests.stores import PostgresStores


class ConfirmsAtOnce:
    def publish(self, envelopes: Sequence[Envelope], watermark: Watermark | None = None) -> None:
        pass


def fill(app: PathwayApplication, people: int) -> None:
    for n in range(people):
        app.handle("register_person", ex.register_person(f"BENCH{n}")["data"])


def forget_relaying(app: PathwayApplication) -> None:
    """As if the relay had never run: no position, no seals."""
    recorder: Any = app.recorder
    create_seals_table(app)
    tracking = "tracking" if _is_sqlite(app) else recorder.tracking_table_name
    mark = "?" if _is_sqlite(app) else "%s"
    with recorder.datastore.transaction(commit=True) as cursor:
        cursor.execute(f"DELETE FROM {tracking} WHERE application_name = {mark}", (RELAY_TRACKING_NAME,))
        cursor.execute(f"DELETE FROM {seals_table(app)}")
        cursor.execute(f"DELETE FROM {positions_table(recorder)} WHERE name = {mark}", (RELAY_TRACKING_NAME,))


def relay_once(app: PathwayApplication, *, sealing: bool) -> float:
    forget_relaying(app)
    relay = Relay(app, SERVICES["intake"].translate, ConfirmsAtOnce())
    if not sealing:
        relay.sealer.seal = lambda *_, **__: None  # type: ignore[method-assign]
    relay.sealer.last()  # the seal table exists before the clock starts
    started = time.perf_counter()
    relay.pump()
    return time.perf_counter() - started


def measure(label: str, env: Mapping[str, str], people: int) -> None:
    app = SERVICES["intake"].build(env)
    try:
        fill(app, people)
        events = head(app)
        relay_once(app, sealing=True)  # warm up
        # Alternated, best of each: a shared machine's load changes over seconds, and would otherwise
        # fall on one side only.
        rounds = [(relay_once(app, sealing=False), relay_once(app, sealing=True)) for _ in range(7)]
        without = min(plain for plain, _ in rounds)
        with_seals = min(sealed for _, sealed in rounds)
        print(f"relay of {events} events, batches of 500, {label}")
        print(f"  without sealing: {events / without:9.0f} events/s")
        print(f"  with sealing:    {events / with_seals:9.0f} events/s   ({with_seals / without - 1:+.0%} time)")
    finally:
        app.close()


def main(people: int) -> None:
    with tempfile.TemporaryDirectory(prefix="pathway-bench-") as folder:
        measure("SQLite", sqlite_env("intake", Path(folder)), people)
    stores = PostgresStores()
    stores.names = {service: f"pathway_bench_{service}" for service in stores.names}
    stores.drop()
    stores.create()
    try:
        measure("PostgreSQL", stores.env("intake"), people)
    finally:
        stores.drop()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
