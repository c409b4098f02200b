"""The population register's read model: occupancy, overcrowding and pre-trial detention, for any date.

Built by folding intake's events from the start of its notification log, so
it can always be rebuilt from scratch; a report builds it afresh. Dates are
compared as given, in each event's own offset.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

from services.intake.domain.facility import Facility
from services.intake.domain.person import Person
from shared.dates import days_after
from shared.eventstore.readmodel import Fold


@dataclass
class Stay:
    facility: str
    since: date
    until: date | None = None  # the day the person left: not counted from that day on

    def covers(self, on: date) -> bool:
        return self.since <= on and (self.until is None or on < self.until)


@dataclass
class PersonRecord:
    stays: list[Stay] = field(default_factory=list)
    decisions: list[tuple[date, str]] = field(default_factory=list)  # (decided_on, kind), commitments only
    detail: dict[str, dict[str, Any]] = field(default_factory=dict)  # decision id -> the decision
    reviews: list[tuple[date, str, date | None]] = field(default_factory=list)  # (reviewed_on, decision, next)

    def stay_on(self, on: date) -> Stay | None:
        return next((stay for stay in self.stays if stay.covers(on)), None)

    def pretrial_since(self, on: date) -> date | None:
        """When pre-trial detention began, if on `on` the person is held under it with no sentence yet."""
        decided = [d for d in self.decisions if d[0] <= on]
        if not decided or decided[-1][1] != "pretrial_detention":
            return None
        stay = self.stay_on(on)
        if stay is None:
            return None  # not held that day: released on bail, or by the court
        return max(decided[-1][0], stay.since)


@dataclass(frozen=True)
class FacilityFigures:
    facility: str
    capacity: int | None
    occupancy: int
    pretrial: int
    average_pretrial_days: float | None

    @property
    def occupancy_rate(self) -> float | None:
        return self.occupancy / self.capacity if self.capacity else None

    @property
    def pretrial_share(self) -> float | None:
        return self.pretrial / self.occupancy if self.occupancy else None

    def as_dict(self) -> dict[str, Any]:
        """The report's JSON fields."""
        return {
            "facility": self.facility,
            "capacity": self.capacity,
            "occupancy": self.occupancy,
            "occupancy_rate": self.occupancy_rate,
            "pretrial": self.pretrial,
            "pretrial_share": self.pretrial_share,
        }


class Population(Fold):
    def __init__(self) -> None:
        self.people: dict[UUID, PersonRecord] = {}
        self.capacities: dict[str, list[dict[str, Any]]] = {}  # facility -> declarations in recorded order

    def apply(self, event: Any) -> None:
        if isinstance(event, Facility.Declared | Facility.Redeclared):
            self.capacities.setdefault(event.facility, []).append(
                {"capacity": event.capacity, "effective_on": event.effective_on, "recorded_on": event.recorded_on}
            )
            return
        if isinstance(event, Person.Admitted):
            self._person(event.originator_id).stays.append(Stay(event.facility, event.admitted_at.date()))
        elif isinstance(event, Person.AdmissionRecordedInError):
            record = self._person(event.originator_id)
            start = event.admitted_at.date()
            # The stay never was, nor the transfers that continued it.
            index = next(
                (i for i, stay in enumerate(record.stays) if stay.facility == event.facility and stay.since == start),
                None,
            )
            while index is not None and index < len(record.stays):
                ended = record.stays.pop(index).until
                if ended is None or index >= len(record.stays) or record.stays[index].since != ended:
                    break
        elif isinstance(event, Person.Transferred):
            record = self._person(event.originator_id)
            on = event.transferred_at.date()
            if record.stays and record.stays[-1].until is None:
                record.stays[-1].until = on
            record.stays.append(Stay(event.to_facility, on))
        elif isinstance(event, Person.PretrialDetentionReviewed):
            self._person(event.originator_id).reviews.append(
                (event.reviewed_on, event.decision_id, event.next_review_on)
            )
        elif isinstance(event, Person.CustodyEnded):
            stays = self._person(event.originator_id).stays
            if stays and stays[-1].until is None:
                stays[-1].until = event.released_on
        elif isinstance(event, Person.CustodyRestored):
            stays = self._person(event.originator_id).stays
            if stays and stays[-1].until == event.released_on:
                stays[-1].until = None  # the release was recorded in error: the stay continues
        elif isinstance(event, Person.CourtDecisionRecorded):
            kind = event.decision["kind"]
            if kind in ("pretrial_detention", "custodial_sentence"):
                record = self._person(event.originator_id)
                record.decisions.append((event.decision["decided_on"], kind))
                record.decisions.sort(key=lambda d: d[0])
                record.detail[event.decision["decision_id"]] = event.decision

    def _person(self, person_id: UUID) -> PersonRecord:
        return self.people.setdefault(person_id, PersonRecord())

    def capacity_on(self, facility: str, on: date) -> int | None:
        """The declaration in force on `on`: the latest effective on or before it."""
        declarations = self.capacities.get(facility, [])
        in_force = None
        for index, declared in enumerate(declarations):
            effective = declared["effective_on"]
            if effective is None:
                effective = date.min if index == 0 else declared["recorded_on"]
            if effective <= on and (in_force is None or effective >= in_force[0]):
                in_force = (effective, declared["capacity"])
        return in_force[1] if in_force else None

    def pretrial_alerts(self, day: date) -> list[dict[str, Any]]:
        """People held pre-trial on `day` past their legal time limit or overdue for review (Tokyo Rule 6)."""
        alerts = []
        for person_id, record in sorted(self.people.items(), key=lambda item: str(item[0])):
            since = record.pretrial_since(day)
            if since is None:
                continue
            decision_id, decision = _latest_pretrial(record, day)
            limit = decision.get("time_limit_days")
            limit_on = days_after(decision["decided_on"], limit) if limit else None
            due = _next_review_due(record, decision_id, decision, day)
            past_limit = limit_on is not None and day > limit_on
            overdue = due is not None and day > due
            if past_limit or overdue:
                stay = record.stay_on(day)
                assert stay is not None
                alerts.append({
                    "person_id": str(person_id),
                    "facility": stay.facility,
                    "decision_id": decision_id,
                    "held_since": since.isoformat(),
                    "days_held": (day - since).days,
                    "time_limit_on": limit_on.isoformat() if limit_on else None,
                    "past_time_limit": past_limit,
                    "next_review_due": due.isoformat() if due else None,
                    "review_overdue": overdue,
                })  # fmt: skip
        return alerts

    def on(self, day: date) -> list[FacilityFigures]:
        """Per facility, declared or seen in an admission: the figures on `day`."""
        facilities = set(self.capacities) | {s.facility for p in self.people.values() for s in p.stays}
        occupancy = dict.fromkeys(facilities, 0)
        pretrial_days: dict[str, list[int]] = {f: [] for f in facilities}
        for record in self.people.values():
            stay = record.stay_on(day)
            if stay is None:
                continue
            occupancy[stay.facility] += 1
            since = record.pretrial_since(day)
            if since is not None:
                pretrial_days[stay.facility].append((day - since).days)
        return [
            FacilityFigures(
                facility,
                self.capacity_on(facility, day),
                occupancy[facility],
                len(pretrial_days[facility]),
                sum(pretrial_days[facility]) / len(pretrial_days[facility]) if pretrial_days[facility] else None,
            )
            for facility in sorted(facilities)
        ]


def _latest_pretrial(record: PersonRecord, day: date) -> tuple[str, dict[str, Any]]:
    held = [(d["decided_on"], i, d) for i, d in record.detail.items()
            if d["kind"] == "pretrial_detention" and d["decided_on"] <= day]  # fmt: skip
    _, decision_id, decision = max(held, key=lambda item: item[0])
    return decision_id, decision


def _next_review_due(record: PersonRecord, decision_id: str, decision: dict[str, Any], day: date) -> date | None:
    """The latest review's own next date, else the interval counted from it (or from the decision)."""
    reviews = sorted(r for r in record.reviews if r[1] == decision_id and r[0] <= day)
    interval = decision.get("review_interval_days")
    if reviews:
        reviewed_on, _, next_on = reviews[-1]
        if next_on is not None:
            return next_on
        return days_after(reviewed_on, interval) if interval else None
    return days_after(decision["decided_on"], interval) if interval else None
