"""The resettlement register's read model: releases flagged for missing paperwork, and releases due soon.

Built by folding release's events from the first (rebuilt for each report). A release is never
refused for missing paperwork; it is recorded, and flagged here when on its day the person had no
approved release plan, no accommodation secured or no ID document. Records intake merged are one
person, reported under the record kept (merged_records.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

from services.release.domain.case import ReleaseCase
from services.release.domain.resettlement import Resettlement, missing_at
from services.release.read_models.merged_records import MergedRecords
from shared.dates import days_after
from shared.eventstore.readmodel import Fold


@dataclass
class PersonRecord:
    plans: dict[str, dict[str, Any]] = field(default_factory=dict)
    accommodation: dict[str, Any] | None = None
    actions: dict[str, date] = field(default_factory=dict)
    releases: list[tuple[date, str]] = field(default_factory=list)
    custody: list[list[date | None]] = field(default_factory=list)  # [start, end or None]
    dates: dict[str, date] | None = None

    def absorb(self, other: PersonRecord) -> None:
        """Add what a record merged into this one records: paperwork done under either counts.

        Dates in force are those of the term that ends last (the current one, where the two
        records each hold a term).
        """
        self.plans = {**other.plans, **self.plans}
        secured = [record["secured_on"] for record in (self.accommodation, other.accommodation) if record]
        self.accommodation = {"secured_on": min(secured)} if secured else None
        for action, completed_on in other.actions.items():
            self.actions[action] = min(completed_on, self.actions.get(action, completed_on))
        self.releases += [release for release in other.releases if release not in self.releases]
        self.custody += [period for period in other.custody if period not in self.custody]
        if other.dates is not None and (self.dates is None or other.dates["sentence_end"] > self.dates["sentence_end"]):
            self.dates = other.dates

    def missing_on(self, day: date) -> list[str]:
        return missing_at(self.plans, self.accommodation, self.actions, day)

    def in_custody_on(self, day: date) -> bool:
        return any(start <= day and (end is None or day < end) for start, end in self.custody)  # type: ignore[operator]


class ResettlementRegister(Fold):
    def __init__(self) -> None:
        self.people: dict[UUID, PersonRecord] = {}
        self.links = MergedRecords()

    def apply(self, event: Any) -> None:
        self.links.apply(event)
        if isinstance(event, ReleaseCase.Event):
            self._case_event(self._person(event.originator_id), event)
        elif isinstance(event, Resettlement.PlanApproved):
            self._person(event.person_id).plans[event.plan_id] = {"approved_on": event.approved_on}
        elif isinstance(event, Resettlement.AccommodationSecured):
            self._person(event.person_id).accommodation = {"secured_on": event.secured_on}
        elif isinstance(event, Resettlement.ActionCompleted):
            self._person(event.person_id).actions[event.action] = event.completed_on

    @staticmethod
    def _case_event(record: PersonRecord, event: Any) -> None:
        if isinstance(event, ReleaseCase.CustodyStarted):
            record.custody.append([event.occurred_at.date(), None])
        elif isinstance(event, ReleaseCase.CustodyCancelled):
            record.custody = [period for period in record.custody if period[0] != event.admitted_on]
        elif isinstance(event, ReleaseCase.Released):
            record.releases.append((event.released_on, event.release_type))
            if record.custody and record.custody[-1][1] is None:
                record.custody[-1][1] = event.released_on
        elif isinstance(event, ReleaseCase.ReleaseRecordedInError):
            record.releases.remove((event.released_on, event.release_type))
            if record.custody and record.custody[-1][1] == event.released_on:
                record.custody[-1][1] = None
        elif isinstance(event, ReleaseCase.ReleaseDatesCalculated):
            record.dates = dict(event.dates)

    def _person(self, person_id: UUID) -> PersonRecord:
        return self.people.setdefault(person_id, PersonRecord())

    def _sorted(self) -> list[tuple[UUID, PersonRecord]]:
        return self.links.combined(self.people, PersonRecord)

    # --- queries ------------------------------------------------------------

    def releases_flagged(self, day: date) -> list[dict[str, Any]]:
        """Releases recorded on or before `day` that lacked a plan, accommodation or ID on their day."""
        rows = []
        for person_id, record in self._sorted():
            for released_on, release_type in record.releases:
                missing = record.missing_on(released_on)
                if released_on <= day and missing:
                    rows.append({"person_id": str(person_id), "released_on": released_on.isoformat(),
                                 "release_type": release_type, "missing": missing})  # fmt: skip
        return sorted(rows, key=lambda row: (row["released_on"], row["person_id"]))

    def releases_due(self, day: date, within_days: int) -> list[dict[str, Any]]:
        """People in custody on `day` whose next release date falls in the next `within_days` days, and who
        lack accommodation or an ID document on `day`.

        The next release date is the conditional-release eligibility where it is still to come, else
        the sentence end.
        """
        rows = []
        until = days_after(day, within_days)
        for person_id, record in self._sorted():
            if record.dates is None or not record.in_custody_on(day):
                continue
            eligible, end = record.dates["conditional_release_eligibility"], record.dates["sentence_end"]
            due = eligible if eligible >= day else end
            missing = [item for item in record.missing_on(day) if item != "approved_plan"]
            if day <= due <= until and missing:
                rows.append({"person_id": str(person_id), "release_due_on": due.isoformat(),
                             "sentence_end": end.isoformat(), "missing": missing})  # fmt: skip
        return sorted(rows, key=lambda row: (row["release_due_on"], row["person_id"]))
