"""Dead letters, kept in the consuming service's own store.

A message whose reaction keeps failing is set aside in its subject's
quarantine, in the same transaction as its tracking record: it is then neither
lost nor applied. While a person has a message set aside, their later messages
are held behind it, so that replaying the dead letter after a fix applies that
person's events in the order their source recorded them.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid5

from shared.domain import PathwayAggregate, Provenance

DEAD_LETTER_NAMESPACE = UUID("5c2d8e1f-7a3b-5c4d-9e6f-1a2b3c4d5e6f")
SYSTEM = Provenance(actor={"id": "tracked-consumer", "role": "system", "agency": "pathway"})


def _now() -> datetime:
    return datetime.now(UTC)


class Quarantine(PathwayAggregate):
    """The messages set aside for one subject (a person, or none), oldest first."""

    class Opened(PathwayAggregate.Created):
        subject: str

    class MessageSetAside(PathwayAggregate.Event):
        event_id: str
        envelope: str
        reason: str
        held: bool

        def apply(self, aggregate: Quarantine) -> None:
            state = "held" if self.held else "failed"
            aggregate.parked.append(
                {"event_id": self.event_id, "envelope": self.envelope, "reason": self.reason, "state": state}
            )

    class ReplayFailed(PathwayAggregate.Event):
        event_id: str
        reason: str

        def apply(self, aggregate: Quarantine) -> None:
            for entry in aggregate.parked:
                if entry["event_id"] == self.event_id:
                    entry["state"], entry["reason"] = "failed", self.reason

    class MessageReleased(PathwayAggregate.Event):
        event_id: str

        def apply(self, aggregate: Quarantine) -> None:
            aggregate.parked = [e for e in aggregate.parked if e["event_id"] != self.event_id]

    class MessageDiscarded(PathwayAggregate.Event):
        """Set aside for good by an operator (the event's actor), with why: it will never be applied."""

        event_id: str
        reason: str

        def apply(self, aggregate: Quarantine) -> None:
            aggregate.parked = [e for e in aggregate.parked if e["event_id"] != self.event_id]

    def __init__(self, subject: str, **_: Any) -> None:
        self.subject = subject
        self.parked: list[dict[str, Any]] = []

    @staticmethod
    def id_for(subject: str) -> UUID:
        return uuid5(DEAD_LETTER_NAMESPACE, f"quarantine:{subject}")

    @classmethod
    def open(cls, subject: str) -> Quarantine:
        return cls._create(cls.Opened, id=cls.id_for(subject), subject=subject, occurred_at=_now(), **SYSTEM.fields())

    @property
    def is_open(self) -> bool:
        return bool(self.parked)

    def holds(self, event_id: str) -> bool:
        return any(entry["event_id"] == event_id for entry in self.parked)

    def set_aside(self, event_id: str, envelope: str, reason: str, *, held: bool) -> None:
        self.record(
            self.MessageSetAside, SYSTEM, _now(), event_id=event_id, envelope=envelope, reason=reason, held=held
        )

    def replay_failed(self, event_id: str, reason: str) -> None:
        self.record(self.ReplayFailed, SYSTEM, _now(), event_id=event_id, reason=reason)

    def entry(self, event_id: str) -> dict[str, Any] | None:
        return next((entry for entry in self.parked if entry["event_id"] == event_id), None)

    def release(self, event_id: str, by: Provenance = SYSTEM) -> None:
        self.record(self.MessageReleased, by, _now(), event_id=event_id)

    def discard(self, event_id: str, reason: str, by: Provenance) -> None:
        self.record(self.MessageDiscarded, by, _now(), event_id=event_id, reason=reason)


class DeadLetterIndex(PathwayAggregate):
    """Which subjects have messages set aside, so an operator can list them without a scan."""

    ID = uuid5(DEAD_LETTER_NAMESPACE, "index")

    class Started(PathwayAggregate.Created):
        pass

    class SubjectOpened(PathwayAggregate.Event):
        subject: str

        def apply(self, aggregate: DeadLetterIndex) -> None:
            aggregate.subjects.append(self.subject)

    class SubjectCleared(PathwayAggregate.Event):
        subject: str

        def apply(self, aggregate: DeadLetterIndex) -> None:
            aggregate.subjects.remove(self.subject)

    def __init__(self, **_: Any) -> None:
        self.subjects: list[str] = []

    @classmethod
    def start(cls) -> DeadLetterIndex:
        return cls._create(cls.Started, id=cls.ID, occurred_at=_now(), **SYSTEM.fields())

    def opened(self, subject: str) -> None:
        if subject not in self.subjects:
            self.record(self.SubjectOpened, SYSTEM, _now(), subject=subject)

    def cleared(self, subject: str) -> None:
        if subject in self.subjects:
            self.record(self.SubjectCleared, SYSTEM, _now(), subject=subject)
