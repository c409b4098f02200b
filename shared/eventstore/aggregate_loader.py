"""How an application loads an aggregate: from its latest snapshot and the events after it, folded directly.

Folded directly, not through eventsourcing's repository, which asserts a runtime Protocol on every event:
that cost more than decoding it. Where to start from, best first: a copy this process kept of the latest
snapshot it used (shared/eventstore/recent_snapshots.py), the latest usable snapshot in the store
(shared/eventstore/snapshots.py), or the first event. Whatever goes wrong with a snapshot, the aggregate
is folded from its first event, as it was before snapshots: they save time, and are never the record.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import EventStore, IntegrityError, Recording

from shared.eventstore.recent_snapshots import RecentSnapshots
from shared.eventstore.snapshots import PathwaySnapshot, SnapshotOutOfDateError

log = logging.getLogger(__name__)


class AggregateLoader:
    def __init__(self, events: EventStore[UUID], snapshots: EventStore[UUID] | None, interval: int) -> None:
        """`snapshots`: eventsourcing's snapshot store, None when snapshots are off (`interval` 0)."""
        self.events = events
        self.snapshots = snapshots if interval else None
        self.interval = interval
        self.recent = RecentSnapshots()

    def load(self, aggregate_id: UUID, upto: int | None = None) -> Any:
        """The aggregate as its events up to version `upto` (all, by default) make it; None if never created."""
        aggregate, after = self._starting_point(aggregate_id, upto)
        folded = 0
        try:
            for event in self.events.get(aggregate_id, gt=after, lte=upto):
                aggregate = event.mutate(aggregate)  # type: ignore[attr-defined]
                folded += 1
        except Exception as problem:
            if after is None:
                raise
            self._passed_over(aggregate_id, problem)  # a snapshot that does not fold on is no snapshot to use
            return self._from_first_event(aggregate_id, upto)
        if after is not None and folded >= self.interval:
            self.recent.forget(aggregate_id)  # the store has a later snapshot by now: read it next time
        return aggregate

    def take(self, aggregate_id: UUID, version: int | None = None) -> None:
        """Snapshot the aggregate as its events up to `version` (all, by default) make it: folded from the
        store, not as a command holds it, which could differ from what its events make."""
        if self.snapshots is None:
            raise ValueError("snapshots are off here (SNAPSHOT_INTERVAL)")
        aggregate = self.load(aggregate_id, upto=version)
        if aggregate is None:
            raise AggregateNotFoundError(f"no aggregate {aggregate_id}")
        snapshot = PathwaySnapshot.take(aggregate)
        self.recent.keep(aggregate)
        self.snapshots.put([snapshot])

    def take_due(self, recordings: Iterable[Recording[UUID]]) -> None:
        """After a save: a snapshot of each aggregate whose saved events reached a multiple of the interval (at
        the highest such version). Never fails the save, whose events are recorded already."""
        if self.snapshots is None:
            return
        due: dict[UUID, int] = {}
        for recording in recordings:
            event = recording.domain_event
            if event.originator_version % self.interval == 0:
                due[event.originator_id] = max(event.originator_version, due.get(event.originator_id, 0))
        for aggregate_id, version in due.items():
            try:
                self.take(aggregate_id, version)
            except IntegrityError:
                pass  # another process took this very snapshot
            except Exception as problem:  # noqa: BLE001 - the save is done; a snapshot is only an optimisation
                log.warning("a snapshot was not taken (%s); commands fold from an earlier one", type(problem).__name__)

    def _starting_point(self, aggregate_id: UUID, upto: int | None) -> tuple[Any, int | None]:
        """An aggregate to fold on from, and its version; (None, None): from the first event."""
        if self.snapshots is None:
            return None, None
        recent = self.recent.get(aggregate_id, upto)
        if recent is not None:
            return recent
        try:
            latest = next(self.snapshots.get(aggregate_id, desc=True, limit=1, lte=upto), None)
            if latest is None:
                return None, None
            if not isinstance(latest, PathwaySnapshot):
                raise SnapshotOutOfDateError("the snapshot does not say which code took it")
            aggregate = latest.mutate(None)
        except Exception as problem:  # noqa: BLE001 - whatever makes a snapshot unusable, the events are there
            self._passed_over(aggregate_id, problem)
            return None, None
        self.recent.keep(aggregate)
        return aggregate, latest.originator_version

    def _from_first_event(self, aggregate_id: UUID, upto: int | None) -> Any:
        aggregate = None
        for event in self.events.get(aggregate_id, lte=upto):
            aggregate = event.mutate(aggregate)  # type: ignore[attr-defined]
        return aggregate

    def _passed_over(self, aggregate_id: UUID, problem: Exception) -> None:
        self.recent.forget(aggregate_id)
        # The kind of problem only: a message may quote the state, or name the person's aggregate.
        log.debug("a snapshot was passed over (%s): folded from the first event", type(problem).__name__)
