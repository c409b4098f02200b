"""The supervision register's read model: caseloads, conditions not explained in time, compliance.

Built by folding release's events from the start of its notification log (so it can always be
rebuilt from scratch); a report builds it afresh. Records intake merged are one person, reported
under the record kept (merged_records.py). A supervision is known by the person and its
start date; it is current on a day from its start until it is completed or its end date.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

from services.release.domain.case import ReleaseCase
from services.release.domain.compliance import Compliance
from services.release.domain.supervision import SupervisionFile
from services.release.read_models.merged_records import MergedRecords
from shared.dates import days_after
from shared.eventstore.readmodel import Fold

OUTCOMES = ("complied", "acceptable_absence", "unacceptable_absence")
# A supervision never reviewed is due its first level review a number of days after it started, set by
# the jurisdiction's rules (`supervision.first_review_days`, 28 in spine-1); each review sets the next one's date.


@dataclass
class Term:
    """One supervision of one person, and what its file records."""

    supervision_type: str
    started_on: date
    ends_on: date
    completed_on: date | None = None
    officers: list[tuple[date, str]] = field(default_factory=list)
    orally_on: date | None = None
    in_writing_on: date | None = None
    reviews: list[tuple[date, str, date]] = field(default_factory=list)  # (reviewed_on, level, next_review_on)

    def current_on(self, day: date) -> bool:
        ended = self.completed_on if self.completed_on is not None else self.ends_on
        return self.started_on <= day < ended

    def officer_on(self, day: date) -> str | None:
        assigned = [officer for assigned_on, officer in sorted(self.officers) if assigned_on <= day]
        return assigned[-1] if assigned else None

    def review_due_on(self, day: date, first_review_days: int) -> tuple[date, tuple[date, str, date] | None]:
        """When the next level review is due as known on `day`, and the latest review by then."""
        done = [review for review in sorted(self.reviews) if review[0] <= day]
        if done:
            return done[-1][2], done[-1]
        return days_after(self.started_on, first_review_days), None

    def merged_with(self, other: Term) -> Term:
        """The same supervision as recorded under two records intake merged: what either records counts."""
        return Term(
            self.supervision_type,
            self.started_on,
            self.ends_on,
            self.completed_on if self.completed_on is not None else other.completed_on,
            sorted({*self.officers, *other.officers}),
            _earliest(self.orally_on, other.orally_on),
            _earliest(self.in_writing_on, other.in_writing_on),
            sorted({*self.reviews, *other.reviews}),
        )

    def explained_on(self) -> date | None:
        """When the conditions had been explained both orally and in writing (Tokyo 12.3)."""
        if self.orally_on is None or self.in_writing_on is None:
            return None
        return max(self.orally_on, self.in_writing_on)


@dataclass
class PersonRecord:
    terms: dict[date, Term] = field(default_factory=dict)
    contacts: dict[str, tuple[date, str]] = field(default_factory=dict)  # contact id -> (day, outcome)
    violations: dict[str, date] = field(default_factory=dict)

    def absorb(self, other: PersonRecord) -> None:
        """Add what a record merged into this one records; a supervision in both (by start) is one."""
        for started_on, term in other.terms.items():
            mine = self.terms.get(started_on)
            self.terms[started_on] = term if mine is None else mine.merged_with(term)
        self.contacts.update({key: value for key, value in other.contacts.items() if key not in self.contacts})
        self.violations.update({key: value for key, value in other.violations.items() if key not in self.violations})


class SupervisionRegister(Fold):
    def __init__(self) -> None:
        self.people: dict[UUID, PersonRecord] = {}
        self.links = MergedRecords()

    def apply(self, event: Any) -> None:
        self.links.apply(event)
        if isinstance(event, ReleaseCase.SupervisionStarted):
            record = self._person(event.originator_id)
            record.terms[event.started_on] = Term(event.supervision_type, event.started_on, event.ends_on)
        elif isinstance(event, ReleaseCase.ReleaseRecordedInError):
            if event.supervision_cancelled:  # the licence that release started never was
                self._person(event.originator_id).terms.pop(event.released_on, None)
        elif isinstance(event, ReleaseCase.SupervisionCompleted):
            current = self._latest(event.originator_id)
            if current is not None and current.completed_on is None:
                current.completed_on = event.completed_on
        elif isinstance(event, SupervisionFile.OfficerAssigned):
            if (term := self._term(event.person_id, event.supervision_started_on)) is not None:
                term.officers.append((event.assigned_on, event.officer_id))
        elif isinstance(event, SupervisionFile.ConditionsExplained):
            if (term := self._term(event.person_id, event.supervision_started_on)) is not None:
                if event.orally and (term.orally_on is None or event.explained_on < term.orally_on):
                    term.orally_on = event.explained_on
                if event.in_writing and (term.in_writing_on is None or event.explained_on < term.in_writing_on):
                    term.in_writing_on = event.explained_on
        elif isinstance(event, SupervisionFile.LevelReviewed):
            if (term := self._term(event.person_id, event.supervision_started_on)) is not None:
                term.reviews.append((event.reviewed_on, event.level, event.next_review_on))
        elif isinstance(event, SupervisionFile.MeasureModified):
            if (term := self._term(event.person_id, event.supervision_started_on)) is not None:
                term.ends_on = event.ends_on
        elif isinstance(event, SupervisionFile.ContactRecorded):
            self._person(event.person_id).contacts[event.contact_id] = (event.contact_on, event.outcome)
        elif isinstance(event, Compliance.ViolationRecorded):
            self._person(event.person_id).violations[event.violation_id] = event.occurred_on

    def _person(self, person_id: UUID) -> PersonRecord:
        return self.people.setdefault(person_id, PersonRecord())

    def _term(self, person_id: UUID, started_on: date) -> Term | None:
        return self._person(person_id).terms.get(started_on)

    def _latest(self, person_id: UUID) -> Term | None:
        terms = self._person(person_id).terms
        return terms[max(terms)] if terms else None

    def _by_person(self) -> list[tuple[UUID, PersonRecord]]:
        return self.links.combined(self.people, PersonRecord)

    def _current(self, day: date) -> list[tuple[UUID, Term]]:
        found = []
        for person_id, record in self._by_person():
            found += [(person_id, term) for term in record.terms.values() if term.current_on(day)]
        return found

    # --- queries ------------------------------------------------------------

    def unexplained_conditions(self, day: date, within_days: int) -> list[dict[str, Any]]:
        """Supervisions current on `day` whose conditions were not explained orally and in writing in time."""
        rows = []
        for person_id, term in self._current(day):
            explain_by = days_after(term.started_on, within_days)
            explained = term.explained_on()
            if day <= explain_by or (explained is not None and explained <= explain_by):
                continue
            rows.append(
                {
                    "person_id": str(person_id),
                    "supervision_type": term.supervision_type,
                    "started_on": term.started_on.isoformat(),
                    "explain_by": explain_by.isoformat(),
                    "explained_orally_on": _iso(term.orally_on),
                    "explained_in_writing_on": _iso(term.in_writing_on),
                    "days_late": ((explained if explained and explained <= day else day) - explain_by).days,
                    "officer_id": term.officer_on(day),
                }
            )
        return sorted(rows, key=lambda row: (-row["days_late"], row["person_id"]))

    def supervision_reviews(self, day: date, first_review_days: int) -> list[dict[str, Any]]:
        """Supervisions current on `day` whose level review is overdue: the latest review's next date (or, never
        reviewed, the start plus `first_review_days`) is before `day`."""
        rows = []
        for person_id, term in self._current(day):
            due, latest = term.review_due_on(day, first_review_days)
            if due >= day:
                continue
            rows.append(
                {
                    "person_id": str(person_id),
                    "supervision_type": term.supervision_type,
                    "started_on": term.started_on.isoformat(),
                    "level": latest[1] if latest else None,
                    "last_reviewed_on": latest[0].isoformat() if latest else None,
                    "review_due_on": due.isoformat(),
                    "days_overdue": (day - due).days,
                    "officer_id": term.officer_on(day),
                }
            )
        return sorted(rows, key=lambda row: (-row["days_overdue"], row["person_id"]))

    def caseload(self, day: date) -> list[dict[str, Any]]:
        """Per officer, the people whose current supervision they are assigned on `day` (None: unassigned)."""
        loads: dict[str | None, list[str]] = {}
        for person_id, term in self._current(day):
            assigned = loads.setdefault(term.officer_on(day), [])
            if str(person_id) not in assigned:  # two current supervisions are still one person
                assigned.append(str(person_id))
        return [
            {"officer_id": officer, "people": len(people), "person_ids": people}
            for officer, people in sorted(loads.items(), key=lambda item: (item[0] is None, item[0] or ""))
        ]

    def compliance(self, day: date) -> list[dict[str, Any]]:
        """Per person with contacts or violations on or before `day`: contacts by outcome, and violations.

        The compliance rate is complied / (complied + unacceptable absences): an acceptable absence
        counts neither way; null where there is neither.
        """
        rows = []
        for person_id, record in self._by_person():
            outcomes = [outcome for on, outcome in record.contacts.values() if on <= day]
            violations = sum(1 for on in record.violations.values() if on <= day)
            if not outcomes and not violations:
                continue
            counts = {outcome: outcomes.count(outcome) for outcome in OUTCOMES}
            rows.append(
                {
                    "person_id": str(person_id),
                    "contacts": len(outcomes),
                    **counts,
                    "compliance_rate": _rate(counts["complied"], counts["complied"] + counts["unacceptable_absence"]),
                    "violations": violations,
                }
            )
        return rows


def _earliest(first: date | None, second: date | None) -> date | None:
    return min(filter(None, (first, second)), default=None)


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None
