"""Kept positions: how far a relay has published, each upstream's watermark, and counters, one row each.

These are bookkeeping, not records of what was processed: a relay's position and a watermark only ever
grow, and a counter counts. Kept as tracking records they piled up, one row per relay batch and per
watermark (two or three per stored event when batches are small), and status read them with a maximum
over the whole tracking table. Here each is one row, updated in place, so status reads a handful of rows
whatever the history, and the tracking table holds only the ids of processed messages (the exactly-once
records, which are never changed).

Stores that kept these as tracking records before are read on: a position is the greater of its row here
and the highest tracking record of the same name (an index lookup on the tracking table's key), and a
counter starts from that highest record. Nothing is moved or deleted.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from weakref import WeakKeyDictionary

from eventsourcing.application import Application


def _is_sqlite(recorder: Any) -> bool:
    return type(recorder).__module__ == "eventsourcing.sqlite"


# In-memory stores (eventsourcing.popo) keep their positions beside them in memory.
_IN_MEMORY: WeakKeyDictionary[Any, dict[str, int]] = WeakKeyDictionary()


def _in_memory(recorder: Any) -> dict[str, int] | None:
    if type(recorder).__module__ != "eventsourcing.popo":
        return None
    return _IN_MEMORY.setdefault(recorder, {})


def positions_table(recorder: Any) -> str:
    """SQLite: one file per service. PostgreSQL: named after the events table, as eventsourcing names its own."""
    if _is_sqlite(recorder):
        return "kept_positions"
    return f"{recorder.events_table_name.removesuffix('_events')}_kept_positions"


def _tracking_table(recorder: Any) -> str:
    return "tracking" if _is_sqlite(recorder) else str(recorder.tracking_table_name)


def create_positions_table(recorder: Any) -> None:
    """Make the table if it is missing. On PostgreSQL, call it in the schema-creation turn."""
    if _in_memory(recorder) is not None:
        return
    statement = (
        f"CREATE TABLE IF NOT EXISTS {positions_table(recorder)} (name TEXT PRIMARY KEY, position BIGINT NOT NULL)"
    )
    with recorder.datastore.transaction(commit=True) as cursor:
        cursor.execute(statement)


def kept_positions(app: Application[Any], names: Sequence[str]) -> dict[str, int]:
    """Each name's position (0 where none), in one transaction whatever the size of the tracking table."""
    recorder: Any = app.recorder
    kept = _in_memory(recorder)
    if kept is not None:
        return {name: max(kept.get(name, 0), recorder.max_tracking_id(name) or 0) for name in names}
    table, tracking = positions_table(recorder), _tracking_table(recorder)
    if _is_sqlite(recorder):
        sql = (
            f"SELECT MAX(COALESCE((SELECT position FROM {table} WHERE name = ?), 0), "
            f"COALESCE((SELECT MAX(notification_id) FROM {tracking} WHERE application_name = ?), 0)) AS top"
        )
        found = {}
        with recorder.datastore.transaction(commit=False) as cursor:
            for name in names:
                cursor.execute(sql, (name, name))
                found[name] = int(cursor.fetchone()["top"])
        return found
    # One correlated maximum per name: each is a backward scan of the tracking table's primary key
    # (application_name, notification_id), where one GROUP BY would read every row of those names.
    sql = (
        "SELECT name, GREATEST("
        f"COALESCE((SELECT position FROM {table} k WHERE k.name = n.name), 0), "
        f"COALESCE((SELECT MAX(notification_id) FROM {tracking} t WHERE t.application_name = n.name), 0)) AS top "
        "FROM unnest(%s::text[]) AS n(name)"
    )
    with recorder.datastore.transaction(commit=False) as cursor:
        cursor.execute(sql, (list(names),))
        return {row["name"]: int(row["top"]) for row in cursor.fetchall()}


def kept_position(app: Application[Any], name: str) -> int:
    return kept_positions(app, [name])[name]


def keep_position(app: Application[Any], name: str, position: int) -> None:
    """Move `name` on to `position`, committed before this returns; a lower position than kept changes nothing
    (a watermark sent again after a relay restart)."""
    recorder: Any = app.recorder
    kept = _in_memory(recorder)
    if kept is not None:
        kept[name] = max(kept.get(name, 0), position)
        return
    table = positions_table(recorder)
    if _is_sqlite(recorder):
        sql = (
            f"INSERT INTO {table} (name, position) VALUES (?, ?) "
            f"ON CONFLICT (name) DO UPDATE SET position = MAX({table}.position, excluded.position)"
        )
    else:
        sql = (
            f"INSERT INTO {table} AS k (name, position) VALUES (%s, %s) "
            "ON CONFLICT (name) DO UPDATE SET position = GREATEST(k.position, excluded.position)"
        )
    with recorder.datastore.transaction(commit=True) as cursor:
        cursor.execute(sql, (name, position))


def count_up(app: Application[Any], name: str) -> int:
    """Add one to the counter `name` and return the new count: one statement, so concurrent processes
    counting at once each count (a row lock, not a lost race)."""
    recorder: Any = app.recorder
    kept = _in_memory(recorder)
    if kept is not None:
        kept[name] = max(kept.get(name, 0), recorder.max_tracking_id(name) or 0) + 1
        return kept[name]
    table, tracking = positions_table(recorder), _tracking_table(recorder)
    if _is_sqlite(recorder):
        sql = (
            f"INSERT INTO {table} (name, position) VALUES (?, "
            f"COALESCE((SELECT MAX(notification_id) FROM {tracking} WHERE application_name = ?), 0) + 1) "
            f"ON CONFLICT (name) DO UPDATE SET position = {table}.position + 1 RETURNING position"
        )
    else:
        sql = (
            f"INSERT INTO {table} AS k (name, position) VALUES (%s, "
            f"COALESCE((SELECT MAX(notification_id) FROM {tracking} WHERE application_name = %s), 0) + 1) "
            "ON CONFLICT (name) DO UPDATE SET position = k.position + 1 RETURNING position"
        )
    with recorder.datastore.transaction(commit=True) as cursor:
        cursor.execute(sql, (name, name))
        return int(cursor.fetchone()["position"])
