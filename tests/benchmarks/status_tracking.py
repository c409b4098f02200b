"""Benchmark: a service's status (the inner loop of every settle) against the size of its tracking table.

Release's store on PostgreSQL is given growing numbers of tracking records, as its consumer leaves them
(one per processed message of each upstream), and status is timed at each size; beside it, the query status
ran before positions were kept in place (one GROUP BY over the tracking records), on the same table in the
same run. Flat means the largest size costs about what the smallest does.

    .venv/bin/python -m tests.benchmarks.status_tracking [largest]   (default 1000000)
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

from pathway.services import SERVICES
from shared.eventstore.application import PathwayApplication
from shared.messaging.consumer import TrackedConsumer, watermark_name
from shared.messaging.relay import RELAY_TRACKING_NAME
from shared.service_health import progress_of
from tests.stores import PostgresStores

ROUNDS = 30


def grow_tracking(app: PathwayApplication, upstreams: list[str], rows: int) -> int:
    """Add processed-message records until the table holds `rows`, shared among the upstreams, plus the relay
    and watermark records an older store kept there (one per batch, batches of ten)."""
    recorder: Any = app.recorder
    table = recorder.tracking_table_name
    with recorder.datastore.transaction(commit=True) as cursor:
        cursor.execute(f"SELECT count(*) AS n FROM {table}")
        have = int(cursor.fetchone()["n"])
        per_name = (rows - have) // (len(upstreams) + 1 + len(upstreams))
        names = [*upstreams, RELAY_TRACKING_NAME, *map(watermark_name, upstreams)]
        for name in names:
            cursor.execute(
                f"INSERT INTO {table} (application_name, notification_id) "
                "SELECT %s, g FROM generate_series("
                f"(SELECT COALESCE(MAX(notification_id), 0) + 1 FROM {table} WHERE application_name = %s), "
                f"(SELECT COALESCE(MAX(notification_id), 0) FROM {table} WHERE application_name = %s) + %s) AS g",
                (name, name, name, per_name),
            )
        cursor.execute(f"ANALYZE {table}")
        cursor.execute(f"SELECT count(*) AS n FROM {table}")
        return int(cursor.fetchone()["n"])


def grouped_maxima(app: PathwayApplication, names: list[str]) -> None:
    """What status asked before: the maximum of each name, in one GROUP BY."""
    recorder: Any = app.recorder
    sql = (
        f"SELECT application_name, MAX(notification_id) AS top FROM {recorder.tracking_table_name} "
        "WHERE application_name = ANY(%s) GROUP BY application_name"
    )
    with recorder.datastore.transaction(commit=False) as cursor:
        cursor.execute(sql, (names,))
        cursor.fetchall()


def median_ms(call: Callable[[], Any]) -> float:
    call()  # warm: plans prepared, pages cached
    times = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def main(largest: int) -> None:
    stores = PostgresStores()
    stores.names = {service: f"pathway_bench_status_{service}" for service in stores.names}
    stores.drop()
    stores.create()
    app = SERVICES["release"].build(stores.env("release"))
    try:
        upstreams = TrackedConsumer(app).upstreams()
        names = [RELAY_TRACKING_NAME, *map(watermark_name, upstreams)]
        sizes = [size for size in (10_000, 100_000, 1_000_000, 10_000_000) if size <= largest] or [largest]
        print("status of release against tracking records (PostgreSQL, median of 30)")
        print(f"  {'records':>10}  {'status':>9}  {'before (GROUP BY)':>17}")
        first = None
        for size in sizes:
            rows = grow_tracking(app, upstreams, size)
            status = median_ms(lambda: progress_of(app))
            before = median_ms(lambda: grouped_maxima(app, names))
            first = first or status
            print(f"  {rows:>10}  {status:>7.2f}ms  {before:>15.2f}ms")
        print(f"  status at {rows} records / at {sizes[0]}: {status / first:.2f}x (flat: about 1; target <= 10 ms)")
    finally:
        app.close()
        stores.drop()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
