"""A facility and its declared capacity over time (Mandela Rule 10: occupancy against capacity)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID, uuid5

from shared.domain import PathwayAggregate, Provenance

FACILITY_NAMESPACE = UUID("b2c4e6a8-1f3d-5b7c-9e0a-2c4e6a8b1d3f")


class Facility(PathwayAggregate):
    """Each declaration of capacity holds from its effective date.

    Without an effective date, the first declaration holds for all dates and a
    later one from the day it was recorded.
    """

    class Declared(PathwayAggregate.Created):
        facility: str
        name: str
        capacity: int
        effective_on: date | None
        recorded_on: date

    class Redeclared(PathwayAggregate.Event):
        facility: str
        name: str
        capacity: int
        effective_on: date | None
        recorded_on: date

        def apply(self, facility: Facility) -> None:
            facility.name = self.name
            facility.declarations.append(
                {"capacity": self.capacity, "effective_on": self.effective_on, "recorded_on": self.recorded_on}
            )

    def __init__(
        self, facility: str, name: str, capacity: int, effective_on: date | None, recorded_on: date, **_: Any
    ) -> None:
        self.facility = facility
        self.name = name
        self.declarations: list[dict[str, Any]] = [
            {"capacity": capacity, "effective_on": effective_on, "recorded_on": recorded_on}
        ]

    @staticmethod
    def id_for(facility: str) -> UUID:
        return uuid5(FACILITY_NAMESPACE, facility)

    @classmethod
    def declare(
        cls, facility: str, name: str, capacity: int, effective_on: date | None, by: Provenance, now: datetime
    ) -> Facility:
        return cls._create(
            cls.Declared,
            id=cls.id_for(facility),
            facility=facility,
            name=name,
            capacity=capacity,
            effective_on=effective_on,
            recorded_on=now.date(),
            occurred_at=now,
            **by.fields(),
        )

    def redeclare(self, name: str, capacity: int, effective_on: date | None, by: Provenance, now: datetime) -> None:
        """A new declaration, unless it repeats one already recorded."""
        for known in self.declarations:
            if known["capacity"] == capacity and known["effective_on"] == effective_on and self.name == name:
                return
        self.record(
            self.Redeclared,
            by,
            now,
            facility=self.facility,
            name=name,
            capacity=capacity,
            effective_on=effective_on,
            recorded_on=now.date(),
        )
