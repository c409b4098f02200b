"""Which person records intake merged into which, as release's read models see it.

Release follows intake's merges with a `PersonLink` per record (shared/links.py). A read model
folds the links' events with the rest, so it can count a person once: every record is reported
under the record it now stands for (its survivor), with the facts of all its records together.
A merge undone separates them again. Merges are identity, not history: a report on any date
uses the links as they stand now.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, Protocol, TypeVar
from uuid import UUID

from shared.links import PersonLink


class Absorbing(Protocol):
    def absorb(self, other: Any) -> None:
        """Add another record's facts to this one's."""


Facts = TypeVar("Facts", bound=Absorbing)


class MergedRecords:
    def __init__(self) -> None:
        self._person_of_link: dict[UUID, UUID] = {}
        self._merged_into: dict[UUID, UUID] = {}

    def apply(self, event: Any) -> None:
        if isinstance(event, PersonLink.Started):
            self._person_of_link[event.originator_id] = event.person_id
        elif isinstance(event, PersonLink.MergedInto):
            self._merged_into[self._person_of_link[event.originator_id]] = event.survivor
        elif isinstance(event, PersonLink.SeparatedFrom):
            self._merged_into.pop(self._person_of_link[event.originator_id], None)

    def survivor(self, person_id: UUID) -> UUID:
        """The record `person_id` now stands for (itself unless merged), as `shared.links.survivor_of`."""
        seen = {person_id}
        while (survivor := self._merged_into.get(person_id)) is not None and survivor not in seen:
            person_id = survivor
            seen.add(person_id)
        return person_id

    def people(self, person_ids: Iterable[UUID]) -> dict[UUID, list[UUID]]:
        """Each surviving record, with the records (its own first, if it has facts) that stand for it."""
        found: dict[UUID, list[UUID]] = {}
        for person_id in sorted(person_ids, key=str):
            found.setdefault(self.survivor(person_id), []).append(person_id)
        for survivor, records in found.items():
            if survivor in records:
                records.remove(survivor)
                records.insert(0, survivor)
        return dict(sorted(found.items(), key=lambda item: str(item[0])))

    def combined(self, records: Mapping[UUID, Facts], empty: Callable[[], Facts]) -> list[tuple[UUID, Facts]]:
        """One entry per person, under the record intake kept, with the facts of every record merged into it
        (so each person counts once)."""
        found = []
        for survivor, ids in self.people(records).items():
            person = empty()
            for record in ids:
                person.absorb(records[record])
            found.append((survivor, person))
        return found
