"""Every direct read of a store goes through here (the auditor's path, tracking checks).

Keeping them in one module is what lets read auditing, hash chains and
per-person encryption be added later without reshaping the services.
eventsourcing's recorders do not offer "events of these aggregates with their
notification ids" or "was this exact id processed", so those are a few lines of
SQL per backend.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.persistence import StoredEvent


@dataclass(frozen=True)
class NumberedEvent:
    """A domain event with its position in the service's notification log."""

    notification_id: int
    event: Any


def _is_sqlite(app: Application[Any]) -> bool:
    return type(app.recorder).__module__ == "eventsourcing.sqlite"


def events_of(app: Application[Any], aggregate_ids: Iterable[UUID]) -> list[NumberedEvent]:
    """The events of the given aggregates, in notification order.

    Uses the (originator_id, originator_version) primary key, so its cost does
    not grow with the number of other aggregates in the store.
    """
    ids = list(aggregate_ids)
    if not ids:
        return []
    recorder: Any = app.recorder
    table = recorder.events_table_name
    if _is_sqlite(app):
        marks = ",".join("?" * len(ids))
        sql = (
            f"SELECT rowid AS notification_id, originator_id, originator_version, topic, state "
            f"FROM {table} WHERE originator_id IN ({marks}) ORDER BY rowid"
        )
        with recorder.datastore.transaction(commit=False) as cursor:
            cursor.execute(sql, [i.hex for i in ids])
            rows = cursor.fetchall()
    else:
        sql = (
            f"SELECT notification_id, originator_id, originator_version, topic, state "
            f"FROM {table} WHERE originator_id = ANY(%s) ORDER BY notification_id"
        )
        with recorder.datastore.transaction(commit=False) as cursor:
            cursor.execute(sql, (ids,))
            rows = cursor.fetchall()
    return [_decode(app, row) for row in rows]


def _decode(app: Application[Any], row: Any) -> NumberedEvent:
    stored = StoredEvent(
        originator_id=row["originator_id"],
        originator_version=row["originator_version"],
        topic=row["topic"],
        state=bytes(row["state"]),
    )
    return NumberedEvent(row["notification_id"], app.mapper.to_domain_event(stored))


def is_tracked(app: Application[Any], upstream: str, notification_id: int) -> bool:
    """Has this exact upstream notification been processed (membership, not a maximum)?"""
    recorder: Any = app.recorder
    if _is_sqlite(app):
        sql = "SELECT 1 FROM tracking WHERE application_name = ? AND notification_id = ?"
    else:
        sql = f"SELECT 1 FROM {recorder.tracking_table_name} WHERE application_name = %s AND notification_id = %s"
    with recorder.datastore.transaction(commit=False) as cursor:
        cursor.execute(sql, (upstream, notification_id))
        return cursor.fetchone() is not None


def reachable(app: Application[Any]) -> None:
    """Raise unless the store answers a trivial query. Touches no table: a health check must not queue
    behind a long write's table lock (eventsourcing's insert path takes one) and call the service sick."""
    recorder: Any = app.recorder
    with recorder.datastore.transaction(commit=False) as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def head(app: Application[Any]) -> int:
    """The last notification id in the store (0 when empty)."""
    return app.recorder.max_notification_id() or 0


def notifications_after(app: Application[Any], position: int, limit: int) -> Sequence[Any]:
    return app.recorder.select_notifications(start=position, limit=limit, inclusive_of_start=False)


def event_pages(
    app: Application[Any], position: int, topics: Collection[str] = (), page: int = 1000
) -> Iterator[tuple[list[Any], int]]:
    """The domain events recorded after notification `position`, a page at a time, each page with the
    position it reaches (its last notification, decoded or skipped as not of `topics`).

    Reading on from a position never skips a late commit: notification ids become visible in order
    (eventsourcing's default insert path locks the table; SQLite has one writer).
    """
    while notifications := notifications_after(app, position, page):
        position = notifications[-1].id
        yield [app.mapper.to_domain_event(n) for n in notifications if not topics or n.topic in topics], position
