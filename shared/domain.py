"""The base every service's aggregates build on: who did it, when, and why.

Only eventsourcing and the standard library, so that the services' domain
packages stay free of infrastructure. Every stored event carries its business
time (`occurred_at`), the actor, and the correlation and causation ids: the
envelope of a public event and the replay read them from here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any
from uuid import UUID, uuid4

from eventsourcing.domain import Aggregate


@dataclass(frozen=True)
class Provenance:
    """Who caused a change and in which chain of causes it sits."""

    actor: dict[str, str]
    correlation_id: str = field(default_factory=lambda: str(uuid4()))
    causation_id: str | None = None

    def fields(self) -> dict[str, Any]:
        return {
            "actor": dict(self.actor),
            "correlation_id": self.correlation_id,
            "causation_id": self.causation_id,
        }


def differing(known: dict[str, Any], this: dict[str, Any]) -> list[str]:
    """The names whose values `this` gives otherwise than `known`: why a reused business id is a conflict,
    named without echoing either value."""
    return sorted(name for name, value in this.items() if known.get(name) != value)


def start_of_day(day: date) -> datetime:
    """Business dates become instants at midnight UTC, so every event has a time."""
    return datetime.combine(day, time(0, 0), tzinfo=UTC)


class PathwayAggregate(Aggregate):
    """An aggregate whose events all carry provenance and business time."""

    class Event(Aggregate.Event):
        occurred_at: datetime
        actor: dict[str, str]
        correlation_id: str
        causation_id: str | None

    class Created(Event, Aggregate.Created):
        pass

    class SourceCodesNoted(Event):
        """The sending agency's own codes beside enumerated values of the command that made this change
        (docs/DOMAIN.md: national code tables map to ours without loss). Changes nothing else."""

        command: str
        codes: dict[str, str]
        person_id: UUID | None

    def note_source_codes(
        self, command: str, codes: dict[str, str], person_id: UUID | None, by: Provenance, occurred_at: datetime
    ) -> None:
        self.record(self.SourceCodesNoted, by, occurred_at, command=command, codes=dict(codes), person_id=person_id)

    def record(self, event_class: type[Any], by: Provenance, occurred_at: datetime, **data: Any) -> None:
        """Trigger an event of this aggregate with its provenance attached."""
        self.trigger_event(event_class, occurred_at=occurred_at, **by.fields(), **data)
