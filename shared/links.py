"""Merged records of one person, as every service keeps them.

Duplicate records happen in every real system: a person decides that two
records are one (`merge_persons`), and may undo it (`unmerge_persons`).
Nothing is rewritten: each service keeps a link per person, resolves a merged
id to the surviving one, and reads a survivor's history together with the
histories of the records merged into it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from uuid import UUID, uuid5

from shared.domain import PathwayAggregate, Provenance

LINK_NAMESPACE = UUID("d4e6a8c0-3f5b-5d7e-9f1a-4b6d8f0a2c4e")


class PersonLink(PathwayAggregate):
    class Started(PathwayAggregate.Created):
        person_id: UUID

    class MergedInto(PathwayAggregate.Event):
        survivor: UUID

        def apply(self, link: PersonLink) -> None:
            link.merged_into = self.survivor

    class SeparatedFrom(PathwayAggregate.Event):
        survivor: UUID

        def apply(self, link: PersonLink) -> None:
            link.merged_into = None

    class Absorbed(PathwayAggregate.Event):
        merged: UUID

        def apply(self, link: PersonLink) -> None:
            link.absorbed.append(self.merged)

    class Released(PathwayAggregate.Event):
        merged: UUID

        def apply(self, link: PersonLink) -> None:
            link.absorbed.remove(self.merged)

    def __init__(self, person_id: UUID, **_: Any) -> None:
        self.person_id = person_id
        self.merged_into: UUID | None = None
        self.absorbed: list[UUID] = []

    @staticmethod
    def id_for(person_id: UUID) -> UUID:
        return uuid5(LINK_NAMESPACE, str(person_id))

    @classmethod
    def start(cls, person_id: UUID, by: Provenance, when: datetime) -> PersonLink:
        return cls._create(cls.Started, id=cls.id_for(person_id), person_id=person_id, occurred_at=when, **by.fields())


Loader = Callable[[UUID], Any]


def link_of(load: Loader, person_id: UUID, by: Provenance, when: datetime) -> PersonLink:
    link: PersonLink | None = load(PersonLink.id_for(person_id))
    return link if link is not None else PersonLink.start(person_id, by, when)


def merge(load: Loader, survivor: UUID, merged: UUID, by: Provenance, when: datetime) -> list[PersonLink]:
    """Link `merged` into `survivor`; nothing changes if it already is."""
    kept, gone = link_of(load, survivor, by, when), link_of(load, merged, by, when)
    if gone.merged_into == survivor:
        return []
    gone.record(gone.MergedInto, by, when, survivor=survivor)
    kept.record(kept.Absorbed, by, when, merged=merged)
    return [kept, gone]


def unmerge(load: Loader, survivor: UUID, merged: UUID, by: Provenance, when: datetime) -> list[PersonLink]:
    """Undo a merge; nothing changes if the two are not linked."""
    kept, gone = link_of(load, survivor, by, when), link_of(load, merged, by, when)
    if gone.merged_into != survivor:
        return []
    gone.record(gone.SeparatedFrom, by, when, survivor=survivor)
    kept.record(kept.Released, by, when, merged=merged)
    return [kept, gone]


def survivor_of(load: Loader, person_id: UUID) -> UUID:
    """The record a person's id now stands for (itself unless merged)."""
    seen = {person_id}
    link: PersonLink | None = load(PersonLink.id_for(person_id))
    while link is not None and link.merged_into is not None and link.merged_into not in seen:
        person_id = link.merged_into
        seen.add(person_id)
        link = load(PersonLink.id_for(person_id))
    return person_id


def records_of(load: Loader, person_id: UUID) -> list[UUID]:
    """The surviving record of a person and every record merged into it, survivor first."""
    root = survivor_of(load, person_id)
    found, frontier = [root], [root]
    while frontier:
        link: PersonLink | None = load(PersonLink.id_for(frontier.pop()))
        for merged in link.absorbed if link is not None else []:
            if merged not in found:
                found.append(merged)
                frontier.append(merged)
    return found
