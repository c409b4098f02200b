"""Tamper evidence: a hash chain over a store's notification log, recorded as seals.

    chain_0 = GENESIS
    chain_n = sha256(chain_(n-1) || record_n)

where record_n is the stored notification as stored: its notification id, originator id and
version, topic and state bytes, with every field's length fixed or given, so that no two different
records serialize the same. A seal row (up_to, chain, sealed_at) says "the chain over every record
with a notification id up to `up_to` was `chain` when sealed". Ids may have gaps (PostgreSQL skips
the ids of rolled-back inserts): the chain covers the records present.

Only the one active relay of a service writes seals (`Sealer`), and it seals each batch before it
records its position, so every published event is sealed. Nothing can later appear below an id
already visible (eventsourcing's default PostgreSQL insert path locks the table; SQLite has one
writer), so sealing up to what the relay read is safe.

`verify` recomputes the chain over the whole log and compares it with every seal. Whoever can
rewrite the events table can also recompute its seals: a chain head written down by an auditor
elsewhere (an `expected` head) is what they cannot rewrite.

Like reading.py, this module talks SQL to SQLite (rowid as notification id) and to PostgreSQL.
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from eventsourcing.application import Application
from eventsourcing.persistence import Notification

from shared.eventstore.postgres import schema_creation_turn
from shared.eventstore.reading import _is_sqlite
from shared.eventstore.settings import creates_tables

GENESIS = hashlib.sha256(b"pathway seals v1").digest()
PAGE = 1000


class SealMismatchError(RuntimeError):
    """A seal being written again does not match the one recorded: the store changed since."""


# --- the chain -----------------------------------------------------------------


def record_bytes(notification: Notification) -> bytes:
    """The canonical bytes of one stored notification: its id and version, then the lengths of its
    originator id, topic and state (fixed-width numbers), then those three."""
    originator, topic, state = str(notification.originator_id).encode(), notification.topic.encode(), notification.state
    if not isinstance(state, bytes):  # SQLite keeps whatever type it is given
        raise TypeError("state: not bytes")
    numbers = _NUMBERS.pack(notification.id, notification.originator_version, len(originator), len(topic), len(state))
    return b"".join((numbers, originator, topic, state))


_NUMBERS = struct.Struct(">qqQQQ")


def link(chain: bytes, notification: Notification) -> bytes:
    return hashlib.sha256(chain + record_bytes(notification)).digest()


def chain_over(chain: bytes, notifications: Iterable[Notification]) -> bytes:
    for notification in notifications:
        chain = link(chain, notification)
    return chain


@dataclass(frozen=True)
class Seal:
    """The chain over every record up to notification `up_to` (up_to 0 with GENESIS: nothing sealed)."""

    up_to: int
    chain: str  # hex

    def as_dict(self) -> dict[str, Any]:
        return {"notification_id": self.up_to, "chain": self.chain}


NOTHING_SEALED = Seal(0, GENESIS.hex())


# --- the seal table ----------------------------------------------------------------


def seals_table(app: Application[Any]) -> str:
    """`seals` in SQLite (beside `tracking`), `<service>_seals` in PostgreSQL (beside `<service>_tracking`)."""
    if _is_sqlite(app):
        return "seals"
    events: str = app.recorder.events_table_name  # type: ignore[attr-defined]
    return events.removesuffix("_events") + "_seals"


def _execute(
    app: Application[Any], sql: str, params: Sequence[Any] = (), *, commit: bool = False, fetch: bool = True
) -> list[Any]:
    """Run one statement (written with %s) in a transaction of its own; the rows it returns."""
    if _is_sqlite(app):
        sql = sql.replace("%s", "?")
    with app.recorder.datastore.transaction(commit=commit) as cursor:  # type: ignore[attr-defined]
        cursor.execute(sql, tuple(params))
        return list(cursor.fetchall()) if fetch else []


def has_seals_table(app: Application[Any]) -> bool:
    if _is_sqlite(app):
        sql = "SELECT name FROM sqlite_master WHERE type = 'table' AND name = %s"
    else:
        sql = "SELECT to_regclass(%s) AS name"
    rows = _execute(app, sql, (seals_table(app),))
    return bool(rows) and rows[0]["name"] is not None


def create_seals_table(app: Application[Any]) -> None:
    table = seals_table(app)
    if _is_sqlite(app):
        _execute(
            app,
            f"CREATE TABLE IF NOT EXISTS {table} "
            "(up_to INTEGER PRIMARY KEY, chain TEXT NOT NULL, sealed_at TEXT NOT NULL)",
            commit=True,
            fetch=False,
        )
        return
    with schema_creation_turn(app.env):  # CREATE TABLE IF NOT EXISTS is not safe against itself in PostgreSQL
        _execute(
            app,
            f"CREATE TABLE IF NOT EXISTS {table} "
            "(up_to BIGINT PRIMARY KEY, chain TEXT NOT NULL, sealed_at TIMESTAMPTZ NOT NULL)",
            commit=True,
            fetch=False,
        )


def read_seals(app: Application[Any]) -> list[Seal]:
    """Every seal, in order (none when the store was never sealed)."""
    if not has_seals_table(app):
        return []
    rows = _execute(app, f"SELECT up_to, chain FROM {seals_table(app)} ORDER BY up_to")
    return [Seal(int(row["up_to"]), row["chain"]) for row in rows]


def _seal_where(app: Application[Any], condition: str = "", up_to: int | None = None) -> Seal | None:
    """The highest seal meeting `condition` (on its up_to), or the last one."""
    where = f"WHERE up_to {condition} %s " if condition else ""
    sql = f"SELECT up_to, chain FROM {seals_table(app)} {where}ORDER BY up_to DESC LIMIT 1"
    rows = _execute(app, sql, (up_to,) if condition else ())
    return Seal(int(rows[0]["up_to"]), rows[0]["chain"]) if rows else None


def _insert(app: Application[Any], seal: Seal) -> bool:
    """Record a seal; False when one up to the same id was there already."""
    sealed_at: Any = datetime.now(UTC)
    if _is_sqlite(app):
        sealed_at = sealed_at.isoformat()
    sql = (
        f"INSERT INTO {seals_table(app)} (up_to, chain, sealed_at) VALUES (%s, %s, %s) "
        "ON CONFLICT (up_to) DO NOTHING RETURNING up_to"
    )
    return bool(_execute(app, sql, (seal.up_to, seal.chain, sealed_at), commit=True))


def notifications_between(app: Application[Any], after: int | None, up_to: int | None) -> Iterator[Notification]:
    """The stored notifications after `after` (None: from the very first, whatever its id) up to `up_to`."""
    while page := app.recorder.select_notifications(  # type: ignore[attr-defined]
        start=after, limit=PAGE, stop=up_to, inclusive_of_start=after is None
    ):
        yield from page
        after = page[-1].id


# --- sealing -------------------------------------------------------------------


class Sealer:
    """Writes a store's seals. Only the service's one active relay uses one, so the last seal is kept in memory."""

    def __init__(self, app: Application[Any]) -> None:
        self.app = app
        self._last: Seal | None = None

    def last(self) -> Seal:
        if self._last is None:
            if creates_tables(self.app.env):  # else its owner made it (pathway database setup)
                create_seals_table(self.app)
            self._last = _seal_where(self.app) or NOTHING_SEALED
        return self._last

    def seal(self, up_to: int, read: Sequence[Notification] = (), read_after: int | None = None) -> Seal:
        """Seal the log up to notification `up_to`.

        `read` is what the caller already read: every notification after `read_after` up to
        `up_to`. When the last seal is not behind `read_after`, nothing is read again.
        """
        last = self.last()
        if up_to <= last.up_to:
            return self._confirm(up_to)
        if read_after is not None and read_after <= last.up_to:
            fresh: Iterable[Notification] = (n for n in read if last.up_to < n.id <= up_to)
        else:  # behind what the caller read (a crash between two writes, a store sealed for the first time)
            fresh = notifications_between(self.app, last.up_to, up_to)
        seal = Seal(up_to, chain_over(bytes.fromhex(last.chain), fresh).hex())
        if not _insert(self.app, seal):
            self._check_same(seal)
        self._last = seal
        return seal

    def _confirm(self, up_to: int) -> Seal:
        """Sealing again what is sealed: a no-op, unless the store no longer gives the same chain."""
        existing = _seal_where(self.app, "=", up_to)
        if existing is None:
            return self.last()  # covered by a later seal
        before = _seal_where(self.app, "<", up_to) or NOTHING_SEALED
        chain = chain_over(bytes.fromhex(before.chain), notifications_between(self.app, before.up_to, up_to))
        self._check_same(Seal(up_to, chain.hex()))
        return existing

    def _check_same(self, seal: Seal) -> None:
        existing = _seal_where(self.app, "=", seal.up_to)
        if existing is not None and existing.chain != seal.chain:
            raise SealMismatchError(
                f"the seal up to notification {seal.up_to} no longer matches the store: "
                "events were changed, removed or added since it was sealed (run pathway verify)"
            )


# --- verifying ------------------------------------------------------------------


@dataclass(frozen=True)
class Altered:
    """The first range of notification ids whose chain does not match what was recorded."""

    first: int  # the first notification id the range may start at
    last: int
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {"from": self.first, "to": self.last, "reason": self.reason}


@dataclass
class VerifyReport:
    """What `verify` found. Ids, counts and hashes only: never an event's contents."""

    service: str
    events_checked: int = 0
    seals_checked: int = 0
    sealed_up_to: int = 0
    not_yet_sealed: int = 0
    head: Seal | None = None  # the chain over the whole log, once it verified
    altered: Altered | None = None
    expectations_checked: int = 0

    @property
    def intact(self) -> bool:
        return self.altered is None

    def as_dict(self) -> dict[str, Any]:
        return {
            "service": self.service,
            "status": "intact" if self.intact else "altered",
            "events_checked": self.events_checked,
            "seals_checked": self.seals_checked,
            "expected_heads_checked": self.expectations_checked,
            "sealed_up_to": self.sealed_up_to,
            "not_yet_sealed": self.not_yet_sealed,
            "head": self.head.as_dict() if self.head else None,
            "altered": self.altered.as_dict() if self.altered else None,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> VerifyReport:
        altered, head = data.get("altered"), data.get("head")
        return cls(
            service=data["service"],
            events_checked=data["events_checked"],
            seals_checked=data["seals_checked"],
            expectations_checked=data["expected_heads_checked"],
            sealed_up_to=data["sealed_up_to"],
            not_yet_sealed=data["not_yet_sealed"],
            head=Seal(head["notification_id"], head["chain"]) if head else None,
            altered=Altered(altered["from"], altered["to"], altered["reason"]) if altered else None,
        )


@dataclass(frozen=True)
class _Checkpoint:
    up_to: int
    chain: str
    kept_by_auditor: bool

    def mismatch(self, since: int) -> Altered:
        kept, since_when = ("the head kept", "kept") if self.kept_by_auditor else ("the seal", "sealed")
        reason = (
            f"the chain does not match {kept} up to notification {self.up_to}: "
            f"changed, removed or added since it was {since_when}"
        )
        return Altered(since + 1, self.up_to, reason)


def verify(
    app: Application[Any], service: str, expected: Sequence[Seal] = (), published_up_to: int = 0
) -> VerifyReport:
    """Recompute the chain over the whole log and compare it with every seal and every expected head.

    `published_up_to`: how far the relay has published; everything published was sealed first,
    so a last seal below it means seals were removed. Read it before calling: seals only grow.
    """
    seals = read_seals(app)
    report = VerifyReport(service, sealed_up_to=seals[-1].up_to if seals else 0)
    checkpoints = sorted(
        [_Checkpoint(s.up_to, s.chain, False) for s in seals] + [_Checkpoint(e.up_to, e.chain, True) for e in expected],
        key=lambda c: (c.up_to, c.kept_by_auditor),
    )
    pending = iter(checkpoints)
    checkpoint = next(pending, None)
    chain, last_id = GENESIS, 0
    matched = {False: 0, True: 0}  # up to where seals / kept heads matched: kept heads trust no seal

    def check(point: _Checkpoint) -> bool:
        if point.chain != chain.hex():
            since = matched[True] if point.kept_by_auditor else max(matched.values())
            report.altered = point.mismatch(since)
            return False
        matched[point.kept_by_auditor] = point.up_to
        if point.kept_by_auditor:
            report.expectations_checked += 1
        else:
            report.seals_checked += 1
        return True

    try:
        for notification in notifications_between(app, None, None):
            while checkpoint is not None and checkpoint.up_to < notification.id:
                if not check(checkpoint):
                    return report
                checkpoint = next(pending, None)
            chain, last_id = link(chain, notification), notification.id
            report.events_checked += 1
            if notification.id > report.sealed_up_to:
                report.not_yet_sealed += 1
    except (ValueError, TypeError):  # a record not even readable as a notification (SQLite keeps any type)
        to = checkpoint.up_to if checkpoint is not None else last_id + 1
        report.altered = Altered(
            last_id + 1, to, "a record in this range was altered so that it cannot even be read back"
        )
        return report
    while checkpoint is not None:
        if not check(checkpoint):
            return report
        checkpoint = next(pending, None)
    report.head = Seal(last_id, chain.hex())
    if published_up_to > report.sealed_up_to:
        report.altered = Altered(
            report.sealed_up_to + 1,
            published_up_to,
            f"published up to notification {published_up_to} but sealed only up to {report.sealed_up_to}: "
            "seals were removed, or the store predates sealing and its relay has not run since",
        )
    return report
