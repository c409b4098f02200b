"""Every programme ever published, by id: the catalogue a plan's proposals look through."""

from __future__ import annotations

from typing import Any, ClassVar

from eventsourcing.utils import get_topic

from services.programmes.domain.programme import Programme
from shared.eventstore.readmodel import Fold


class ProgrammeIds(Fold):
    topics: ClassVar[frozenset[str]] = frozenset(get_topic(e) for e in (Programme.Published, Programme.Catalogued))

    def __init__(self) -> None:
        self.ids: list[str] = []

    def apply(self, event: Any) -> None:
        if isinstance(event, Programme.Published | Programme.Catalogued):
            self.ids.append(event.programme_id)
