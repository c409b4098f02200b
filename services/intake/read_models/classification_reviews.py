"""Overdue classification reviews (Mandela 93, 94): the read model behind the report.

Built by folding intake's notification log from the first event, like the
population register, so it can always be rebuilt; only the few event types it
needs are decoded. On a date D, a person is listed when they are in custody on
D and the classification in force then (the last one approved on or before D in
that custody) was due for review before D.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from uuid import UUID

from eventsourcing.utils import get_topic

from services.intake.domain.classification import Classification
from services.intake.domain.person import Person
from shared.eventstore.readmodel import Fold

FOLDED = (
    Person.Admitted,
    Person.CustodyEnded,
    Person.CustodyRestored,
    Classification.Proposed,
    Classification.Decided,
)
FOLDED_TOPICS = frozenset(get_topic(cls) for cls in FOLDED)


@dataclass
class Custody:
    since: datetime  # the admission's time: assessments name their custody by it
    until: date | None = None  # the day the person left: not in custody from that day on

    def covers(self, on: date) -> bool:
        return self.since.date() <= on and (self.until is None or on < self.until)


@dataclass
class Assessed:
    assessment_id: str
    custody_since: datetime
    assessed_on: date
    level: str
    next_review_due: date
    decided: tuple[str, date] | None = None  # (decision, decided_on)


@dataclass
class ClassificationRecord:
    custodies: list[Custody] = field(default_factory=list)
    assessments: list[Assessed] = field(default_factory=list)  # in recorded order

    def custody_on(self, on: date) -> Custody | None:
        return next((c for c in self.custodies if c.covers(on)), None)

    def in_custody(self, custody: Custody, on: date) -> list[Assessed]:
        return [a for a in self.assessments if a.custody_since == custody.since and a.assessed_on <= on]

    def in_force(self, custody: Custody, on: date) -> Assessed | None:
        approved = [
            a for a in self.in_custody(custody, on) if a.decided and a.decided[0] == "approved" and a.decided[1] <= on
        ]
        return approved[-1] if approved else None

    def pending(self, custody: Custody, on: date) -> Assessed | None:
        undecided = [a for a in self.in_custody(custody, on) if a.decided is None or a.decided[1] > on]
        return undecided[-1] if undecided else None


@dataclass(frozen=True)
class OverdueReview:
    person_id: UUID
    assessment_id: str  # the classification in force
    level: str
    next_review_due: date
    days_overdue: int
    review_pending: str | None  # an assessment proposed but not yet decided on the date

    def as_dict(self) -> dict[str, Any]:
        return {
            "person_id": str(self.person_id),
            "assessment_id": self.assessment_id,
            "level": self.level,
            "next_review_due": self.next_review_due.isoformat(),
            "days_overdue": self.days_overdue,
            "review_pending": self.review_pending,
        }


class ClassificationReviews(Fold):
    topics = FOLDED_TOPICS  # only what it needs is decoded

    def __init__(self) -> None:
        self.people: dict[UUID, ClassificationRecord] = {}
        self.by_assessment: dict[tuple[UUID, str], Assessed] = {}

    def apply(self, event: Any) -> None:
        if isinstance(event, Person.Admitted):
            self._person(event.originator_id).custodies.append(Custody(event.admitted_at))
        elif isinstance(event, Person.CustodyEnded):
            custodies = self._person(event.originator_id).custodies
            if custodies and custodies[-1].until is None:
                custodies[-1].until = event.released_on
        elif isinstance(event, Person.CustodyRestored):
            custodies = self._person(event.originator_id).custodies
            if custodies and custodies[-1].until == event.released_on:
                custodies[-1].until = None  # the release was recorded in error
        elif isinstance(event, Classification.Proposed):
            assessed = Assessed(
                event.assessment_id, event.custody_since, event.assessed_on, event.proposed_level, event.next_review_due
            )
            self._person(event.person_id).assessments.append(assessed)
            self.by_assessment[(event.person_id, event.assessment_id)] = assessed
        elif isinstance(event, Classification.Decided):
            self.by_assessment[(event.person_id, event.assessment_id)].decided = (event.decision, event.decided_on)

    def _person(self, person_id: UUID) -> ClassificationRecord:
        return self.people.setdefault(person_id, ClassificationRecord())

    def overdue_on(self, on: date) -> list[OverdueReview]:
        """Those in custody on `on` whose classification in force was due for review before `on`; most overdue first."""
        overdue = []
        for person_id, record in self.people.items():
            custody = record.custody_on(on)
            if custody is None:
                continue
            current = record.in_force(custody, on)
            if current is None or current.next_review_due >= on:
                continue
            pending = record.pending(custody, on)
            overdue.append(
                OverdueReview(
                    person_id,
                    current.assessment_id,
                    current.level,
                    current.next_review_due,
                    (on - current.next_review_due).days,
                    pending.assessment_id if pending else None,
                )
            )
        return sorted(overdue, key=lambda r: (r.next_review_due, str(r.person_id)))
