"""Reintegration follow-ups due at set points after a release or the end of a measure (issue 6, item 7).

The points (months) and the matching window are the jurisdiction's, in its rules file
(`follow_up.months`, `follow_up.window_days`; spine-1: 6, 12 and 24 months, 31 days). Rebuilt by
folding release's events from the first, like the other registers; records intake merged are one
person, under the record kept.

Anchors, each with a follow-up at every point (due: the anchor's day plus that many calendar months,
a month end clamped):

- a release from custody (not one recorded in error), except where no one is left here to follow:
  died, deported, transferred; nor bail or an acquittal (no sentence to reintegrate from);
- the end of a court-ordered measure (a supervision started by a non-custodial measure; a pre-trial
  supervision is no sentence, and a licence's release is already an anchor): its completion, or,
  never completed, its end date once passed; not where it ended by death, transfer or revocation
  (revoked, the person returns to custody, and that release is followed up).

Which follow-up an outcome (`record_outcome`, on `recorded_on`) answers, among the person's anchors on
or before that day, counting only outcomes recorded on or before the report's date:

1. an outcome naming `follow_up_months` answers that point of the anchor whose due date for it is
   nearest its `recorded_on` (named outcomes are matched first);
2. an outcome naming none answers the point not yet answered whose due date is nearest its
   `recorded_on`, if within `window_days` either side; otherwise it answers none (an extra contact).

Ties go to the earlier due date. A follow-up is `recorded` once answered, else `overdue` after its
due date, else `due`.

Each follow-up also says whether the person returned to custody by its point, from what release
learned of intake's admissions (a recall admission, or a new one; not one recorded in error):
`returned_to_custody_on`, the first admission after the anchor and on or before the due date and
the report's date, else null.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

from services.release.domain.case import PRETRIAL_SUPERVISION, ReleaseCase
from services.release.domain.rules import ReleaseRules
from services.release.domain.supervision import SupervisionFile
from services.release.read_models.merged_records import MergedRecords
from services.release.read_models.reoffending import add_months
from shared.dates import days_after
from shared.eventstore.readmodel import Fold

NOT_FOLLOWED_RELEASES = frozenset({"died", "deported", "transferred", "bail", "acquitted"})
NOT_FOLLOWED_ENDS = frozenset({"died", "transferred", "revocation"})


@dataclass
class Measure:
    supervision_type: str
    ends_on: date
    completed_on: date | None = None
    end_reason: str | None = None

    def ended_by(self, day: date) -> date | None:
        """When it ended, if it had by `day`."""
        ended = self.completed_on if self.completed_on is not None else self.ends_on
        return ended if ended <= day else None


@dataclass
class PersonRecord:
    releases: list[tuple[date, str]] = field(default_factory=list)
    measures: dict[date, Measure] = field(default_factory=dict)  # by start
    latest_supervision: date | None = None  # the start of the latest supervision of any kind
    outcomes: dict[date, int | None] = field(default_factory=dict)  # recorded_on -> follow-up point named
    admissions: list[date] = field(default_factory=list)  # custody starts, less those recorded in error

    def absorb(self, other: PersonRecord) -> None:
        self.releases += [release for release in other.releases if release not in self.releases]
        self.measures = {**other.measures, **self.measures}
        self.outcomes = {**other.outcomes, **self.outcomes}
        self.admissions = sorted({*self.admissions, *other.admissions})

    def returned_to_custody(self, after: date, by: date) -> str | None:
        """The first admission after `after` and on or before `by`, as a date string, if any."""
        back = [on for on in self.admissions if after < on <= by]
        return min(back).isoformat() if back else None

    def anchors(self, day: date) -> list[tuple[str, date]]:
        """(kind, day) of every anchor on or before `day`, oldest first."""
        found = [("release", on) for on, kind in self.releases if kind not in NOT_FOLLOWED_RELEASES and on <= day]
        for measure in self.measures.values():
            ended = measure.ended_by(day)
            if ended is not None and measure.end_reason not in NOT_FOLLOWED_ENDS:
                found.append(("measure_end", ended))
        return sorted(set(found), key=lambda anchor: (anchor[1], anchor[0]))


@dataclass
class FollowUp:
    anchor: str
    anchor_on: date
    months: int
    due_on: date
    recorded_on: date | None = None


class FollowUpRegister(Fold):
    def __init__(self) -> None:
        self.people: dict[UUID, PersonRecord] = {}
        self.links = MergedRecords()

    def apply(self, event: Any) -> None:
        self.links.apply(event)
        if isinstance(event, ReleaseCase.Event):
            self._case_event(self.people.setdefault(event.originator_id, PersonRecord()), event)
        elif isinstance(event, SupervisionFile.SupervisionEnded):
            measure = self._person(event.person_id).measures.get(event.supervision_started_on)
            if measure is not None:
                measure.end_reason = event.reason
        elif isinstance(event, SupervisionFile.MeasureModified):
            measure = self._person(event.person_id).measures.get(event.supervision_started_on)
            if measure is not None:
                measure.ends_on = event.ends_on

    def _person(self, person_id: UUID) -> PersonRecord:
        return self.people.setdefault(person_id, PersonRecord())

    @staticmethod
    def _case_event(record: PersonRecord, event: Any) -> None:
        if isinstance(event, ReleaseCase.CustodyStarted):
            record.admissions.append(event.occurred_at.date())
        elif isinstance(event, ReleaseCase.CustodyCancelled):
            if event.admitted_on in record.admissions:
                record.admissions.remove(event.admitted_on)
        elif isinstance(event, ReleaseCase.Released):
            record.releases.append((event.released_on, event.release_type))
        elif isinstance(event, ReleaseCase.ReleaseRecordedInError):
            record.releases.remove((event.released_on, event.release_type))
        elif isinstance(event, ReleaseCase.SupervisionStarted):
            record.latest_supervision = event.started_on
            if event.decision_id and event.supervision_type != PRETRIAL_SUPERVISION:
                record.measures[event.started_on] = Measure(event.supervision_type, event.ends_on)
        elif isinstance(event, ReleaseCase.SupervisionCompleted):
            # The spine's completion ends the latest supervision (as the supervision register reads it).
            measure = record.measures.get(record.latest_supervision) if record.latest_supervision else None
            if measure is not None and measure.completed_on is None:
                measure.completed_on = event.completed_on
        elif isinstance(event, ReleaseCase.OutcomeForFollowUpRecorded):
            record.outcomes[event.recorded_on] = event.follow_up_months
        elif isinstance(event, ReleaseCase.OutcomeRecorded):
            record.outcomes[event.recorded_on] = None

    # --- queries ------------------------------------------------------------

    def follow_ups(self, day: date, within_days: int, rules: ReleaseRules) -> list[dict[str, Any]]:
        """Every follow-up due on or before `day` + `within_days`, answered or not, by due date."""
        until = days_after(day, within_days)
        rows = []
        for survivor, person in self.links.combined(self.people, PersonRecord):
            for follow_up in matched(person, day, rules):
                if follow_up.due_on <= until:
                    returned = person.returned_to_custody(follow_up.anchor_on, min(follow_up.due_on, day))
                    rows.append({**_row(survivor, follow_up, day), "returned_to_custody_on": returned})
        return sorted(rows, key=lambda row: (row["due_on"], row["person_id"], row["anchor_on"]))


def matched(person: PersonRecord, day: date, rules: ReleaseRules) -> list[FollowUp]:
    """The person's follow-ups from anchors up to `day`, each with the outcome that answers it (module rules)."""
    follow_ups = [
        FollowUp(kind, anchor_on, months, add_months(anchor_on, months))
        for kind, anchor_on in person.anchors(day)
        for months in rules.follow_up_months
    ]
    known = sorted((on, months) for on, months in person.outcomes.items() if on <= day)
    for recorded_on, months in [o for o in known if o[1] is not None] + [o for o in known if o[1] is None]:
        candidates = [f for f in follow_ups if f.anchor_on <= recorded_on]
        if months is not None:
            candidates = [f for f in candidates if f.months == months]
        else:
            window = rules.follow_up_window_days
            candidates = [
                f for f in candidates if f.recorded_on is None and abs((f.due_on - recorded_on).days) <= window
            ]
        if candidates:
            nearest = min(candidates, key=lambda f: (abs((f.due_on - recorded_on).days), f.due_on))
            if nearest.recorded_on is None:
                nearest.recorded_on = recorded_on
    return follow_ups


def _row(person_id: UUID, follow_up: FollowUp, day: date) -> dict[str, Any]:
    answered = follow_up.recorded_on is not None
    status = "recorded" if answered else "overdue" if follow_up.due_on < day else "due"
    return {
        "person_id": str(person_id),
        "anchor": follow_up.anchor,
        "anchor_on": follow_up.anchor_on.isoformat(),
        "months": follow_up.months,
        "due_on": follow_up.due_on.isoformat(),
        "status": status,
        "recorded_on": follow_up.recorded_on.isoformat() if follow_up.recorded_on else None,
        "days_overdue": (day - follow_up.due_on).days if status == "overdue" else None,
    }
