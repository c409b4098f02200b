"""Reoffending within 12 and 24 months (issue 6, item 8), from what release has learned.

Release already holds every fact the measure needs, in its own events: custody and releases
(`CustodyStarted`, `CustodyCancelled`, `Released`, `ReleaseRecordedInError`), the sentencing
decisions intake recorded (a custodial sentence's `decided_on` in `ReleaseDatesCalculated.sentences`;
a non-custodial measure starts its supervision on its `decided_on`), follow-ups that record a new
conviction, and programme completions (`AchievementRecorded`). So the report is a read model of
release, answered like its other reports, locally or over RPC and HTTP. Rules:

- each person counts once per window, from their first release from custody (custodial) or, if
  never in custody, the start of their first court-ordered measure (non-custodial; a pre-trial
  supervision is no sentence and does not start one); records intake merged are one person;
- the window is the N calendar months after that start (start < day <= start + N months, a month
  end clamped: 31 January + 1 month is 28 or 29 February); a person counts in it once it has ended
  on or before the report's date;
- they reoffended in it when a new conviction falls inside it: a sentencing decision (custodial
  sentence or non-custodial measure) with its `decided_on` in the window, or a follow-up recording
  `new_conviction` with its `new_conviction_on` in the window;
- completers completed at least one programme on or before the window's end, non-completers are
  everyone else; a rate is null where nobody counts.

A custodial sentence whose dates could not be calculated (it names no sentence it could follow)
is not known here, so it is no conviction either.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

from services.release.domain.case import PRETRIAL_SUPERVISION, ReleaseCase
from services.release.read_models.merged_records import MergedRecords
from shared.dates import months_after
from shared.eventstore.readmodel import Fold
from shared.links import PersonLink

WINDOWS = (12, 24)
GROUPS = ("programme_completers", "non_completers", "custodial", "non_custodial")


def add_months(day: date, months: int) -> date:
    """The same day `months` calendar months later (the month's last day where it is shorter)."""
    return months_after(day, months)


@dataclass
class Person:
    custody: list[date] = field(default_factory=list)  # admissions, less those recorded in error
    releases: list[date] = field(default_factory=list)  # releases from custody, less those recorded in error
    measures: list[date] = field(default_factory=list)  # starts of court-ordered measures
    convictions: dict[str, date] = field(default_factory=dict)  # decision id (or follow-up) -> date
    completions: list[date] = field(default_factory=list)

    def absorb(self, other: Person) -> None:
        """Add the facts of a record merged into this one."""
        self.custody += other.custody
        self.releases += other.releases
        self.measures += other.measures
        self.convictions.update(other.convictions)
        self.completions += other.completions

    def start(self) -> tuple[date, bool] | None:
        """When the person's window starts, and whether it is custodial."""
        if self.releases:
            return min(self.releases), True
        if not self.custody and self.measures:
            return min(self.measures), False
        return None


@dataclass(frozen=True)
class Window:
    """One person's N-month window: when it ends, and what happened in it."""

    ends: date
    reoffended: bool
    completer: bool


@dataclass(frozen=True)
class Outlook:
    """What the report needs of one person, worked out once per change to their facts, not per report: only
    which windows have ended depends on the report's date."""

    custodial: bool
    windows: tuple[Window, ...]  # one per WINDOWS, in order

    @classmethod
    def of(cls, person: Person) -> Outlook | None:
        start = person.start()
        if start is None:
            return None
        begins, custodial = start
        windows = []
        for months in WINDOWS:
            ends = add_months(begins, months)
            reoffended = any(begins < day <= ends for day in person.convictions.values())
            completer = any(day <= ends for day in person.completions)
            windows.append(Window(ends, reoffended, completer))
        return cls(custodial, tuple(windows))


class ReoffendingRegister(Fold):
    def __init__(self) -> None:
        self.records: dict[UUID, Person] = {}
        self.links = MergedRecords()
        # Kept between reports, so a report costs one pass over people, not re-deriving each person:
        self._outlooks: dict[UUID, Outlook | None] = {}  # per surviving record
        self._members: dict[UUID, list[UUID]] = {}  # surviving record -> the records standing for it
        self._survivor_of: dict[UUID, UUID] = {}
        self._changed: set[UUID] = set()  # records whose facts changed since the last report
        self._regroup = True  # a merge or unmerge since the last report: work every person out afresh

    def apply(self, event: Any) -> None:
        self.links.apply(event)
        if isinstance(event, PersonLink.MergedInto | PersonLink.SeparatedFrom):
            self._regroup = True
        if not isinstance(event, ReleaseCase.Event):
            return
        self._changed.add(event.originator_id)
        person = self.records.setdefault(event.originator_id, Person())
        if isinstance(event, ReleaseCase.CustodyStarted):
            person.custody.append(event.occurred_at.date())
        elif isinstance(event, ReleaseCase.CustodyCancelled) and event.admitted_on in person.custody:
            person.custody.remove(event.admitted_on)
        elif isinstance(event, ReleaseCase.Released):
            person.releases.append(event.released_on)
        elif isinstance(event, ReleaseCase.ReleaseRecordedInError) and event.released_on in person.releases:
            person.releases.remove(event.released_on)
        elif isinstance(event, ReleaseCase.ReleaseDatesCalculated):
            person.convictions.update({s["decision_id"]: s["decided_on"] for s in event.sentences})
        elif isinstance(event, ReleaseCase.SupervisionStarted):
            if event.decision_id and event.supervision_type != PRETRIAL_SUPERVISION:
                person.measures.append(event.started_on)
                person.convictions[event.decision_id] = event.started_on  # a measure starts on its decision
        elif isinstance(event, ReleaseCase.OutcomeWithConvictionRecorded):
            if event.new_conviction and event.new_conviction_on is not None:
                person.convictions[f"follow-up {event.recorded_on.isoformat()}"] = event.new_conviction_on
        elif isinstance(event, ReleaseCase.AchievementRecorded):
            person.completions.append(event.completed_on)

    def outlooks(self) -> list[Outlook]:
        """Each person's outlook, brought up to date: everyone after a merge or unmerge, else those changed."""
        if self._regroup:
            self._members = self.links.people(self.records)
            self._survivor_of = {record: survivor for survivor, ids in self._members.items() for record in ids}
            self._outlooks = {survivor: self._work_out(survivor) for survivor in self._members}
            self._regroup = False
        else:
            for survivor in {self._join(record) for record in self._changed}:
                self._outlooks[survivor] = self._work_out(survivor)
        self._changed.clear()
        return [outlook for outlook in self._outlooks.values() if outlook is not None]

    def _join(self, record: UUID) -> UUID:
        """The surviving record `record` stands for; a record new since the last grouping joins its group."""
        survivor = self._survivor_of.get(record)
        if survivor is None:
            survivor = self._survivor_of[record] = self.links.survivor(record)
            self._members.setdefault(survivor, []).append(record)
        return survivor

    def _work_out(self, survivor: UUID) -> Outlook | None:
        person = Person()
        for record in self._members[survivor]:
            person.absorb(self.records[record])
        return Outlook.of(person)

    def report(self, on: date) -> dict[str, dict[str, dict[str, Any]]]:
        outlooks = self.outlooks()
        result: dict[str, dict[str, dict[str, Any]]] = {}
        for index, months in enumerate(WINDOWS):
            counts = {group: [0, 0] for group in GROUPS}  # people, reoffended
            for outlook in outlooks:
                window = outlook.windows[index]
                if window.ends > on:
                    continue
                for group in (
                    "programme_completers" if window.completer else "non_completers",
                    "custodial" if outlook.custodial else "non_custodial",
                ):
                    counts[group][0] += 1
                    counts[group][1] += int(window.reoffended)
            result[str(months)] = {
                group: {"people": count, "reoffended": hit, "rate": hit / count if count else None}
                for group, (count, hit) in counts.items()
            }
        return result
