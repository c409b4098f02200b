"""A unit within a facility and who is placed in it, by separation category."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID, uuid5

from services.intake.domain.errors import SeparationError
from services.intake.domain.separation import describe, kept_apart
from shared.domain import PathwayAggregate, Provenance

UNIT_NAMESPACE = UUID("c3d5f7a9-2e4b-5c6d-8e0f-3a5c7e9b1d2f")


class Unit(PathwayAggregate):
    class Opened(PathwayAggregate.Created):
        facility: str
        unit: str

    class Entered(PathwayAggregate.Event):
        person_id: UUID
        category: str

        def apply(self, unit: Unit) -> None:
            unit.occupants[str(self.person_id)] = self.category

    class Left(PathwayAggregate.Event):
        person_id: UUID
        reason: str

        def apply(self, unit: Unit) -> None:
            unit.occupants.pop(str(self.person_id), None)

    def __init__(self, facility: str, unit: str, **_: Any) -> None:
        self.facility = facility
        self.unit = unit
        self.occupants: dict[str, str] = {}  # person id -> separation key (services/intake/domain/separation.py)

    @staticmethod
    def id_for(facility: str, unit: str) -> UUID:
        return uuid5(UNIT_NAMESPACE, f"{facility}:{unit}")

    @classmethod
    def open(cls, facility: str, unit: str, by: Provenance, now: datetime) -> Unit:
        return cls._create(cls.Opened, id=cls.id_for(facility, unit), facility=facility, unit=unit,
                           occurred_at=now, **by.fields())  # fmt: skip

    def check_separation(self, person_id: UUID, key: str) -> None:
        for person, placed in sorted(self.occupants.items()):
            apart = kept_apart(placed, key) if person != str(person_id) else None
            if apart is not None:
                theirs, mine = apart
                raise SeparationError(
                    f"placement refused: unit {self.unit} of {self.facility} holds {describe(theirs)}, "
                    f"who are kept apart from {describe(mine)} (Mandela Rules 11, 112)"
                )

    def enter(self, person_id: UUID, key: str, by: Provenance, when: datetime) -> None:
        """Place someone by their separation key (`Entered.category` keeps it: the legal category alone, in
        records from before the sex and age groups were kept)."""
        self.check_separation(person_id, key)
        self.record(self.Entered, by, when, person_id=person_id, category=key)

    def leave(self, person_id: UUID, reason: str, by: Provenance, when: datetime) -> None:
        if str(person_id) in self.occupants:
            self.record(self.Left, by, when, person_id=person_id, reason=reason)
