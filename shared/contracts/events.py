"""Public events: what each service publishes. Type names are part of the contract.

Payloads carry identifiers, never names or birth dates: whoever needs more asks
the owning service.
"""

from __future__ import annotations

from datetime import date
from typing import Literal
from uuid import UUID

from pydantic import AwareDatetime

from shared.contracts.base import PublicEvent, PublishedNationalId
from shared.contracts.commands import (
    DecisionKind,
    Employment,
    Housing,
    Measure,
    ProgrammeKind,
    ReleaseType,
    Setting,
)

SupervisionType = Literal[
    "probation",
    "community_service",
    "suspended_sentence",
    "house_arrest",
    "electronic_monitoring",
    "parole_licence",
    "pretrial_supervision",
]
WithdrawalReason = Literal["released_before_completion"]

# --- intake ---------------------------------------------------------------


class PersonRegistered(PublicEvent):
    type = "intake.person.registered"
    person_id: UUID
    national_id: PublishedNationalId


class CourtDecisionRecorded(PublicEvent):
    type = "intake.court-decision.recorded"
    person_id: UUID
    decision_id: str
    decided_on: date
    court: str
    kind: DecisionKind
    sentence_days: int | None = None
    measure: Measure | None = None
    measure_days: int | None = None


class PersonAdmitted(PublicEvent):
    type = "intake.person.admitted"
    person_id: UUID
    facility: str
    admitted_at: AwareDatetime


class FacilityDeclared(PublicEvent):
    type = "intake.facility.declared"
    facility: str
    name: str
    capacity: int
    effective_on: date | None = None
    recorded_on: date


# --- programmes -----------------------------------------------------------


class ProgrammePublished(PublicEvent):
    type = "programmes.programme.published"
    programme_id: str
    title: str
    kind: ProgrammeKind
    setting: Setting
    capacity: int
    sessions_required: int


class EnrolmentStarted(PublicEvent):
    type = "programmes.enrolment.started"
    person_id: UUID
    programme_id: str
    setting: Setting
    enrolled_on: date


class AttendanceRecorded(PublicEvent):
    type = "programmes.attendance.recorded"
    person_id: UUID
    programme_id: str
    session_on: date
    attended: bool
    sessions_attended: int


class ProgrammeCompleted(PublicEvent):
    type = "programmes.programme.completed"
    person_id: UUID
    programme_id: str
    kind: ProgrammeKind
    completed_on: date
    certificate_no: str


class EnrolmentWithdrawn(PublicEvent):
    type = "programmes.enrolment.withdrawn"
    person_id: UUID
    programme_id: str
    withdrawn_on: date
    reason: WithdrawalReason


# --- release --------------------------------------------------------------


class ReleaseDatesCalculated(PublicEvent):
    type = "release.release-dates.calculated"
    person_id: UUID
    decision_id: str
    sentence_days: int
    sentence_start: date
    sentence_end: date
    conditional_release_eligibility: date
    conditional_release_fraction: str
    rules_version: str


class PersonReleased(PublicEvent):
    type = "release.person.released"
    person_id: UUID
    released_on: date
    release_type: ReleaseType


class SupervisionStarted(PublicEvent):
    type = "release.supervision.started"
    person_id: UUID
    supervision_type: SupervisionType
    started_on: date
    ends_on: date
    decision_id: str | None = None


class SupervisionCompleted(PublicEvent):
    type = "release.supervision.completed"
    person_id: UUID
    completed_on: date


class OutcomeRecorded(PublicEvent):
    type = "release.outcome.recorded"
    person_id: UUID
    recorded_on: date
    employment: Employment
    housing: Housing


class AchievementRecorded(PublicEvent):
    """A completed programme, entered in the person's release record."""

    type = "release.achievement.recorded"
    person_id: UUID
    programme_id: str
    kind: ProgrammeKind
    completed_on: date
    certificate_no: str


PUBLIC_EVENTS: dict[str, type[PublicEvent]] = {
    model.type: model
    for model in (
        PersonRegistered,
        CourtDecisionRecorded,
        PersonAdmitted,
        FacilityDeclared,
        ProgrammePublished,
        EnrolmentStarted,
        AttendanceRecorded,
        ProgrammeCompleted,
        EnrolmentWithdrawn,
        ReleaseDatesCalculated,
        PersonReleased,
        SupervisionStarted,
        SupervisionCompleted,
        OutcomeRecorded,
        AchievementRecorded,
    )
}
