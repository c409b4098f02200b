"""Read models folded from a store's events: reports answer from them.

A read model can always be rebuilt by folding the store from the first event (`Fold.from_store`).
A running service keeps each one between queries (`KeptReadModels`) and, before answering, folds
only what was recorded since: a report costs the events since the last one, not the whole log.
The answer is the same either way (a test checks every report both ways).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from copy import deepcopy
from typing import Any, ClassVar, Self, TypeVar

from eventsourcing.application import Application

from shared.eventstore.reading import event_pages


class Fold:
    """Subclasses say how one event changes them (`apply`); `from_store` folds the whole store.

    `topics`, when set, limits the fold to the events it needs, so the others are not decoded.
    Queries on a fold must not change it: a kept fold answers many of them.
    """

    topics: ClassVar[frozenset[str]] = frozenset()
    position: int = 0  # the store's last notification folded in

    @classmethod
    def from_store(cls, app: Application[Any]) -> Self:
        return cls().caught_up(app)

    def caught_up(self, app: Application[Any]) -> Self:
        """Fold what the store recorded after this fold's position."""
        for events, position in event_pages(app, self.position, self.topics):
            self.apply_all(events)
            self.position = position
        return self

    def apply_all(self, events: Iterable[Any]) -> None:
        for event in events:
            self.apply(event)

    def apply(self, event: Any) -> None:
        raise NotImplementedError


Model = TypeVar("Model", bound=Fold)
Answer = TypeVar("Answer")


class KeptReadModels:
    """An application's read models, kept between queries and caught up before each answer.

    One lock covers catching up and answering, so two concurrent queries (threads, or nameko's
    green threads, which switch on the catch-up's reads) never fold the same events twice or read a
    half-folded model. Answers are copies: a caller changing one cannot change the kept model.
    """

    def __init__(self, app: Application[Any]) -> None:
        self._app = app
        self._models: dict[type[Fold], Fold] = {}
        self._lock = threading.Lock()

    def answer(self, kind: type[Model], query: Callable[[Model], Answer]) -> Answer:
        with self._lock:
            model = self._models.get(kind)
            if model is None:
                model = self._models[kind] = kind()
            assert isinstance(model, kind)
            try:
                model.caught_up(self._app)
            except BaseException:
                del self._models[kind]  # perhaps folded in part: the next query folds it afresh
                raise
            return deepcopy(query(model))
