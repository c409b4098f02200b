"""Release's supervision contracts: officer, conditions, requirements, explanation, consent, contacts.

Each command acts on the person's current supervision (refused when there is none); each public
event names that supervision by its start date. Names and fields are public: add, never rename.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal
from uuid import UUID

from pydantic import Field, model_validator

from shared.contracts.base import PersonCommand, PublicEvent, Text
from shared.contracts.bounds import BusinessDate, Hours
from shared.errors import FieldProblem, InvalidInput

RequirementKind = Literal["unpaid_work", "programme", "treatment", "curfew", "residence", "other"]
ContactKind = Literal["appointment", "check_in", "home_visit", "other"]
ContactOutcome = Literal["complied", "acceptable_absence", "unacceptable_absence"]
MeasureModification = Literal["conditions_changed", "requirement_removed", "extended", "shortened", "other"]
EndReason = Literal["expired", "early_discharge", "revocation", "absconded", "died", "transferred", "other"]
SupervisionLevel = Literal["low", "medium", "high", "intensive"]

# --- commands ---------------------------------------------------------------


class AssignOfficer(PersonCommand):
    command = "assign_officer"
    officer_id: Text
    assigned_on: BusinessDate


class SetConditions(PersonCommand):
    """The supervision's conditions, as a whole (a later call replaces them)."""

    command = "set_conditions"
    conditions: Annotated[list[Text], Field(min_length=1)]
    set_on: BusinessDate


class ImposeRequirement(PersonCommand):
    """A requirement of the measure; unpaid work states its hours."""

    command = "impose_requirement"
    requirement_id: Text
    kind: RequirementKind
    hours: Hours | None = None
    imposed_on: BusinessDate

    @model_validator(mode="after")
    def _hours_for_unpaid_work(self) -> ImposeRequirement:
        if (self.kind == "unpaid_work") != (self.hours is not None):
            raise InvalidInput([FieldProblem("hours", "required for unpaid_work, and only for it")])
        return self


class RecordUnpaidWork(PersonCommand):
    command = "record_unpaid_work"
    requirement_id: Text
    worked_on: BusinessDate
    hours: Hours


class ExplainConditions(PersonCommand):
    """Tokyo 12.3: conditions explained orally and in writing; both are needed for it to count as done."""

    command = "explain_conditions"
    explained_on: BusinessDate
    orally: bool
    in_writing: bool
    explained_by: Text


class RecordConsent(PersonCommand):
    """Tokyo 3.4: the person's consent to a measure that precedes or replaces trial."""

    command = "record_consent"
    consented_on: BusinessDate


class RecordContact(PersonCommand):
    """An appointment or check-in with its outcome; the reason for an absence is sensitive (never published)."""

    command = "record_contact"
    contact_id: Text
    kind: ContactKind
    contact_on: BusinessDate
    outcome: ContactOutcome
    reason: Annotated[str, Field(min_length=1, max_length=500)] | None = None


class ModifyMeasure(PersonCommand):
    """Tokyo 11.2, 12.4: the current measure modified by a named body; an extension or shortening sets the end."""

    command = "modify_measure"
    modification_id: Text
    kind: MeasureModification
    modified_on: BusinessDate
    decided_by: Text
    new_ends_on: BusinessDate | None = None


class EndSupervision(PersonCommand):
    """The current supervision ended, and why (the spine's `complete_supervision` says only when)."""

    command = "end_supervision"
    ended_on: BusinessDate
    reason: EndReason


class ReviewSupervisionLevel(PersonCommand):
    """The current supervision's level reviewed, and when the next review is due (added with issue 6)."""

    command = "review_supervision_level"
    review_id: Text
    reviewed_on: BusinessDate
    level: SupervisionLevel
    next_review_on: BusinessDate
    reviewed_by: Text

    @model_validator(mode="after")
    def _next_review_after(self) -> ReviewSupervisionLevel:
        if self.next_review_on <= self.reviewed_on:
            raise InvalidInput([FieldProblem("next_review_on", "must fall after reviewed_on")])
        return self


class CompleteRequirement(PersonCommand):
    """A requirement of the measure met (unpaid work: once its hours are worked); added with issue 6."""

    command = "complete_requirement"
    requirement_id: Text
    completed_on: BusinessDate


SUPERVISION_COMMANDS = (
    ModifyMeasure,
    EndSupervision,
    AssignOfficer,
    SetConditions,
    ImposeRequirement,
    RecordUnpaidWork,
    ExplainConditions,
    RecordConsent,
    RecordContact,
    ReviewSupervisionLevel,
    CompleteRequirement,
)

# --- public events ------------------------------------------------------------


class OfficerAssigned(PublicEvent):
    type = "release.officer.assigned"
    person_id: UUID
    supervision_started_on: date
    officer_id: str
    assigned_on: date


class ConditionsSet(PublicEvent):
    type = "release.conditions.set"
    person_id: UUID
    supervision_started_on: date
    conditions: list[str]
    set_on: date


class RequirementImposed(PublicEvent):
    type = "release.requirement.imposed"
    person_id: UUID
    supervision_started_on: date
    requirement_id: str
    kind: RequirementKind
    hours: int | None = None
    imposed_on: date


class UnpaidWorkRecorded(PublicEvent):
    type = "release.unpaid-work.recorded"
    person_id: UUID
    requirement_id: str
    worked_on: date
    hours: int
    hours_worked: int


class ConditionsExplained(PublicEvent):
    type = "release.conditions.explained"
    person_id: UUID
    supervision_started_on: date
    explained_on: date
    orally: bool
    in_writing: bool
    explained_by: str


class ConsentRecorded(PublicEvent):
    type = "release.consent.recorded"
    person_id: UUID
    supervision_started_on: date
    consented_on: date


class ContactRecorded(PublicEvent):
    """`sensitive_fields` names what release holds but does not publish (the reason for an absence)."""

    type = "release.contact.recorded"
    person_id: UUID
    supervision_started_on: date
    contact_id: str
    kind: ContactKind
    contact_on: date
    outcome: ContactOutcome
    sensitive_fields: list[str] = []


class MeasureModified(PublicEvent):
    """`ends_on` is the supervision's end in force after the modification."""

    type = "release.measure.modified"
    person_id: UUID
    supervision_started_on: date
    modification_id: str
    kind: MeasureModification
    modified_on: date
    decided_by: str
    ends_on: date


class SupervisionEnded(PublicEvent):
    """Why a supervision ended; `release.supervision.completed` is published with it."""

    type = "release.supervision.ended"
    person_id: UUID
    supervision_started_on: date
    ended_on: date
    reason: EndReason


class SupervisionLevelReviewed(PublicEvent):
    type = "release.supervision-level.reviewed"
    person_id: UUID
    supervision_started_on: date
    review_id: str
    reviewed_on: date
    level: SupervisionLevel
    next_review_on: date
    reviewed_by: str


class RequirementCompleted(PublicEvent):
    type = "release.requirement.completed"
    person_id: UUID
    supervision_started_on: date
    requirement_id: str
    kind: RequirementKind
    completed_on: date


SUPERVISION_EVENTS = (
    MeasureModified,
    SupervisionEnded,
    OfficerAssigned,
    ConditionsSet,
    RequirementImposed,
    UnpaidWorkRecorded,
    ConditionsExplained,
    ConsentRecorded,
    ContactRecorded,
    SupervisionLevelReviewed,
    RequirementCompleted,
)
