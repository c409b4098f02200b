"""The aggregates this process lately restored from a snapshot (or snapshotted), kept as they were then.

A snapshot is read for every command on its aggregate, and a long history makes a large state: for a
learning record of 2,000 events, reading and decoding it from the store took 1.3 ms and restoring it 2.2
ms, against 0.5 ms from here. What is kept is an aggregate as folding its events up to a snapshot's
version made it, never as a command then changed it; whoever loads it still reads the events after that
version from the store, so a copy kept here is never stale, only older than the store's latest snapshot
(and forgotten once the events after it reach the interval: the store's latest is read again).

Kept with pickle, here only: its bytes are made by this process from objects it made, and never leave its
memory. The store holds JSON (shared/eventstore/snapshot_state.py): a pickle read from a database could
run code.
"""

from __future__ import annotations

import pickle
import threading
from collections import OrderedDict
from typing import Any
from uuid import UUID

# Memory for the kept copies, per application: the least recently used go first. A learning record of
# 2,000 events pickles to about 60 kB, so this keeps a few hundred long histories.
BUDGET_BYTES = 32 * 1024 * 1024


class RecentSnapshots:
    def __init__(self, budget_bytes: int = BUDGET_BYTES) -> None:
        self._budget = budget_bytes
        self._used = 0
        self._kept: OrderedDict[UUID, tuple[int, bytes]] = OrderedDict()  # id -> (version, pickled)
        self._lock = threading.Lock()

    def get(self, aggregate_id: UUID, upto: int | None = None) -> tuple[Any, int] | None:
        """A fresh copy of the aggregate kept, and its version; None if none is kept (at `upto` or before)."""
        with self._lock:
            kept = self._kept.get(aggregate_id)
            if kept is None or (upto is not None and kept[0] > upto):
                return None
            self._kept.move_to_end(aggregate_id)
        version, pickled = kept
        cls, state = pickle.loads(pickled)  # noqa: S301 - made by this process (module docstring)
        aggregate = object.__new__(cls)
        object.__setattr__(aggregate, "__dict__", state)
        return aggregate, version

    def keep(self, aggregate: Any) -> None:
        """Keep a copy of `aggregate` as it is now: as folded up to a snapshot's version, and unchanged since."""
        if self._budget <= 0:
            return
        try:
            pickled = pickle.dumps((type(aggregate), vars(aggregate)), protocol=pickle.HIGHEST_PROTOCOL)
        except (pickle.PicklingError, TypeError, AttributeError):
            return  # a class of its own in a function, a lock...: loaded from the store each time instead
        if len(pickled) > self._budget:
            return
        with self._lock:
            self._drop(aggregate.id)
            self._kept[aggregate.id] = (aggregate.version, pickled)
            self._used += len(pickled)
            while self._used > self._budget:
                self._drop(next(iter(self._kept)))

    def forget(self, aggregate_id: UUID) -> None:
        with self._lock:
            self._drop(aggregate_id)

    def _drop(self, aggregate_id: UUID) -> None:
        kept = self._kept.pop(aggregate_id, None)
        if kept is not None:
            self._used -= len(kept[1])
