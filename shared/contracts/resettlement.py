"""Release's resettlement contracts: the seven pathways, actions, accommodation, the plan, the discharge.

None of these is a precondition of release (a release is never refused for missing paperwork);
a release without an approved plan, accommodation or ID is flagged in the reports. Names and
fields are public: add, never rename.
"""

from __future__ import annotations

from datetime import date
from typing import Literal
from uuid import UUID

from pydantic import Field

from shared.contracts.base import Contract, PersonCommand, PublicEvent, Text
from shared.contracts.bounds import BusinessDate

PathwayStatus = Literal[
    "not_started", "in_progress", "support_required", "support_not_required", "support_declined", "done"
]
ResettlementAction = Literal["id_document", "bank_account", "housing", "clothing", "travel_money", "other"]
Accommodation = Literal["permanent", "temporary", "approved_premises", "other"]


class ResettlementPathways(Contract):
    """The seven resettlement pathways; any may be left out of one assessment."""

    accommodation: PathwayStatus | None = None
    attitudes_thinking_behaviour: PathwayStatus | None = None
    children_families_community: PathwayStatus | None = None
    drugs_and_alcohol: PathwayStatus | None = None
    education_skills_work: PathwayStatus | None = None
    finance_and_id: PathwayStatus | None = None
    health: PathwayStatus | None = None


class AssessResettlement(PersonCommand):
    """An assessment along the pathways; the drugs-and-alcohol and health statuses are sensitive."""

    command = "assess_resettlement"
    assessment_id: Text
    assessed_on: BusinessDate
    pathways: ResettlementPathways


class CompleteResettlementAction(PersonCommand):
    command = "complete_resettlement_action"
    action: ResettlementAction
    completed_on: BusinessDate


class SecureAccommodation(PersonCommand):
    command = "secure_accommodation"
    accommodation: Accommodation
    secured_on: BusinessDate


class ApproveReleasePlan(PersonCommand):
    command = "approve_release_plan"
    plan_id: Text
    approved_on: BusinessDate
    approved_by: Text


class RecordDischarge(PersonCommand):
    """At a release already recorded: property returned, savings paid, copy of records given (Mandela 67, 103, 9)."""

    command = "record_discharge"
    released_on: BusinessDate
    property_returned: bool
    savings_paid: bool
    records_copy_given: bool


RESETTLEMENT_COMMANDS = (
    AssessResettlement,
    CompleteResettlementAction,
    SecureAccommodation,
    ApproveReleasePlan,
    RecordDischarge,
)


class ResettlementAssessed(PublicEvent):
    """`pathways` holds the open statuses; `sensitive_fields` names those withheld."""

    type = "release.resettlement.assessed"
    person_id: UUID
    assessment_id: str
    assessed_on: date
    pathways: dict[str, PathwayStatus]
    sensitive_fields: list[str] = Field(default_factory=list)


class ResettlementActionCompleted(PublicEvent):
    type = "release.resettlement-action.completed"
    person_id: UUID
    action: ResettlementAction
    completed_on: date


class AccommodationSecured(PublicEvent):
    type = "release.accommodation.secured"
    person_id: UUID
    accommodation: Accommodation
    secured_on: date


class ReleasePlanApproved(PublicEvent):
    type = "release.release-plan.approved"
    person_id: UUID
    plan_id: str
    approved_on: date
    approved_by: str


class DischargeRecorded(PublicEvent):
    type = "release.discharge.recorded"
    person_id: UUID
    released_on: date
    property_returned: bool
    savings_paid: bool
    records_copy_given: bool


RESETTLEMENT_EVENTS = (
    ResettlementAssessed,
    ResettlementActionCompleted,
    AccommodationSecured,
    ReleasePlanApproved,
    DischargeRecorded,
)
