"""Inbound commands, per service. Names and fields are public: add, never rename."""

from __future__ import annotations

from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import Field, model_validator

from shared.contracts.base import Command, Contract, NationalId, PersonCommand, Text
from shared.contracts.bounds import (
    AbsenceCount,
    AgeYears,
    BirthDate,
    BusinessDate,
    BusinessMoment,
    Capacity,
    PositiveSessionCount,
    Quantity,
    SessionCount,
    TermDays,
    TermMonths,
)
from shared.contracts.compliance import COMPLIANCE_COMMANDS
from shared.contracts.resettlement import RESETTLEMENT_COMMANDS
from shared.contracts.supervision import SUPERVISION_COMMANDS
from shared.errors import FieldProblem, InvalidInput

Sex = Literal["male", "female", "other", "unknown"]
DecisionKind = Literal["custodial_sentence", "non_custodial_measure", "pretrial_detention", "pretrial_alternative"]
Measure = Literal["probation", "community_service", "suspended_sentence", "house_arrest", "electronic_monitoring"]
# Open lists carry `other` (or `unknown`), so a national code table maps without loss (docs/DOMAIN.md); the
# sender's own code can travel beside it in `source_codes`. tests/unit/test_enumerations.py names the closed ones.
ProgrammeKind = Literal[
    "vocational", "education", "work", "accredited_behaviour", "substance", "disengagement", "life_skills", "other"
]
Setting = Literal["custody", "community"]
ReferralStatus = Literal[
    "submitted",
    "assessed_suitable",
    "assessed_not_suitable",
    "assessed_not_eligible",
    "deferred",
    "on_hold",
    "awaiting_allocation",
    "on_programme",
    "complete",
    "deselected",
    "withdrawn",
]
ReleaseType = Literal[
    "sentence_served",
    "conditional_release",
    "court_order",
    # Added with release in depth (issue 6); bail is a court order to release on bail.
    "parole",
    "bail",
    "acquitted",
    "pardoned",
    "transferred",
    "deported",
    "to_hospital",
    "died",
    "other",  # added with the enumeration rule: released under a provision not listed here
]
Employment = Literal["employed", "unemployed", "student", "unknown"]
Housing = Literal["permanent", "temporary", "none", "unknown"]
AdjustmentKind = Literal["remand_credit", "added_days", "unlawfully_at_large"]


# --- intake ---------------------------------------------------------------


IdentifierKind = Literal["prison_number", "case_reference", "court_reference", "national_id", "other"]


class Identifier(Contract):
    """A typed external identifier with its issuer (a person may have several)."""

    kind: IdentifierKind
    issuer: Text
    value: Text


class RegisterPerson(Command):
    command = "register_person"
    # The spine's fields: a resend of a spine registration keeps its fingerprint.
    fingerprint_fields = frozenset({"national_id", "given_name", "family_name", "date_of_birth", "sex"})
    national_id: NationalId
    given_name: Text
    family_name: Text
    date_of_birth: BirthDate
    sex: Sex
    identifiers: list[Identifier] | None = None


class AddIdentifier(PersonCommand):
    """Another identifier for a person (a prison number, a second national id...)."""

    command = "add_identifier"
    identifier: Identifier


class MergePersons(PersonCommand):
    """Decide that two records are one person: `person_id` survives, `merged_person_id` is merged into it."""

    command = "merge_persons"
    merged_person_id: UUID
    reason: Text


class UnmergePersons(PersonCommand):
    """Undo a merge decided in error."""

    command = "unmerge_persons"
    merged_person_id: UUID
    reason: Text


# Why a case is restricted; the restriction works the same whatever the grounds, so the list stays open.
RestrictionGrounds = Literal["protected_identity", "staff_relative", "high_profile", "other"]
# A protected case is known to few people: named ones, never a role.
MAX_MAY_SEE = 50


class RestrictCase(PersonCommand):
    """Mark a person's case restricted: only the principals named in `may_see` (the identity provider's subjects),
    and whoever marks it, may read it in any service; to anyone else it answers as an unknown person."""

    command = "restrict_case"
    grounds: RestrictionGrounds
    may_see: Annotated[list[Text], Field(min_length=1, max_length=MAX_MAY_SEE)]


class LiftCaseRestriction(PersonCommand):
    """End a case's restriction, with the reason: its readers are again those their roles allow."""

    command = "lift_case_restriction"
    reason: Annotated[str, Field(min_length=1, max_length=500)]


class RecordCourtDecision(PersonCommand):
    command = "record_court_decision"
    decision_id: Text
    decided_on: BusinessDate
    court: Text
    kind: DecisionKind
    offence: Text
    sentence_days: TermDays | None = None
    measure: Measure | None = None
    measure_days: TermDays | None = None
    # Pre-trial detention as a last resort (Tokyo Rule 6): its legal limit and how often it is reviewed.
    time_limit_days: TermDays | None = None
    review_interval_days: TermDays | None = None
    # A custodial sentence to be served after another of the same person's (its decision_id).
    consecutive_to: Text | None = None

    fingerprint_fields = frozenset(
        {
            "person_id",
            "national_id",
            "decision_id",
            "decided_on",
            "court",
            "kind",
            "offence",
            "sentence_days",
            "measure",
            "measure_days",
        }
    )

    @model_validator(mode="after")
    def _fits_its_kind(self) -> RecordCourtDecision:
        problems = []
        if self.kind != "custodial_sentence" and self.consecutive_to is not None:
            problems.append(FieldProblem("consecutive_to", "only for a custodial sentence"))
        for name in ("time_limit_days", "review_interval_days"):
            if self.kind != "pretrial_detention" and getattr(self, name) is not None:
                problems.append(FieldProblem(name, "only for a pre-trial detention"))
        if self.kind == "custodial_sentence" and self.sentence_days is None:
            problems.append(FieldProblem("sentence_days", "required for a custodial sentence"))
        if self.kind == "non_custodial_measure" and self.measure is None:
            problems.append(FieldProblem("measure", "required for a non-custodial measure"))
        if self.kind in ("non_custodial_measure", "pretrial_alternative") and self.measure_days is None:
            problems.append(FieldProblem("measure_days", f"required for a {self.kind.replace('_', ' ')}"))
        if self.kind != "custodial_sentence" and self.sentence_days is not None:
            problems.append(FieldProblem("sentence_days", "only for a custodial sentence"))
        if problems:
            raise InvalidInput(problems)
        return self


class RecordSentenceAdjustment(PersonCommand):
    """Remand credit, added days or days unlawfully at large, for one of the person's custodial sentences."""

    command = "record_sentence_adjustment"
    adjustment_id: Text
    decision_id: Text
    kind: AdjustmentKind
    days: TermDays
    recorded_on: BusinessDate


AdmissionReason = Literal[
    "new_remand",
    "new_sentenced",
    "recall",
    "transfer_in",
    "return_from_court",
    "return_from_temporary_release",
    "return_from_escape",
    "return_after_erroneous_release",
    "other",
]
OrderKind = Literal["remand_warrant", "sentence_warrant", "recall", "civil", "immigration"]


class CommitmentOrder(Contract):
    """The lawful order to detain (Mandela Rule 7); a recorded committing court decision is one by itself."""

    kind: OrderKind
    issuing_authority: Text
    reference: Text


class Contact(Contract):
    name: Text
    relationship: Text
    phone: Text | None = None
    address: Text | None = None


class Child(Contract):
    """Bangkok Rule 3: children of the person admitted, and the care arranged for them."""

    name: Text
    age: AgeYears
    whereabouts: Text
    cared_for_by: Text


class HealthAtAdmission(Contract):
    """Health-sensitive: visible injuries and complaints of prior ill-treatment."""

    visible_injuries: Text | None = None
    ill_treatment_complaint: Text | None = None


class PropertyItem(Contract):
    item: Text
    quantity: Quantity = 1


class Admit(PersonCommand):
    """Admission to a facility. Everything after `admitted_at` is the admission record (Mandela Rule 7)."""

    command = "admit"
    # The spine's fields: a resend of a spine admission keeps its fingerprint.
    fingerprint_fields = frozenset({"person_id", "national_id", "facility", "admitted_at"})
    facility: Text
    admitted_at: BusinessMoment
    reason: AdmissionReason | None = None
    commitment_order: CommitmentOrder | None = None
    arrested_at: BusinessMoment | None = None
    arrest_place: Text | None = None
    self_perceived_gender: Text | None = None
    health: HealthAtAdmission | None = None
    property: list[PropertyItem] | None = None
    children: list[Child] | None = None
    next_of_kin: Contact | None = None
    emergency_contact: Contact | None = None

    def admission_record(self) -> dict[str, Any] | None:
        """The record beyond the spine's fields, or None when only those were given."""
        fields = self.model_dump(mode="json", exclude_none=True, include=ADMISSION_RECORD_FIELDS)
        return fields or None


ADMISSION_RECORD_FIELDS = {
    "reason",
    "commitment_order",
    "arrested_at",
    "arrest_place",
    "self_perceived_gender",
    "health",
    "property",
    "children",
    "next_of_kin",
    "emergency_contact",
}


LegalStatus = Literal["remand", "convicted_unsentenced", "sentenced", "recall", "civil", "immigration"]
ReviewOutcome = Literal["continue", "bail", "alternative_measure"]


class RecordAdmissionInError(PersonCommand):
    """Correct an admission that should never have been recorded (the record stays, marked in error)."""

    command = "record_admission_in_error"
    facility: Text
    admitted_at: BusinessMoment
    reason: Text


class Transfer(PersonCommand):
    command = "transfer"
    transfer_id: Text
    to_facility: Text
    transferred_at: BusinessMoment
    reason: Text
    family_notified: bool


AbsenceKind = Literal["court", "hospital", "temporary_release", "family_visit", "other"]


class RecordTemporaryAbsence(PersonCommand):
    """The person leaves the facility for a while and stays on its roll: to court, to hospital, on temporary
    release. Custody programmes are suspended until the return (DOMAIN.md)."""

    command = "record_temporary_absence"
    absence_id: Text
    kind: AbsenceKind
    left_at: BusinessMoment
    expected_back_on: BusinessDate | None = None


class RecordReturn(PersonCommand):
    """The person is back from a temporary absence."""

    command = "record_return"
    absence_id: Text
    returned_at: BusinessMoment


class ChangeLegalStatus(PersonCommand):
    command = "change_legal_status"
    status: LegalStatus
    effective_on: BusinessDate
    reason: Text


NonAssociationReason = Literal["co_defendant", "conflict", "victim_and_perpetrator", "rival_group", "other"]


class RecordNonAssociation(PersonCommand):
    """Two people who must not share a unit (DOMAIN.md: non-associations). A security record: kept by intake,
    never published; a refused placement does not name the other person."""

    command = "record_non_association"
    other_person_id: UUID | None = None
    other_national_id: NationalId | None = None
    reason: NonAssociationReason
    recorded_on: BusinessDate

    @model_validator(mode="after")
    def _names_the_other_person(self) -> RecordNonAssociation:
        if (self.other_person_id is None) == (self.other_national_id is None):
            raise InvalidInput([FieldProblem("other_person_id", "give either other_person_id or other_national_id")])
        return self


class Place(PersonCommand):
    """Allocate a person to a unit within the facility holding them."""

    command = "place"
    facility: Text
    unit: Text
    placed_on: BusinessDate


class ReviewPretrialDetention(PersonCommand):
    command = "review_pretrial_detention"
    review_id: Text
    decision_id: Text
    reviewed_on: BusinessDate
    outcome: ReviewOutcome
    next_review_on: BusinessDate | None = None
    reason: Text | None = None


class DeclareFacility(Command):
    """A facility and its capacity; a later declaration changes the capacity from its effective date."""

    command = "declare_facility"
    facility: Text
    name: Text
    capacity: Capacity
    effective_on: BusinessDate | None = None


# Classification (UNODC handbook; Mandela 89, 93, 94; Bangkok 40-41). Levels least restrictive first.
ClassificationKind = Literal["initial", "review"]
ReviewReason = Literal["due", "risk_change", "sentence_change", "transfer", "manual"]
Rating = Literal["low", "medium", "high", "unknown"]
ExtremismRating = Literal["none", "low", "medium", "high", "unknown"]
SecurityLevel = Literal["low", "medium", "high", "maximum"]
ClassificationDecision = Literal["approved", "rejected"]
LongText = Annotated[str, Field(min_length=1, max_length=2000)]


class ClassificationRatings(Contract):
    """Sensitive: never published or logged. The extremism rating is restricted."""

    escape: Rating
    harm_to_others: Rating
    violence: Rating
    vulnerability: Rating
    extremism: ExtremismRating


class ProposeClassification(PersonCommand):
    """An initial assessment or a review, proposing a level; a second person decides it."""

    command = "propose_classification"
    assessment_id: Text
    kind: ClassificationKind
    review_reason: ReviewReason | None = None
    assessed_on: BusinessDate
    ratings: ClassificationRatings
    needs: Annotated[list[Text], Field(max_length=50)] = []
    proposed_level: SecurityLevel
    reasons: LongText | None = None
    next_review_due: BusinessDate

    @model_validator(mode="after")
    def _fits_its_kind(self) -> ProposeClassification:
        problems = []
        if self.kind == "review" and self.review_reason is None:
            problems.append(FieldProblem("review_reason", "required for a review"))
        if self.kind == "initial" and self.review_reason is not None:
            problems.append(FieldProblem("review_reason", "only for a review"))
        if self.next_review_due <= self.assessed_on:
            problems.append(FieldProblem("next_review_due", "must be after assessed_on"))
        if problems:
            raise InvalidInput(problems)
        return self


class DecideClassification(PersonCommand):
    """Approve or reject a proposed classification: by someone other than its proposer, once."""

    command = "decide_classification"
    assessment_id: Text
    decision: ClassificationDecision
    decided_on: BusinessDate
    reason: LongText | None = None

    @model_validator(mode="after")
    def _rejection_says_why(self) -> DecideClassification:
        if self.decision == "rejected" and self.reason is None:
            raise InvalidInput([FieldProblem("reason", "required for a rejection")])
        return self


# --- programmes -----------------------------------------------------------


RiskLevel = Literal["low", "medium", "high"]
AttendanceOutcome = Literal[
    "attended_and_complied", "failed_to_comply", "acceptable_absence", "unacceptable_absence", "refused", "cancelled"
]


class CompletionRule(Contract):
    """What completion asks besides `sessions_required`, as data per programme.

    The rate counts sessions attended and complied with among those held (cancelled ones and
    acceptable absences left out); unacceptable absences count refusals too.
    """

    min_attendance_rate: Annotated[float, Field(ge=0, le=1)] | None = None
    max_unacceptable_absences: AbsenceCount | None = None


class Eligibility(Contract):
    """Who a programme is for (None: anyone): security levels, sexes, risk levels, needs it meets."""

    security_levels: list[SecurityLevel] | None = None
    sexes: list[Sex] | None = None
    risk_levels: list[RiskLevel] | None = None
    needs: list[Text] | None = None


class PublishProgramme(Command):
    command = "publish_programme"
    fingerprint_fields = frozenset({"programme_id", "title", "kind", "setting", "capacity", "sessions_required"})
    programme_id: Text
    title: Text
    kind: ProgrammeKind
    setting: Setting
    capacity: Capacity
    sessions_required: SessionCount
    # Added with the catalogue: where it runs, who it is for, who certifies it.
    facility: Text | None = None
    eligibility: Eligibility | None = None
    awarding_body: Text | None = None
    completion_rule: CompletionRule | None = None
    community_version: Text | None = None  # a custody programme's community version, offered on release


class ReviseProgramme(Command):
    """Change a programme's catalogue entry from a date; fields left out keep their value."""

    command = "revise_programme"
    programme_id: Text
    revised_on: BusinessDate
    title: Text | None = None
    capacity: Capacity | None = None
    sessions_required: SessionCount | None = None
    facility: Text | None = None
    eligibility: Eligibility | None = None
    awarding_body: Text | None = None
    completion_rule: CompletionRule | None = None
    community_version: Text | None = None  # a custody programme's community version, offered on release


class RetireProgramme(Command):
    """Take a programme out of the catalogue: no new referrals or enrolments; current ones run on."""

    command = "retire_programme"
    programme_id: Text
    retired_on: BusinessDate
    reason: Text


class Enrol(PersonCommand):
    command = "enrol"
    programme_id: Text
    enrolled_on: BusinessDate


class RecordAttendance(PersonCommand):
    command = "record_attendance"
    fingerprint_fields = frozenset({"person_id", "national_id", "programme_id", "session_on", "attended"})
    programme_id: Text
    session_on: BusinessDate
    attended: bool | None = None  # the spine's; `outcome` (added later) says more, and sets it where absent
    outcome: AttendanceOutcome | None = None
    absence_reason: Text | None = None  # with acceptable_absence only; kept, never published

    @model_validator(mode="after")
    def _says_how_it_went(self) -> RecordAttendance:
        if self.attended is None and self.outcome is None:
            raise InvalidInput([FieldProblem("attended", "give attended, outcome or both")])
        if self.outcome is not None and self.attended is not None and self.attended != counts_as_attended(self.outcome):
            raise InvalidInput([FieldProblem("attended", f"does not agree with the outcome {self.outcome}")])
        if (self.outcome == "acceptable_absence") != (self.absence_reason is not None):
            raise InvalidInput([FieldProblem("absence_reason", "required with acceptable_absence, and only with it")])
        return self

    def session_attended(self) -> bool:
        return self.attended if self.attended is not None else counts_as_attended(self.outcome)


def counts_as_attended(outcome: str | None) -> bool:
    """A session counts as attended when the person attended and complied."""
    return outcome == "attended_and_complied"


class CompleteProgramme(PersonCommand):
    command = "complete_programme"
    programme_id: Text
    completed_on: BusinessDate
    certificate_no: Text


class Refer(PersonCommand):
    """A referral to a programme; it starts `submitted`. Referral ids are the person's."""

    command = "refer"
    referral_id: Text
    programme_id: Text
    referred_on: BusinessDate
    reason_category: Text
    reason_code: Text


class ChangeReferralStatus(PersonCommand):
    """Move a referral to another status: only along the allowed transitions, each with its reason."""

    command = "change_referral_status"
    referral_id: Text
    status: ReferralStatus
    changed_on: BusinessDate
    reason_category: Text
    reason_code: Text


ParticipationOutcome = Literal[
    "completed", "completed_with_discretion", "failed", "withdrawn", "released_before_completion", "transferred"
]


EducationLevel = Literal["none", "primary", "lower_secondary", "upper_secondary", "tertiary", "unknown"]
SkillLevel = Literal["below_entry", "entry", "level_1", "level_2_or_above", "unknown"]
WorkReadiness = Literal["not_ready", "partly_ready", "ready", "unknown"]


class AssessNeeds(PersonCommand):
    """A learning needs assessment (Mandela 94): levels, work readiness, and barriers (sensitive, kept)."""

    command = "assess_needs"
    fingerprint_fields = frozenset(
        {
            "person_id", "national_id", "assessment_id", "assessed_on", "education_level", "literacy", "numeracy",
            "work_readiness", "barriers",
        }
    )  # fmt: skip
    assessment_id: Text  # the person's
    assessed_on: BusinessDate
    education_level: EducationLevel
    literacy: SkillLevel
    numeracy: SkillLevel
    work_readiness: WorkReadiness
    barriers: list[Text] = Field(default_factory=list)
    # Added with eligibility by risk and needs (sensitive: kept, never published). None: not assessed;
    # needs [] : assessed, none identified.
    risk_of_reoffending: RiskLevel | None = None
    needs: list[Text] | None = None


class PlanGoal(Contract):
    """A need the plan meets, and the programme meeting it (None: met otherwise, e.g. work or counselling)."""

    need: Text
    programme_id: Text | None = None
    note: Annotated[str, Field(min_length=1, max_length=500)] | None = None  # kept, never published


class DrawUpPlan(PersonCommand):
    """An individual plan (Mandela 94) built from a needs assessment of the person's."""

    command = "draw_up_plan"
    plan_id: Text  # the person's
    assessment_id: Text
    drawn_up_on: BusinessDate
    goals: Annotated[list[PlanGoal], Field(min_length=1)]


class ScheduleCohort(Command):
    """A programme's delivery to a group: a cohort starting on a date (at a facility, in a number of sessions)."""

    command = "schedule_cohort"
    programme_id: Text
    cohort_id: Text  # the programme's
    starts_on: BusinessDate
    facility: Text | None = None
    sessions_planned: PositiveSessionCount | None = None


class AssignToCohort(PersonCommand):
    """Put a person enrolled in the programme in one of its cohorts (out of any other)."""

    command = "assign_to_cohort"
    programme_id: Text
    cohort_id: Text
    assigned_on: BusinessDate


class SessionAttendance(Contract):
    """One person's attendance at a cohort's session, named by person id or national identifier."""

    person_id: UUID | None = None
    national_id: NationalId | None = None
    outcome: AttendanceOutcome
    absence_reason: Text | None = None  # with acceptable_absence only; kept, never published

    @model_validator(mode="after")
    def _one_person_and_a_reason_where_due(self) -> SessionAttendance:
        if (self.person_id is None) == (self.national_id is None):
            raise InvalidInput([FieldProblem("person_id", "give either person_id or national_id")])
        if (self.outcome == "acceptable_absence") != (self.absence_reason is not None):
            raise InvalidInput([FieldProblem("absence_reason", "required with acceptable_absence, and only with it")])
        return self


class RecordSession(Command):
    """A cohort's session, recorded once: each person's attendance goes on their learning record as
    `record_attendance` would; a cancelled session takes no attendance and records `cancelled` for everyone
    in the cohort."""

    command = "record_session"
    programme_id: Text
    cohort_id: Text
    session_on: BusinessDate
    cancelled: bool = False
    attendance: list[SessionAttendance] = Field(default_factory=list)

    @model_validator(mode="after")
    def _attendance_unless_cancelled(self) -> RecordSession:
        if self.cancelled == bool(self.attendance):
            raise InvalidInput([FieldProblem("attendance", "required for a session held, and none when cancelled")])
        people = [a.person_id or (a.national_id.key() if a.national_id else None) for a in self.attendance]
        if len(set(people)) != len(people):
            raise InvalidInput([FieldProblem("attendance", "a person is given more than once")])
        return self


class EndParticipation(PersonCommand):
    """End an enrolment otherwise than by the rules' completion (which `complete_programme` records).

    completed_with_discretion completes it although the attendance rules are not met (a certificate
    number is then required); failed, withdrawn and transferred end it and free its place.
    """

    command = "end_participation"
    programme_id: Text
    ended_on: BusinessDate
    outcome: Literal["completed_with_discretion", "failed", "withdrawn", "transferred"]
    reason: Text  # kept, never published
    certificate_no: Text | None = None

    @model_validator(mode="after")
    def _certificate_with_discretion(self) -> EndParticipation:
        if (self.outcome == "completed_with_discretion") != (self.certificate_no is not None):
            raise InvalidInput(
                [FieldProblem("certificate_no", "required with completed_with_discretion, and only with it")]
            )
        return self


# --- release --------------------------------------------------------------


class ReleasePerson(PersonCommand):
    command = "release"
    released_on: BusinessDate
    release_type: ReleaseType


class RecordReleaseInError(PersonCommand):
    """Correct a release that should never have been recorded: the person is back in custody (issue 6)."""

    command = "record_release_in_error"
    released_on: BusinessDate
    reason: Text


class CompleteSupervision(PersonCommand):
    command = "complete_supervision"
    completed_on: BusinessDate


class RecordOutcome(PersonCommand):
    command = "record_outcome"
    # The spine's fields: a resend of a spine follow-up keeps its fingerprint.
    fingerprint_fields = frozenset({"recorded_on", "employment", "housing"})
    recorded_on: BusinessDate
    employment: Employment
    housing: Housing
    # Added with issue 6: a new conviction learned at the follow-up, and its date.
    new_conviction: bool | None = None
    new_conviction_on: BusinessDate | None = None
    # Which follow-up point (months after the release or the measure's end) this outcome answers; without it,
    # the point due nearest its date, within the jurisdiction's window (services/release/followup_register.py).
    follow_up_months: TermMonths | None = None

    @model_validator(mode="after")
    def _conviction_date_with_a_conviction(self) -> RecordOutcome:
        if self.new_conviction_on is not None and self.new_conviction is not True:
            raise InvalidInput([FieldProblem("new_conviction_on", "given only with new_conviction: true")])
        return self


class OverrideReleaseDates(PersonCommand):
    """Set release dates by hand, with the reason; recorded as a new calculation, with who made it."""

    command = "override_release_dates"
    sentence_end: BusinessDate | None = None
    conditional_release_eligibility: BusinessDate | None = None
    reason: Annotated[str, Field(min_length=1, max_length=500)]

    @model_validator(mode="after")
    def _sets_a_date(self) -> OverrideReleaseDates:
        if self.sentence_end is None and self.conditional_release_eligibility is None:
            raise InvalidInput(
                [FieldProblem("sentence_end", "give sentence_end, conditional_release_eligibility or both")]
            )
        return self


COMMANDS: dict[str, dict[str, type[Command]]] = {
    "intake": {
        c.command: c
        for c in (
            RegisterPerson,
            RecordCourtDecision,
            RecordSentenceAdjustment,
            Admit,
            DeclareFacility,
            Transfer,
            RecordTemporaryAbsence,
            RecordReturn,
            ChangeLegalStatus,
            Place,
            RecordNonAssociation,
            ReviewPretrialDetention,
            ProposeClassification,
            DecideClassification,
            MergePersons,
            UnmergePersons,
            RecordAdmissionInError,
            AddIdentifier,
            RestrictCase,
            LiftCaseRestriction,
        )
    },
    "programmes": {
        c.command: c
        for c in (
            PublishProgramme,
            Enrol,
            RecordAttendance,
            CompleteProgramme,
            Refer,
            ChangeReferralStatus,
            EndParticipation,
            AssessNeeds,
            ReviseProgramme,
            RetireProgramme,
            DrawUpPlan,
            ScheduleCohort,
            AssignToCohort,
            RecordSession,
        )
    },
    "release": {
        c.command: c
        for c in (
            ReleasePerson,
            CompleteSupervision,
            RecordOutcome,
            OverrideReleaseDates,
            RecordReleaseInError,
            *COMPLIANCE_COMMANDS,
            *SUPERVISION_COMMANDS,
            *RESETTLEMENT_COMMANDS,
        )
    },
}
