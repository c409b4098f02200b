"""Programmes' read model: places in use, waiting lists and completion per programme.

Built by folding the programmes store from its first notification, so it can
always be rebuilt from scratch; the application keeps it between queries, caught up with what was recorded since.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from services.programmes.domain.learner import Learner
from services.programmes.domain.programme import Programme
from shared.eventstore.readmodel import Fold


@dataclass
class ProgrammeFigures:
    programme_id: str
    capacity: int
    participants: set[UUID] = field(default_factory=set)  # open enrolments: places in use
    waiting: set[UUID] = field(default_factory=set)
    completed: int = 0
    dropped_out: int = 0  # participations ended any other way than completed

    @property
    def completion_rate(self) -> float | None:
        ended = self.completed + self.dropped_out
        return self.completed / ended if ended else None

    def as_dict(self) -> dict[str, Any]:
        """The report's JSON fields."""
        return {
            "programme_id": self.programme_id,
            "capacity": self.capacity,
            "enrolled": len(self.participants),
            "waiting": len(self.waiting),
            "completed": self.completed,
            "dropped_out": self.dropped_out,
            "completion_rate": self.completion_rate,
        }


class ProgrammesReadModel(Fold):
    def __init__(self) -> None:
        self.programmes: dict[str, ProgrammeFigures] = {}
        self.by_aggregate: dict[UUID, str] = {}  # programme aggregate id -> programme id

    def apply(self, event: Any) -> None:
        if isinstance(event, Programme.Published | Programme.Catalogued):
            self.programmes[event.programme_id] = ProgrammeFigures(event.programme_id, event.capacity)
            self.by_aggregate[event.originator_id] = event.programme_id
        elif isinstance(event, Programme.Revised) and "capacity" in event.changes:
            self._of(event.originator_id).capacity = event.changes["capacity"]
        elif isinstance(event, Programme.PlaceTaken):
            self._of(event.originator_id).participants.add(event.person_id)
        elif isinstance(event, Programme.PlaceFreed):
            self._of(event.originator_id).participants.discard(event.person_id)
        elif isinstance(event, Programme.Waitlisted):
            self._of(event.originator_id).waiting.add(event.person_id)
        elif isinstance(event, Programme.WaitlistLeft):
            self._of(event.originator_id).waiting.discard(event.person_id)
        elif isinstance(event, Learner.ProgrammeCompleted) and event.programme_id in self.programmes:
            self.programmes[event.programme_id].completed += 1
        elif isinstance(event, Learner.EnrolmentWithdrawn) and event.programme_id in self.programmes:
            self.programmes[event.programme_id].dropped_out += 1

    def _of(self, aggregate_id: UUID) -> ProgrammeFigures:
        return self.programmes[self.by_aggregate[aggregate_id]]

    def figures(self) -> list[ProgrammeFigures]:
        return [self.programmes[programme_id] for programme_id in sorted(self.programmes)]
