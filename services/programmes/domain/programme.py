"""A programme in the catalogue, and the places it has."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID, uuid5

from services.programmes.domain.errors import ProgrammeConflictError, ProgrammeFullError
from shared.domain import PathwayAggregate, Provenance

PROGRAMME_NAMESPACE = UUID("7e3a9c5b-1d2f-5e4a-b6c7-8d9e0f1a2b3c")


class Programme(PathwayAggregate):
    class Published(PathwayAggregate.Created):
        programme_id: str
        title: str
        kind: str
        setting: str
        capacity: int
        sessions_required: int

    class PlaceTaken(PathwayAggregate.Event):
        person_id: UUID

        def apply(self, programme: Programme) -> None:
            programme.participants.append(self.person_id)

    class PlaceFreed(PathwayAggregate.Event):
        person_id: UUID

        def apply(self, programme: Programme) -> None:
            programme.participants.remove(self.person_id)

    def __init__(
        self, programme_id: str, title: str, kind: str, setting: str, capacity: int, sessions_required: int, **_: Any
    ) -> None:
        self.programme_id = programme_id
        self.title = title
        self.kind = kind
        self.setting = setting
        self.capacity = capacity
        self.sessions_required = sessions_required
        self.participants: list[UUID] = []

    @staticmethod
    def id_for(programme_id: str) -> UUID:
        return uuid5(PROGRAMME_NAMESPACE, programme_id)

    @classmethod
    def publish(cls, details: dict[str, Any], by: Provenance, occurred_at: datetime) -> Programme:
        return cls._create(
            cls.Published, id=cls.id_for(details["programme_id"]), occurred_at=occurred_at, **details, **by.fields()
        )

    def details(self) -> dict[str, Any]:
        return {
            "programme_id": self.programme_id,
            "title": self.title,
            "kind": self.kind,
            "setting": self.setting,
            "capacity": self.capacity,
            "sessions_required": self.sessions_required,
        }

    def check_same_publication(self, details: dict[str, Any]) -> None:
        differing = sorted(k for k, v in details.items() if self.details().get(k) != v)
        if differing:
            raise ProgrammeConflictError(f"programme_id: already published with different {', '.join(differing)}")

    def check_has_place(self) -> None:
        if len(self.participants) >= self.capacity:
            raise ProgrammeFullError(f"programme is full ({self.capacity} of {self.capacity} places taken)")

    def take_place(self, person_id: UUID, by: Provenance, occurred_at: datetime) -> None:
        self.check_has_place()
        self.record(self.PlaceTaken, by, occurred_at, person_id=person_id)

    def free_place(self, person_id: UUID, by: Provenance, occurred_at: datetime) -> None:
        if person_id in self.participants:
            self.record(self.PlaceFreed, by, occurred_at, person_id=person_id)
