"""One command's or one reaction's work: the aggregates it loaded, and one atomic save of what changed.

Handlers and reactions load every aggregate through the unit of work, so each
is loaded once (an identity map) and a change made through any reference to
it is the change that is saved. On commit, every aggregate with pending
events is saved in one transaction, together with the command's receipt or
the consumer's tracking record: all of it, or none of it (docs/GUARANTEES.md).

Events are saved in the order their aggregates were first loaded or added,
which is the order the rules touched them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Protocol, TypeVar
from uuid import UUID

from eventsourcing.domain import Aggregate
from eventsourcing.persistence import Tracking

from shared.errors import PathwayError

A = TypeVar("A", bound=Aggregate)


class Store(Protocol):
    """What a unit of work needs of an application: fold an aggregate, and save events atomically."""

    def get_or_none(self, aggregate_id: UUID) -> Any: ...

    def save_tracked(self, aggregates: Iterable[Aggregate], tracking: Tracking | None) -> None: ...


class UnitOfWork:
    def __init__(self, store: Store) -> None:
        self._store = store
        # aggregate id -> the one instance (None: looked for, not there); insertion order is save order
        self._loaded: dict[UUID, Any] = {}

    def get_or_none(self, aggregate_id: UUID) -> Any:
        """The aggregate, the same instance every time in this unit of work; None if it was never created."""
        if aggregate_id not in self._loaded or self._loaded[aggregate_id] is None:
            self._loaded[aggregate_id] = self._store.get_or_none(aggregate_id)
        return self._loaded[aggregate_id]

    def view(self) -> UnitOfWork:
        """A unit of work for reading only, through this one: it sees this one's aggregates (with their changes
        not yet saved), and what it loads besides is not added to this one's save order."""
        return _ReadThrough(self)

    def get(self, aggregate_id: UUID, missing: Callable[[], PathwayError]) -> Any:
        """The aggregate, or the error `missing` makes (naming the field that named it)."""
        found = self.get_or_none(aggregate_id)
        if found is None:
            raise missing()
        return found

    def add(self, aggregate: A) -> A:
        """A new aggregate, saved with the rest on commit."""
        known = self._loaded.get(aggregate.id)
        if known is not None and known is not aggregate:
            raise ValueError(f"another instance of aggregate {aggregate.id} is already in this unit of work")
        self._loaded[aggregate.id] = aggregate
        return aggregate

    def add_all(self, aggregates: Iterable[Aggregate]) -> None:
        for aggregate in aggregates:
            self.add(aggregate)

    def changed(self) -> list[Aggregate]:
        """The aggregates with events not yet saved, in the order they came into this unit of work."""
        return [a for a in self._loaded.values() if a is not None and a.pending_events]

    def has_changes(self) -> bool:
        return bool(self.changed())

    def commit(self, tracking: Tracking | None = None) -> None:
        """Save every changed aggregate, with the tracking record of the message that caused them, in one
        transaction. A tracking record is saved even when nothing changed: the message was handled."""
        changed = self.changed()
        if changed or tracking is not None:
            self._store.save_tracked(changed, tracking)


class _ReadThrough(UnitOfWork):
    def __init__(self, through: UnitOfWork) -> None:
        super().__init__(through._store)
        self._through = through

    def get_or_none(self, aggregate_id: UUID) -> Any:
        if self._through._loaded.get(aggregate_id) is not None:
            return self._through._loaded[aggregate_id]
        return super().get_or_none(aggregate_id)

    def commit(self, tracking: Tracking | None = None) -> None:
        raise TypeError("a read-through view is for reading only")
