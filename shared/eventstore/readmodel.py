"""Read models rebuilt by folding a store's events from the first: reports answer from them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar, Self

from eventsourcing.application import Application

from shared.eventstore.reading import all_events


class Fold:
    """Subclasses say how one event changes them (`apply`); `from_store` folds the whole store.

    `topics`, when set, limits the fold to the events it needs, so the others are not decoded.
    """

    topics: ClassVar[frozenset[str]] = frozenset()

    @classmethod
    def from_store(cls, app: Application[Any]) -> Self:
        model = cls()
        model.apply_all(all_events(app, cls.topics))
        return model

    def apply_all(self, events: Iterable[Any]) -> None:
        for event in events:
            self.apply(event)

    def apply(self, event: Any) -> None:
        raise NotImplementedError
