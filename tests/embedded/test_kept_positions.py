"""Kept positions: one row each, moved on in place, read beside what older stores kept as tracking records."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

from eventsourcing.persistence import Tracking

from pathway.embedded import EmbeddedSystem
from shared.eventstore.positions import count_up, keep_position, kept_position, kept_positions, positions_table
from shared.messaging.consumer import REJECTED_TRACKING_NAME, TrackedConsumer, watermark_name
from shared.messaging.relay import RELAY_TRACKING_NAME
from tests import examples as ex
from tests.embedded.helpers import load
from tests.stores import BOTH_STORES

pytestmark = BOTH_STORES


def rows(app: Any, sql: str, *params: Any) -> list[Any]:
    recorder = app.recorder
    if type(recorder).__module__ != "eventsourcing.sqlite":
        sql = sql.replace("?", "%s")
    with recorder.datastore.transaction(commit=False) as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def tracking_table(app: Any) -> str:
    recorder = app.recorder
    return "tracking" if type(recorder).__module__ == "eventsourcing.sqlite" else recorder.tracking_table_name


def test_a_position_only_moves_on_and_stays_one_row(system: EmbeddedSystem) -> None:
    app = system.apps["release"]
    for position in (5, 9, 7, 9):
        keep_position(app, "watermark:intake", position)

    assert kept_position(app, "watermark:intake") == 9
    assert kept_positions(app, ["watermark:intake", "never"]) == {"watermark:intake": 9, "never": 0}
    table = positions_table(app.recorder)
    assert len(rows(app, f"SELECT name FROM {table} WHERE name = ?", "watermark:intake")) == 1


def test_a_settled_load_leaves_tracking_rows_only_for_messages_processed(system: EmbeddedSystem) -> None:
    load(system, ex.catalogue())
    load(system, [ex.register_person("K1"), ex.custodial_sentence("K1"), ex.register_person("K2")])

    for service, app in system.apps.items():
        names = {row["application_name"] for row in rows(app, f"SELECT application_name FROM {tracking_table(app)}")}
        assert RELAY_TRACKING_NAME not in names, service
        assert not any(name.startswith("watermark:") for name in names), service
    assert kept_position(system.apps["intake"], RELAY_TRACKING_NAME) > 0


def test_positions_an_older_store_kept_as_tracking_records_are_read_on(system: EmbeddedSystem) -> None:
    app = system.apps["intake"]
    for name, position in ((RELAY_TRACKING_NAME, 40), (RELAY_TRACKING_NAME, 42), (REJECTED_TRACKING_NAME, 3)):
        app.recorder.insert_tracking(Tracking(name, position))  # type: ignore[attr-defined]

    assert kept_position(app, RELAY_TRACKING_NAME) == 42
    keep_position(app, RELAY_TRACKING_NAME, 50)
    assert kept_position(app, RELAY_TRACKING_NAME) == 50
    assert count_up(app, REJECTED_TRACKING_NAME) == 4  # counted on from the older records
    assert TrackedConsumer(app).rejected_count() == 4


def test_counting_at_once_from_many_threads_loses_no_count(system: EmbeddedSystem) -> None:
    app = system.apps["programmes"]
    with ThreadPoolExecutor(max_workers=4) as pool:
        counts = list(pool.map(lambda _: count_up(app, "counted"), range(40)))

    assert sorted(counts) == list(range(1, 41))
    assert kept_position(app, "counted") == 40


def test_status_names_each_upstream_watermark(system: EmbeddedSystem) -> None:
    release = system.apps["release"]
    consumer = TrackedConsumer(release)
    consumer.record_watermark("intake", 12)
    consumer.record_watermark("intake", 3)

    assert consumer.watermarks() == {source: 12 if source == "intake" else 0 for source in consumer.upstreams()}
    assert kept_position(release, watermark_name("intake")) == 12
