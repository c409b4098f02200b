"""Public events: what each service publishes. Type names are part of the contract.

Payloads carry identifiers, never names or birth dates: whoever needs more asks
the owning service.
"""

from __future__ import annotations

from datetime import date
from typing import Literal
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict

from shared.contracts.base import PublicEvent, PublishedNationalId
from shared.contracts.commands import (
    AbsenceKind,
    AdjustmentKind,
    AttendanceOutcome,
    ClassificationDecision,
    ClassificationKind,
    DecisionKind,
    EducationLevel,
    Employment,
    Housing,
    LegalStatus,
    Measure,
    ParticipationOutcome,
    ProgrammeKind,
    ReferralStatus,
    ReleaseType,
    ReviewOutcome,
    ReviewReason,
    RiskLevel,
    SecurityLevel,
    Setting,
    Sex,
    SkillLevel,
    WorkReadiness,
)
from shared.contracts.compliance import COMPLIANCE_EVENTS
from shared.contracts.release_dates import PublishedAdjustment, PublishedOverride, PublishedSentence
from shared.contracts.resettlement import RESETTLEMENT_EVENTS
from shared.contracts.source_codes import SOURCE_CODES_EVENTS
from shared.contracts.supervision import SUPERVISION_EVENTS

SupervisionType = Literal[
    "probation",
    "community_service",
    "suspended_sentence",
    "house_arrest",
    "electronic_monitoring",
    "parole_licence",
    "pretrial_supervision",
]
# deselected and withdrawn (added with referrals): the referral's status that ended the enrolment.
WithdrawalReason = Literal["released_before_completion", "deselected", "withdrawn", "failed", "transferred"]

# --- intake ---------------------------------------------------------------


class PersonRegistered(PublicEvent):
    type = "intake.person.registered"
    person_id: UUID
    national_id: PublishedNationalId
    # Added with eligibility by sex (women-only or men-only programmes, separation; Bangkok Rules): the one
    # personal attribute published, None from registrations published before.
    sex: Sex | None = None


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


class CaseRestricted(PublicEvent):
    """The person's case is restricted: every service answers it only to the principals (subjects) in `may_see`.

    `grounds` is plain text, not the command's list: a service must apply a restriction on grounds added after it
    was built rather than refuse it, or the case would stay open there."""

    type = "intake.case.restricted"
    person_id: UUID
    grounds: str
    may_see: list[str]


class CaseRestrictionLifted(PublicEvent):
    type = "intake.case.restriction-lifted"
    person_id: UUID
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


class TemporaryAbsenceStarted(PublicEvent):
    type = "intake.temporary-absence.started"
    person_id: UUID
    absence_id: str
    facility: str
    kind: AbsenceKind
    left_at: AwareDatetime
    expected_back_on: date | None = None


class TemporaryAbsenceEnded(PublicEvent):
    type = "intake.temporary-absence.ended"
    person_id: UUID
    absence_id: str
    facility: str
    returned_at: AwareDatetime


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


class PublishedEligibility(BaseModel):
    """Who a programme is for (None: anyone). Read leniently, like every published payload."""

    model_config = ConfigDict(frozen=True, hide_input_in_errors=True, extra="ignore")

    security_levels: list[SecurityLevel] | None = None
    sexes: list[Sex] | None = None
    risk_levels: list[RiskLevel] | None = None
    needs: list[str] | None = None


class PublishedCompletionRule(BaseModel):
    model_config = ConfigDict(frozen=True, hide_input_in_errors=True, extra="ignore")

    min_attendance_rate: float | None = None
    max_unacceptable_absences: int | None = None


class ProgrammePublished(PublicEvent):
    type = "programmes.programme.published"
    programme_id: str
    title: str
    kind: ProgrammeKind
    setting: Setting
    capacity: int
    sessions_required: int
    # Added with the catalogue (None where not given).
    facility: str | None = None
    eligibility: PublishedEligibility | None = None
    awarding_body: str | None = None
    completion_rule: PublishedCompletionRule | None = None
    community_version: str | None = None


class ProgrammeRevised(PublicEvent):
    """A catalogue entry changed from `revised_on`; None: unchanged."""

    type = "programmes.programme.revised"
    programme_id: str
    revised_on: date
    title: str | None = None
    capacity: int | None = None
    sessions_required: int | None = None
    facility: str | None = None
    eligibility: PublishedEligibility | None = None
    awarding_body: str | None = None
    completion_rule: PublishedCompletionRule | None = None
    community_version: str | None = None


class ProgrammeRetired(PublicEvent):
    type = "programmes.programme.retired"
    programme_id: str
    retired_on: date
    reason: str


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
    outcome: AttendanceOutcome | None = None  # added with delivery; None: recorded as attended or not only


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


class ReferralCreated(PublicEvent):
    """A referral to a programme; a direct enrolment records its own, already on the programme."""

    type = "programmes.referral.created"
    person_id: UUID
    referral_id: str
    programme_id: str
    referred_on: date
    status: ReferralStatus
    reason_category: str
    reason_code: str


class ReferralStatusChanged(PublicEvent):
    type = "programmes.referral.status-changed"
    person_id: UUID
    referral_id: str
    programme_id: str
    from_status: ReferralStatus
    status: ReferralStatus
    changed_on: date
    reason_category: str
    reason_code: str


class WaitingListJoined(PublicEvent):
    """A referral awaiting allocation waits for a place (the programme had none free, or none for them)."""

    type = "programmes.waiting-list.joined"
    person_id: UUID
    programme_id: str
    referral_id: str
    referred_on: date
    joined_on: date


class NeedsAssessed(PublicEvent):
    """The levels assessed; barriers are sensitive and stay with programmes (`withheld_fields` says so)."""

    type = "programmes.needs.assessed"
    person_id: UUID
    assessment_id: str
    assessed_on: date
    education_level: EducationLevel
    literacy: SkillLevel
    numeracy: SkillLevel
    work_readiness: WorkReadiness
    withheld_fields: list[str]


class ParticipationEnded(PublicEvent):
    """An enrolment's end, whichever way (completion, release, withdrawal...), with its outcome."""

    type = "programmes.participation.ended"
    person_id: UUID
    programme_id: str
    ended_on: date
    outcome: ParticipationOutcome


class CertificateAwarded(PublicEvent):
    """A completion certified by the programme's awarding body: its number, and nothing about custody."""

    type = "programmes.certificate.awarded"
    person_id: UUID
    programme_id: str
    awarding_body: str
    certificate_no: str
    awarded_on: date


class EnrolmentSuspended(PublicEvent):
    """A transfer away from where the programme runs, or a recall from the community (`recalled`): the place is
    given up, the progress kept."""

    type = "programmes.enrolment.suspended"
    person_id: UUID
    programme_id: str
    suspended_on: date
    # no_longer_eligible: added with issue 5; temporary_absence: added with temporary absences
    reason: Literal["transferred", "recalled", "no_longer_eligible", "temporary_absence"]
    sessions_attended: int


class EnrolmentResumed(PublicEvent):
    """Back where the programme runs, with a place free: the enrolment goes on from the progress kept."""

    type = "programmes.enrolment.resumed"
    person_id: UUID
    programme_id: str
    resumed_on: date
    sessions_attended: int


class PlaceAllocated(PublicEvent):
    """A place offered to the first eligible person waiting for it; their enrolment follows."""

    type = "programmes.place.allocated"
    person_id: UUID
    programme_id: str
    referral_id: str
    allocated_on: date


class PlanDrawnUp(PublicEvent):
    """An individual plan (Mandela 94): the programmes it names; its needs and notes stay with programmes."""

    type = "programmes.plan.drawn-up"
    person_id: UUID
    plan_id: str
    assessment_id: str
    drawn_up_on: date
    goals: int
    programme_ids: list[str]
    withheld_fields: list[str]


class CohortScheduled(PublicEvent):
    type = "programmes.cohort.scheduled"
    programme_id: str
    cohort_id: str
    starts_on: date
    facility: str | None = None
    sessions_planned: int | None = None


class CohortJoined(PublicEvent):
    """An enrolled person put in a cohort of the programme (and out of any other of it)."""

    type = "programmes.cohort.joined"
    person_id: UUID
    programme_id: str
    cohort_id: str
    joined_on: date


class SessionHeld(PublicEvent):
    """A cohort's session, once, with counts only: each person's attendance is `programmes.attendance.recorded`."""

    type = "programmes.session.held"
    programme_id: str
    cohort_id: str
    session_on: date
    cancelled: bool
    recorded: int
    attended: int


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


class ReleaseRecordedInError(PublicEvent):
    """A correction: the release never was, the person is back in custody, and any supervision that release
    started (a parole licence) is cancelled (`supervision_cancelled`). Added with issue 6."""

    type = "release.release.recorded-in-error"
    person_id: UUID
    released_on: date
    release_type: ReleaseType
    reason: str
    supervision_cancelled: bool


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
    new_conviction: bool | None = None  # added with issue 6
    new_conviction_on: date | None = None
    follow_up_months: int | None = None  # the follow-up point it answers, where the outcome named one


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
        CaseRestricted,
        CaseRestrictionLifted,
        PersonTransferred,
        TemporaryAbsenceStarted,
        TemporaryAbsenceEnded,
        LegalStatusChanged,
        PersonPlaced,
        PlacementEnded,
        PretrialDetentionReviewed,
        ClassificationProposed,
        ClassificationDecided,
        ProgrammePublished,
        ProgrammeRevised,
        ProgrammeRetired,
        EnrolmentStarted,
        AttendanceRecorded,
        ProgrammeCompleted,
        EnrolmentWithdrawn,
        ReferralCreated,
        ReferralStatusChanged,
        WaitingListJoined,
        PlaceAllocated,
        EnrolmentSuspended,
        EnrolmentResumed,
        ParticipationEnded,
        NeedsAssessed,
        CertificateAwarded,
        PlanDrawnUp,
        CohortScheduled,
        CohortJoined,
        SessionHeld,
        ReleaseDatesCalculated,
        PersonReleased,
        ReleaseRecordedInError,
        SupervisionStarted,
        SupervisionCompleted,
        OutcomeRecorded,
        AchievementRecorded,
        RecallExecuted,
        *COMPLIANCE_EVENTS,
        *SUPERVISION_EVENTS,
        *RESETTLEMENT_EVENTS,
        *SOURCE_CODES_EVENTS,
    )
}
