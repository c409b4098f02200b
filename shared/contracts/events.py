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
    AdjustmentKind,
    ClassificationDecision,
    ClassificationKind,
    DecisionKind,
    Employment,
    Housing,
    LegalStatus,
    Measure,
    ProgrammeKind,
    ReleaseType,
    ReviewOutcome,
    ReviewReason,
    SecurityLevel,
    Setting,
)
from shared.contracts.release_dates import PublishedAdjustment, PublishedOverride, PublishedSentence

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
    time_limit_days: int | None = None
    review_interval_days: int | None = None
    consecutive_to: str | None = None


class SentenceAdjustmentRecorded(PublicEvent):
    type = "intake.sentence-adjustment.recorded"
    person_id: UUID
    adjustment_id: str
    decision_id: str
    kind: AdjustmentKind
    days: int
    recorded_on: date


class PersonAdmitted(PublicEvent):
    type = "intake.person.admitted"
    person_id: UUID
    facility: str
    admitted_at: AwareDatetime


class AdmissionRecorded(PublicEvent):
    """The admission record's open part; the names of what the service holds but does not publish.

    `sensitive_fields` are health-sensitive or about children (restricted);
    `withheld_fields` are personal details. Ask intake, which checks who asks.
    """

    type = "intake.admission.recorded"
    person_id: UUID
    admitted_at: AwareDatetime
    reason: str | None = None
    commitment_order: dict[str, str] | None = None
    arrested_at: AwareDatetime | None = None
    sensitive_fields: list[str] = []
    withheld_fields: list[str] = []


class AdmissionRecordedInError(PublicEvent):
    type = "intake.admission.recorded-in-error"
    person_id: UUID
    facility: str
    admitted_at: AwareDatetime
    reason: str


class IdentifierAdded(PublicEvent):
    type = "intake.identifier.added"
    person_id: UUID
    kind: str
    issuer: str
    value: str


class PossibleMatchRecorded(PublicEvent):
    """A new registration shares an identifier with an existing person: a person decides (merge or not)."""

    type = "intake.possible-match.recorded"
    person_id: UUID
    candidate_person_id: UUID
    matched_on: list[str]


class PersonsMerged(PublicEvent):
    """Two records are one person: `merged_person_id`'s history now belongs with `person_id`'s."""

    type = "intake.persons.merged"
    person_id: UUID
    merged_person_id: UUID
    reason: str


class PersonsUnmerged(PublicEvent):
    type = "intake.persons.unmerged"
    person_id: UUID
    merged_person_id: UUID
    reason: str


class PersonTransferred(PublicEvent):
    type = "intake.person.transferred"
    person_id: UUID
    transfer_id: str
    from_facility: str
    to_facility: str
    transferred_at: AwareDatetime
    reason: str
    family_notified: bool


class LegalStatusChanged(PublicEvent):
    type = "intake.legal-status.changed"
    person_id: UUID
    status: LegalStatus
    effective_on: date
    reason: str


class PersonPlaced(PublicEvent):
    type = "intake.person.placed"
    person_id: UUID
    facility: str
    unit: str
    placed_on: date
    category: Literal["untried", "convicted", "civil"]


class PlacementEnded(PublicEvent):
    type = "intake.placement.ended"
    person_id: UUID
    facility: str
    unit: str
    reason: str


class PretrialDetentionReviewed(PublicEvent):
    type = "intake.pretrial-detention.reviewed"
    person_id: UUID
    review_id: str
    decision_id: str
    reviewed_on: date
    outcome: ReviewOutcome
    next_review_on: date | None = None
    reason: str | None = None


class ClassificationProposed(PublicEvent):
    """Ratings, needs and reasons stay in intake: `sensitive_fields` names them, `restricted_fields` the extremism."""

    type = "intake.classification.proposed"
    person_id: UUID
    assessment_id: str
    kind: ClassificationKind
    review_reason: ReviewReason | None = None
    assessed_on: date
    proposed_level: SecurityLevel
    next_review_due: date
    sensitive_fields: list[str] = []
    restricted_fields: list[str] = []


class ClassificationDecided(PublicEvent):
    """`level` and `next_review_due` are those in force after the decision (none yet after a rejected initial)."""

    type = "intake.classification.decided"
    person_id: UUID
    assessment_id: str
    kind: ClassificationKind
    decision: ClassificationDecision
    decided_on: date
    proposed_level: SecurityLevel
    level: SecurityLevel | None = None
    next_review_due: date | None = None
    sensitive_fields: list[str] = []


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
    # Added with sentences and adjustments. The fields above keep their meaning: the dates are
    # the ones in force (an override's, where there is one); decision_id is the sentence whose
    # recording or adjustment caused this calculation; sentence_days is the term from
    # sentence_start to its latest end before adjustments (for one sentence, its length).
    calculation: int | None = None  # 1, 2, ... for the person; each recalculation is a new event
    jurisdiction: str | None = None
    sentences: list[PublishedSentence] | None = None
    adjustments: list[PublishedAdjustment] | None = None
    remand_days_served: int | None = None  # days in custody before the start, as release knows them
    remand_credit_applied: int | None = None  # never more than remand_days_served
    override: PublishedOverride | None = None


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


class RecallExecuted(PublicEvent):
    """A recall to custody carried out: the person is taken to `facility` (intake records the admission)."""

    type = "release.recall.executed"
    person_id: UUID
    recall_id: str
    facility: str
    executed_at: AwareDatetime
    issuing_authority: str


PUBLIC_EVENTS: dict[str, type[PublicEvent]] = {
    model.type: model
    for model in (
        PersonRegistered,
        CourtDecisionRecorded,
        SentenceAdjustmentRecorded,
        PersonAdmitted,
        FacilityDeclared,
        AdmissionRecorded,
        AdmissionRecordedInError,
        IdentifierAdded,
        PossibleMatchRecorded,
        PersonsMerged,
        PersonsUnmerged,
        PersonTransferred,
        LegalStatusChanged,
        PersonPlaced,
        PlacementEnded,
        PretrialDetentionReviewed,
        ClassificationProposed,
        ClassificationDecided,
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
        RecallExecuted,
    )
}
