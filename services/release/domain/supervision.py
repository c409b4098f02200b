"""A person's supervision file: officer, conditions, requirements, explanation, consent, contacts.

One aggregate per person beside the release case (which records when a supervision starts and
ends). Every event names the supervision it belongs to by its start date (`supervision_started_on`),
so the file keeps the history of successive supervisions. What the Tokyo Rules ask to be proven is
an event: conditions explained orally and in writing (12.3), consent where the measure precedes
or replaces trial (3.4).

The class is grouped by capability; in each, the command comes first and the event it records
right after it, with its `apply`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any, NotRequired, TypedDict, cast
from uuid import UUID, uuid5

from services.release.domain.errors import (
    ConsentNotApplicableError,
    MeasureModificationError,
    RequirementNotFoundError,
    RequirementNotMetError,
    SupervisionConflictError,
)
from shared.domain import PathwayAggregate, Provenance, start_of_day

SUPERVISION_NAMESPACE = UUID("2f7c9a14-5e3b-5d81-9c6a-0b4d8e1f7a35")
PRETRIAL = "pretrial_supervision"


class Explanation(TypedDict):
    explained_on: date
    orally: bool
    in_writing: bool
    explained_by: str


class Modification(TypedDict):
    kind: str
    modified_on: date
    decided_by: str
    ends_on: date


class Ending(TypedDict):
    ended_on: date
    reason: str


class TermRecord(TypedDict):
    """What is recorded for one supervision, by the day it started."""

    officers: list[tuple[date, str]]  # (assigned_on, officer_id), in order
    conditions: list[str] | None
    explanations: list[Explanation]
    consented_on: date | None
    modifications: dict[str, Modification]
    ends_on: date | None  # where a modification changed the end
    ended: Ending | None


class Requirement(TypedDict):
    supervision_started_on: date
    kind: str
    hours: int | None  # unpaid work states its hours; no other kind does
    imposed_on: date
    worked: dict[date, int]  # hours by the day worked (unpaid work)
    completed_on: NotRequired[date]


class Contact(TypedDict):
    supervision_started_on: date
    kind: str
    contact_on: date
    outcome: str
    reason: str | None


class Review(TypedDict):
    supervision_started_on: date
    reviewed_on: date
    level: str
    next_review_on: date
    reviewed_by: str


class SupervisionFile(PathwayAggregate):
    """One per person: every supervision's officers, conditions, explanations, consent, modifications and end,
    with the requirements imposed, the contacts and the level reviews."""

    # --- state ------------------------------------------------------------
    person_id: UUID
    terms: dict[date, TermRecord]  # by the day the supervision started
    requirements: dict[str, Requirement]
    contacts: dict[str, Contact]
    reviews: dict[str, Review]

    def __init__(self, person_id: UUID, **_: Any) -> None:
        self.person_id = person_id
        self.terms = {}
        self.requirements = {}
        self.contacts = {}
        self.reviews = {}

    def term(self, started_on: date) -> TermRecord:
        """What is recorded for the supervision that started on `started_on`."""
        return self.terms.setdefault(
            started_on,
            {
                "officers": [],
                "conditions": None,
                "explanations": [],
                "consented_on": None,
                "modifications": {},
                "ends_on": None,  # where a modification changed the end
                "ended": None,
            },
        )

    # --- opening ----------------------------------------------------------

    @staticmethod
    def id_for(person_id: UUID) -> UUID:
        return uuid5(SUPERVISION_NAMESPACE, str(person_id))

    @classmethod
    def open(cls, person_id: UUID, by: Provenance, occurred_at: datetime) -> SupervisionFile:
        return cls._create(
            cls.Opened, id=cls.id_for(person_id), person_id=person_id, occurred_at=occurred_at, **by.fields()
        )

    class Opened(PathwayAggregate.Created):
        """Bookkeeping: the person's supervision file exists (not published)."""

        person_id: UUID

    # --- officer, conditions, their explanation, consent ------------------

    def assign_officer(self, started_on: date, officer_id: str, assigned_on: date, by: Provenance) -> None:
        officers = self.term(started_on)["officers"]
        if officers and officers[-1] == (assigned_on, officer_id):
            return
        if any(day == assigned_on and officer != officer_id for day, officer in officers):
            raise SupervisionConflictError("assigned_on: another officer is already assigned on this day")
        self._record(self.OfficerAssigned, started_on, assigned_on, by, officer_id=officer_id, assigned_on=assigned_on)

    class OfficerAssigned(PathwayAggregate.Event):
        person_id: UUID
        supervision_started_on: date
        officer_id: str
        assigned_on: date

        def apply(self, file: SupervisionFile) -> None:
            file.term(self.supervision_started_on)["officers"].append((self.assigned_on, self.officer_id))

    def set_conditions(self, started_on: date, conditions: list[str], set_on: date, by: Provenance) -> None:
        if self.term(started_on)["conditions"] == conditions:
            return
        self._record(self.ConditionsSet, started_on, set_on, by, conditions=list(conditions), set_on=set_on)

    class ConditionsSet(PathwayAggregate.Event):
        person_id: UUID
        supervision_started_on: date
        conditions: list[str]
        set_on: date

        def apply(self, file: SupervisionFile) -> None:
            file.term(self.supervision_started_on)["conditions"] = list(self.conditions)

    def explain_conditions(
        self, started_on: date, explained_on: date, orally: bool, in_writing: bool, explained_by: str, by: Provenance
    ) -> None:
        explanation = {"explained_on": explained_on, "orally": orally, "in_writing": in_writing,
                       "explained_by": explained_by}  # fmt: skip
        if explanation in self.term(started_on)["explanations"]:
            return
        self._record(self.ConditionsExplained, started_on, explained_on, by, **explanation)

    class ConditionsExplained(PathwayAggregate.Event):
        person_id: UUID
        supervision_started_on: date
        explained_on: date
        orally: bool
        in_writing: bool
        explained_by: str

        def apply(self, file: SupervisionFile) -> None:
            file.term(self.supervision_started_on)["explanations"].append(
                {"explained_on": self.explained_on, "orally": self.orally, "in_writing": self.in_writing,
                 "explained_by": self.explained_by}
            )  # fmt: skip

    def record_consent(self, started_on: date, supervision_type: str, consented_on: date, by: Provenance) -> None:
        if supervision_type != PRETRIAL:
            raise ConsentNotApplicableError(
                "consent refused: consent is recorded for a measure that precedes or replaces trial"
            )
        known = self.term(started_on)["consented_on"]
        if known is not None:
            if known != consented_on:
                raise SupervisionConflictError("consented_on: consent is already recorded on another day")
            return
        self._record(self.ConsentRecorded, started_on, consented_on, by, consented_on=consented_on)

    class ConsentRecorded(PathwayAggregate.Event):
        person_id: UUID
        supervision_started_on: date
        consented_on: date

        def apply(self, file: SupervisionFile) -> None:
            file.term(self.supervision_started_on)["consented_on"] = self.consented_on

    # --- requirements -----------------------------------------------------

    def impose_requirement(
        self, started_on: date, requirement_id: str, kind: str, hours: int | None, imposed_on: date, by: Provenance
    ) -> None:
        content = {"supervision_started_on": started_on, "kind": kind, "hours": hours, "imposed_on": imposed_on}
        known: Mapping[str, Any] | None = self.requirements.get(requirement_id)
        if known is not None:
            if {k: known[k] for k in content} != content:
                raise SupervisionConflictError("requirement_id: already imposed with other content")
            return
        self._record(self.RequirementImposed, started_on, imposed_on, by, requirement_id=requirement_id,
                     kind=kind, hours=hours, imposed_on=imposed_on)  # fmt: skip

    class RequirementImposed(PathwayAggregate.Event):
        person_id: UUID
        supervision_started_on: date
        requirement_id: str
        kind: str
        hours: int | None
        imposed_on: date

        def apply(self, file: SupervisionFile) -> None:
            file.requirements[self.requirement_id] = {
                "supervision_started_on": self.supervision_started_on,
                "kind": self.kind,
                "hours": self.hours,
                "imposed_on": self.imposed_on,
                "worked": {},
            }

    def check_unpaid_work(self, requirement_id: str) -> Requirement:
        requirement = self.requirements.get(requirement_id)
        if requirement is None or requirement["kind"] != "unpaid_work":
            raise RequirementNotFoundError("requirement_id: no unpaid work requirement with this id")
        return requirement

    def record_unpaid_work(self, requirement_id: str, worked_on: date, hours: int, by: Provenance) -> None:
        requirement = self.check_unpaid_work(requirement_id)
        known = requirement["worked"].get(worked_on)
        if known is not None:
            if known != hours:
                raise SupervisionConflictError("worked_on: hours are already recorded for this day")
            return
        total = sum(requirement["worked"].values()) + hours
        self.record(self.UnpaidWorkRecorded, by, start_of_day(worked_on), person_id=self.person_id,
                    requirement_id=requirement_id, worked_on=worked_on, hours=hours, hours_worked=total)  # fmt: skip

    class UnpaidWorkRecorded(PathwayAggregate.Event):
        person_id: UUID
        requirement_id: str
        worked_on: date
        hours: int
        hours_worked: int  # in all, for the requirement, after this record

        def apply(self, file: SupervisionFile) -> None:
            file.requirements[self.requirement_id]["worked"][self.worked_on] = self.hours

    def check_requirement_met(self, requirement_id: str) -> Requirement:
        requirement = self.requirements.get(requirement_id)
        if requirement is None:
            raise RequirementNotFoundError("requirement_id: no requirement with this id")
        worked = sum(requirement["worked"].values())
        hours = cast(int, requirement["hours"])  # stated for unpaid work, the one kind it is compared for
        if requirement["kind"] == "unpaid_work" and worked < hours:
            raise RequirementNotMetError(f"completion refused: {worked} of {hours} hours worked")
        return requirement

    def complete_requirement(self, requirement_id: str, completed_on: date, by: Provenance) -> None:
        requirement = self.check_requirement_met(requirement_id)
        known = requirement.get("completed_on")
        if known is not None:
            if known != completed_on:
                raise SupervisionConflictError("completed_on: the requirement is already completed on another day")
            return
        self._record(self.RequirementCompleted, requirement["supervision_started_on"], completed_on, by,
                     requirement_id=requirement_id, kind=requirement["kind"], completed_on=completed_on)  # fmt: skip

    class RequirementCompleted(PathwayAggregate.Event):
        """A requirement met (issue 6)."""

        person_id: UUID
        supervision_started_on: date
        requirement_id: str
        kind: str
        completed_on: date

        def apply(self, file: SupervisionFile) -> None:
            file.requirements[self.requirement_id]["completed_on"] = self.completed_on

    # --- contacts and level reviews ---------------------------------------

    def record_contact(
        self,
        started_on: date,
        contact_id: str,
        kind: str,
        contact_on: date,
        outcome: str,
        reason: str | None,
        by: Provenance,
    ) -> None:
        content = {"supervision_started_on": started_on, "kind": kind, "contact_on": contact_on, "outcome": outcome,
                   "reason": reason}  # fmt: skip
        known = self.contacts.get(contact_id)
        if known is not None:
            if known != content:
                raise SupervisionConflictError("contact_id: already recorded with other content")
            return
        self._record(self.ContactRecorded, started_on, contact_on, by, contact_id=contact_id, kind=kind,
                     contact_on=contact_on, outcome=outcome, sensitive={"reason": reason})  # fmt: skip

    class ContactRecorded(PathwayAggregate.Event):
        """An appointment or check-in and its outcome; `sensitive` keeps the reason for an absence."""

        person_id: UUID
        supervision_started_on: date
        contact_id: str
        kind: str
        contact_on: date
        outcome: str
        sensitive: dict[str, Any]

        def apply(self, file: SupervisionFile) -> None:
            file.contacts[self.contact_id] = {
                "supervision_started_on": self.supervision_started_on,
                "kind": self.kind,
                "contact_on": self.contact_on,
                "outcome": self.outcome,
                "reason": self.sensitive.get("reason"),
            }

    def review_level(
        self,
        started_on: date,
        review_id: str,
        reviewed_on: date,
        level: str,
        next_review_on: date,
        reviewed_by: str,
        by: Provenance,
    ) -> None:
        content = {"supervision_started_on": started_on, "reviewed_on": reviewed_on, "level": level,
                   "next_review_on": next_review_on, "reviewed_by": reviewed_by}  # fmt: skip
        known = self.reviews.get(review_id)
        if known is not None:
            if known != content:
                raise SupervisionConflictError("review_id: already recorded with other content")
            return
        self._record(self.LevelReviewed, started_on, reviewed_on, by, review_id=review_id, reviewed_on=reviewed_on,
                     level=level, next_review_on=next_review_on, reviewed_by=reviewed_by)  # fmt: skip

    class LevelReviewed(PathwayAggregate.Event):
        """The supervision level reviewed (issue 6), and when the next review is due."""

        person_id: UUID
        supervision_started_on: date
        review_id: str
        reviewed_on: date
        level: str
        next_review_on: date
        reviewed_by: str

        def apply(self, file: SupervisionFile) -> None:
            file.reviews[self.review_id] = {
                "supervision_started_on": self.supervision_started_on,
                "reviewed_on": self.reviewed_on,
                "level": self.level,
                "next_review_on": self.next_review_on,
                "reviewed_by": self.reviewed_by,
            }

    # --- the measure modified, and its end --------------------------------

    @staticmethod
    def check_new_end(kind: str, started_on: date, current: date, new_ends_on: date | None) -> None:
        if kind not in ("extended", "shortened"):
            if new_ends_on is not None:
                raise MeasureModificationError("new_ends_on: given only for an extension or a shortening")
            return
        if new_ends_on is None:
            raise MeasureModificationError(f"new_ends_on: required for a measure {kind}")
        if kind == "extended" and new_ends_on <= current:
            raise MeasureModificationError(f"extension refused: the measure already ends {current.isoformat()}")
        if kind == "shortened" and not started_on < new_ends_on < current:
            raise MeasureModificationError(
                f"shortening refused: the new end must fall after the start and before {current.isoformat()}"
            )

    def modify_measure(
        self,
        started_on: date,
        ends_on: date,
        modification_id: str,
        kind: str,
        modified_on: date,
        decided_by: str,
        new_ends_on: date | None,
        by: Provenance,
    ) -> None:
        """`ends_on` is the supervision's end as it stands; an extension or shortening sets `new_ends_on`."""
        term = self.term(started_on)
        current = term["ends_on"] or ends_on
        known = term["modifications"].get(modification_id)
        target = new_ends_on or current
        content = {"kind": kind, "modified_on": modified_on, "decided_by": decided_by, "ends_on": target}
        if known is not None:
            if known != content:
                raise SupervisionConflictError("modification_id: already recorded with other content")
            return
        self.check_new_end(kind, started_on, current, new_ends_on)
        self._record(self.MeasureModified, started_on, modified_on, by, modification_id=modification_id,
                     **content)  # fmt: skip

    class MeasureModified(PathwayAggregate.Event):
        """Tokyo 11.2, 12.4: a measure modified by a named body; `ends_on` is the end in force after it."""

        person_id: UUID
        supervision_started_on: date
        modification_id: str
        kind: str
        modified_on: date
        decided_by: str
        ends_on: date

        def apply(self, file: SupervisionFile) -> None:
            term = file.term(self.supervision_started_on)
            term["modifications"][self.modification_id] = {
                "kind": self.kind,
                "modified_on": self.modified_on,
                "decided_by": self.decided_by,
                "ends_on": self.ends_on,
            }
            term["ends_on"] = self.ends_on

    def ended(self, ended_on: date, reason: str) -> bool:
        """True if a supervision's end on this day for this reason is recorded; a conflict for another reason."""
        for term in self.terms.values():
            end = term["ended"]
            if end is not None and end["ended_on"] == ended_on:
                if end["reason"] != reason:
                    raise SupervisionConflictError(
                        "ended_on: a supervision end is recorded on this day for another reason"
                    )
                return True
        return False

    def end(self, started_on: date, ended_on: date, reason: str, by: Provenance) -> None:
        self._record(self.SupervisionEnded, started_on, ended_on, by, ended_on=ended_on, reason=reason)

    class SupervisionEnded(PathwayAggregate.Event):
        """Why a supervision ended (the release case records the completion itself)."""

        person_id: UUID
        supervision_started_on: date
        ended_on: date
        reason: str

        def apply(self, file: SupervisionFile) -> None:
            file.term(self.supervision_started_on)["ended"] = {"ended_on": self.ended_on, "reason": self.reason}

    # --- recording --------------------------------------------------------

    def _record(self, event_class: type[Any], started_on: date, day: date, by: Provenance, **data: Any) -> None:
        self.record(event_class, by, start_of_day(day), person_id=self.person_id, supervision_started_on=started_on,
                    **data)  # fmt: skip
