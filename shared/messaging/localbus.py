"""The embedded transport: a small durable topic bus in one SQLite file.

It keeps the broker's promises that the relay and consumer rely on, so the
embedded mode runs the same code as RabbitMQ: publishing commits before it
returns (the confirm), a message stays in its queue until acked, and an unacked
message is delivered again after a crash. Queues and bindings are declared up
front; a message is copied into every queue whose binding matches its type.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from shared.contracts.envelope import Envelope
from shared.messaging.relay import Watermark
from shared.messaging.topology import topic_matches

_SCHEMA = """
CREATE TABLE IF NOT EXISTS bindings (queue TEXT NOT NULL, pattern TEXT NOT NULL, PRIMARY KEY (queue, pattern));
CREATE TABLE IF NOT EXISTS messages (
    tag INTEGER PRIMARY KEY AUTOINCREMENT,
    queue TEXT NOT NULL,
    routing_key TEXT NOT NULL,
    body BLOB NOT NULL,
    deliveries INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS messages_by_queue ON messages (queue, tag);
"""


@dataclass(frozen=True)
class Delivery:
    tag: int
    routing_key: str
    body: bytes
    redelivered: bool


class LocalBus:
    def __init__(self, path: Path) -> None:
        self._db = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False, timeout=30)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)
        self._bindings = self._load_bindings()

    def close(self) -> None:
        self._db.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def _load_bindings(self) -> list[tuple[str, str]]:
        return list(self._db.execute("SELECT queue, pattern FROM bindings ORDER BY queue, pattern"))

    def declare(self, queue: str, patterns: Sequence[str]) -> None:
        """Create a queue with its bindings (idempotent), before anything is published to it."""
        with self._transaction() as db:
            db.executemany("INSERT OR IGNORE INTO bindings VALUES (?, ?)", [(queue, p) for p in patterns])
        self._bindings = self._load_bindings()

    def queues(self) -> list[str]:
        return sorted({queue for queue, _ in self._bindings})

    def publish(self, envelopes: Sequence[Envelope], watermark: Watermark | None = None) -> None:
        """Route and store all of them in one transaction: when this returns, they are confirmed.

        Watermarks are not needed here: the embedded runner settles by reading the stores.
        """
        rows = []
        for envelope in envelopes:
            body = envelope.to_bytes()
            for queue in sorted({q for q, pattern in self._bindings if topic_matches(pattern, envelope.type)}):
                rows.append((queue, envelope.type, body))
        with self._transaction() as db:
            db.executemany("INSERT INTO messages (queue, routing_key, body) VALUES (?, ?, ?)", rows)

    def fetch(self, queue: str, limit: int = 100) -> list[Delivery]:
        """The oldest unacked messages of a queue; they stay there until acked."""
        with self._transaction() as db:
            rows = list(
                db.execute(
                    "SELECT tag, routing_key, body, deliveries FROM messages WHERE queue = ? ORDER BY tag LIMIT ?",
                    (queue, limit),
                )
            )
            db.executemany("UPDATE messages SET deliveries = deliveries + 1 WHERE tag = ?", [(r[0],) for r in rows])
        return [Delivery(tag, key, bytes(body), deliveries > 0) for tag, key, body, deliveries in rows]

    def ack(self, tags: Sequence[int]) -> None:
        with self._transaction() as db:
            db.executemany("DELETE FROM messages WHERE tag = ?", [(tag,) for tag in tags])

    def queues_with_messages(self) -> list[str]:
        return [queue for (queue,) in self._db.execute("SELECT DISTINCT queue FROM messages ORDER BY queue")]

    def depth(self, queue: str) -> int:
        (count,) = self._db.execute("SELECT COUNT(*) FROM messages WHERE queue = ?", (queue,)).fetchone()
        return int(count)
