"""The read log: every read of a person's case, kept by each service in its own store beside its events.

A read is not a domain event: it is kept in a table of its own, never in the notification log, so it is
never published on the bus and never appears in a replay. A row holds identifiers and the reader's own
statements only (shared/reader.py): who, for which agency in which role, why, what was read, when and how.

`read_recorded` answers a read only once the read is recorded: if recording fails, the read fails.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any, Protocol, TypeVar
from uuid import UUID
from weakref import WeakKeyDictionary

from eventsourcing.application import Application

from shared.links import records_of
from shared.reader import Reader

T = TypeVar("T")

_COLUMNS = "person_id, reader, agency, role, purpose, what, how, read_at"


@dataclass(frozen=True)
class CaseRead:
    """One recorded read of (a service's part of) a person's case."""

    service: str
    sequence: int
    person_id: str
    reader: str
    agency: str | None
    role: str | None
    purpose: str | None
    what: str
    how: str
    read_at: str  # ISO 8601, UTC

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _is_sqlite(recorder: Any) -> bool:
    return type(recorder).__module__ == "eventsourcing.sqlite"


# In-memory stores (eventsourcing.popo: topology declaration, fast tests) keep their read log beside them in memory.
_IN_MEMORY: WeakKeyDictionary[Any, list[dict[str, Any]]] = WeakKeyDictionary()


def _in_memory(recorder: Any) -> list[dict[str, Any]] | None:
    if type(recorder).__module__ != "eventsourcing.popo":
        return None
    return _IN_MEMORY.setdefault(recorder, [])


def _table(recorder: Any) -> str:
    """SQLite: one file per service. PostgreSQL: named after the events table, as eventsourcing names its own."""
    if _is_sqlite(recorder):
        return "case_reads"
    return f"{recorder.events_table_name.removesuffix('_events')}_case_reads"


def create_read_log(recorder: Any) -> None:
    """Make the read log's table if it is missing. On PostgreSQL, call it in the schema-creation turn."""
    if _in_memory(recorder) is not None:
        return
    table = _table(recorder)
    if _is_sqlite(recorder):
        statements = [
            f"CREATE TABLE IF NOT EXISTS {table} (sequence INTEGER PRIMARY KEY AUTOINCREMENT, person_id TEXT NOT NULL, "
            "reader TEXT NOT NULL, agency TEXT, role TEXT, purpose TEXT, what TEXT NOT NULL, how TEXT NOT NULL, "
            "read_at TEXT NOT NULL)",
        ]
    else:
        statements = [
            f"CREATE TABLE IF NOT EXISTS {table} (sequence BIGSERIAL PRIMARY KEY, person_id UUID NOT NULL, "
            "reader TEXT NOT NULL, agency TEXT, role TEXT, purpose TEXT, what TEXT NOT NULL, how TEXT NOT NULL, "
            "read_at TIMESTAMPTZ NOT NULL)",
        ]
    statements.append(f"CREATE INDEX IF NOT EXISTS {table}_person_idx ON {table} (person_id, sequence)")
    with recorder.datastore.transaction(commit=True) as cursor:
        for statement in statements:
            cursor.execute(statement)


def record_read(app: Application[Any], person_id: UUID, reader: Reader, what: str, how: str) -> None:
    """Record one read, committed before this returns; raises if it could not be recorded."""
    record_reads(app, [person_id], reader, what, how)


def record_reads(app: Application[Any], person_ids: Iterable[UUID], reader: Reader, what: str, how: str) -> None:
    """Record one reader's read of each of these cases (a page of the feed holds many people), in one transaction
    committed before this returns; raises if they could not be recorded."""
    ids = list(person_ids)
    if not ids:
        return
    recorder: Any = app.recorder
    now = datetime.now(UTC)
    statements = (reader.name, reader.agency, reader.role, reader.purpose, what, how)
    kept = _in_memory(recorder)
    if kept is not None:
        for person_id in ids:
            row = (str(person_id), *statements, now)
            kept.append({"sequence": len(kept) + 1, **dict(zip(_COLUMNS.split(", "), row, strict=True))})
        return
    table = _table(recorder)
    rows: list[tuple[Any, ...]]
    if _is_sqlite(recorder):
        sql = f"INSERT INTO {table} ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
        rows = [(person_id.hex, *statements, now.isoformat()) for person_id in ids]
    else:
        sql = f"INSERT INTO {table} ({_COLUMNS}) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)"
        rows = [(person_id, *statements, now) for person_id in ids]
    with recorder.datastore.transaction(commit=True) as cursor:
        cursor.executemany(sql, rows)


def read_recorded(
    app: Application[Any], person_id: UUID, reader: Reader, what: str, how: str, read: Callable[[], T]
) -> T:
    """The answer of `read`, given only once the read is recorded (a refused read returned nothing: not recorded)."""
    answer = read()
    record_read(app, person_id, reader, what, how)
    return answer


def reads_of(app: Application[Any] | ServiceStore, service: str, person_ids: Iterable[UUID]) -> list[CaseRead]:
    """The recorded reads of these person records in this store, in the order they were recorded."""
    ids = list(person_ids)
    if not ids:
        return []
    recorder: Any = app.recorder
    kept = _in_memory(recorder)
    if kept is not None:
        wanted = {str(i) for i in ids}
        return [_read_of(service, row) for row in kept if row["person_id"] in wanted]
    table = _table(recorder)
    if _is_sqlite(recorder):
        marks = ",".join("?" * len(ids))
        sql = f"SELECT sequence, {_COLUMNS} FROM {table} WHERE person_id IN ({marks}) ORDER BY sequence"
        params: Any = [i.hex for i in ids]
    else:
        sql = f"SELECT sequence, {_COLUMNS} FROM {table} WHERE person_id = ANY(%s) ORDER BY sequence"
        params = (ids,)
    with recorder.datastore.transaction(commit=False) as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [_read_of(service, row) for row in rows]


class ServiceStore(Protocol):
    """A service's application as the read log needs it: its name, its recorder, and its aggregates."""

    @property
    def service(self) -> str: ...

    @property
    def recorder(self) -> Any: ...

    def get_or_none(self, aggregate_id: UUID) -> Any: ...


def case_reads_in(app: ServiceStore, person_id: UUID) -> list[CaseRead]:
    """The reads of a person's case in this service's store: of their record and of every record merged into it."""
    return reads_of(app, app.service, records_of(app.get_or_none, person_id))


def _read_of(service: str, row: Any) -> CaseRead:
    read_at = row["read_at"]
    moment = read_at if isinstance(read_at, datetime) else datetime.fromisoformat(read_at)
    return CaseRead(
        service=service,
        sequence=int(row["sequence"]),
        person_id=str(UUID(str(row["person_id"]))),
        reader=row["reader"],
        agency=row["agency"],
        role=row["role"],
        purpose=row["purpose"],
        what=row["what"],
        how=row["how"],
        read_at=moment.astimezone(UTC).isoformat(timespec="microseconds"),
    )
