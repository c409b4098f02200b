"""A person's resettlement: the seven pathways, actions at release, accommodation, the plan, the discharge.

One aggregate per person beside the release case. Planning starts from the sentence, so none of
these needs custody or a release date. None of them is a precondition of release: holding someone
past their release date is unlawful, so a release without an approved plan, accommodation or ID
is recorded as any other and flagged by the read model (`read_models/resettlement.py`).

The class is grouped by capability; in each, the command comes first and the event it records
right after it, with its `apply`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any, TypedDict
from uuid import UUID, uuid5

from services.release.domain.errors import NoSuchReleaseError, ResettlementConflictError
from shared.domain import PathwayAggregate, Provenance, start_of_day

RESETTLEMENT_NAMESPACE = UUID("c81d4e2a-6f35-5b97-8a0e-3d2f1b9c7e64")
PATHWAYS = (
    "accommodation",
    "attitudes_thinking_behaviour",
    "children_families_community",
    "drugs_and_alcohol",
    "education_skills_work",
    "finance_and_id",
    "health",
)
# Health data: stored, never published.
SENSITIVE_PATHWAYS = ("drugs_and_alcohol", "health")


class AssessmentRecord(TypedDict):
    assessed_on: date
    pathways: dict[str, str]  # every pathway assessed, the health pathways' too


class AccommodationRecord(TypedDict):
    accommodation: str
    secured_on: date


class PlanRecord(TypedDict):
    approved_on: date
    approved_by: str


class DischargeRecord(TypedDict):
    property_returned: bool
    savings_paid: bool
    records_copy_given: bool


class Resettlement(PathwayAggregate):
    """One per person: pathway assessments, actions completed, accommodation, approved plans, discharges."""

    # --- state ------------------------------------------------------------
    person_id: UUID
    assessments: dict[str, AssessmentRecord]
    actions: dict[str, date]  # the day each action was completed
    accommodation: AccommodationRecord | None  # the latest secured
    plans: dict[str, PlanRecord]
    discharges: dict[date, DischargeRecord]  # by the day released

    def __init__(self, person_id: UUID, **_: Any) -> None:
        self.person_id = person_id
        self.assessments = {}
        self.actions = {}
        self.accommodation = None
        self.plans = {}
        self.discharges = {}

    # --- opening ----------------------------------------------------------

    @staticmethod
    def id_for(person_id: UUID) -> UUID:
        return uuid5(RESETTLEMENT_NAMESPACE, str(person_id))

    @classmethod
    def open(cls, person_id: UUID, by: Provenance, occurred_at: datetime) -> Resettlement:
        return cls._create(
            cls.Opened, id=cls.id_for(person_id), person_id=person_id, occurred_at=occurred_at, **by.fields()
        )

    class Opened(PathwayAggregate.Created):
        """Bookkeeping: the person's resettlement record exists (not published)."""

        person_id: UUID

    # --- assessment of the seven pathways ---------------------------------

    def assess(self, assessment_id: str, assessed_on: date, pathways: dict[str, str], by: Provenance) -> None:
        content = {"assessed_on": assessed_on, "pathways": dict(pathways)}
        if self._repeat(self.assessments.get(assessment_id), content, "assessment_id"):
            return
        open_part = {k: v for k, v in pathways.items() if k not in SENSITIVE_PATHWAYS}
        sensitive = {k: v for k, v in pathways.items() if k in SENSITIVE_PATHWAYS}
        self.record(self.Assessed, by, start_of_day(assessed_on), person_id=self.person_id,
                    assessment_id=assessment_id, assessed_on=assessed_on, pathways=open_part,
                    sensitive={"pathways": sensitive})  # fmt: skip

    class Assessed(PathwayAggregate.Event):
        """The pathways' statuses; those of the health pathways are kept in `sensitive`."""

        person_id: UUID
        assessment_id: str
        assessed_on: date
        pathways: dict[str, str]
        sensitive: dict[str, Any]

        def apply(self, record: Resettlement) -> None:
            record.assessments[self.assessment_id] = {
                "assessed_on": self.assessed_on,
                "pathways": {**self.pathways, **self.sensitive.get("pathways", {})},
            }

    # --- actions at release and accommodation -----------------------------

    def complete_action(self, action: str, completed_on: date, by: Provenance) -> None:
        if self._repeat(self.actions.get(action), completed_on, "action"):
            return
        self.record(self.ActionCompleted, by, start_of_day(completed_on), person_id=self.person_id, action=action,
                    completed_on=completed_on)  # fmt: skip

    class ActionCompleted(PathwayAggregate.Event):
        person_id: UUID
        action: str
        completed_on: date

        def apply(self, record: Resettlement) -> None:
            record.actions[self.action] = self.completed_on

    def secure_accommodation(self, accommodation: str, secured_on: date, by: Provenance) -> None:
        """Accommodation secured; a later record (a change of plan) replaces it, the same again is skipped."""
        if self.accommodation == {"accommodation": accommodation, "secured_on": secured_on}:
            return
        self.record(self.AccommodationSecured, by, start_of_day(secured_on), person_id=self.person_id,
                    accommodation=accommodation, secured_on=secured_on)  # fmt: skip

    class AccommodationSecured(PathwayAggregate.Event):
        person_id: UUID
        accommodation: str
        secured_on: date

        def apply(self, record: Resettlement) -> None:
            record.accommodation = {"accommodation": self.accommodation, "secured_on": self.secured_on}

    # --- the plan ---------------------------------------------------------

    def approve_plan(self, plan_id: str, approved_on: date, approved_by: str, by: Provenance) -> None:
        content = {"approved_on": approved_on, "approved_by": approved_by}
        if self._repeat(self.plans.get(plan_id), content, "plan_id"):
            return
        self.record(self.PlanApproved, by, start_of_day(approved_on), person_id=self.person_id, plan_id=plan_id,
                    **content)  # fmt: skip

    class PlanApproved(PathwayAggregate.Event):
        person_id: UUID
        plan_id: str
        approved_on: date
        approved_by: str

        def apply(self, record: Resettlement) -> None:
            record.plans[self.plan_id] = {"approved_on": self.approved_on, "approved_by": self.approved_by}

    # --- the discharge ----------------------------------------------------

    @staticmethod
    def check_release(released_on: date, released_dates: list[date]) -> None:
        if released_on not in released_dates:
            raise NoSuchReleaseError("released_on: no release of this person is recorded on this day")

    def record_discharge(
        self, released_on: date, released_dates: list[date], items: dict[str, bool], by: Provenance
    ) -> None:
        if self._repeat(self.discharges.get(released_on), items, "released_on: the discharge"):
            return
        self.check_release(released_on, released_dates)
        self.record(self.DischargeRecorded, by, start_of_day(released_on), person_id=self.person_id,
                    released_on=released_on, **items)  # fmt: skip

    class DischargeRecorded(PathwayAggregate.Event):
        """Mandela 67, 103, 9: property returned, savings paid, a copy of the records given, at a release."""

        person_id: UUID
        released_on: date
        property_returned: bool
        savings_paid: bool
        records_copy_given: bool

        def apply(self, record: Resettlement) -> None:
            record.discharges[self.released_on] = {
                "property_returned": self.property_returned,
                "savings_paid": self.savings_paid,
                "records_copy_given": self.records_copy_given,
            }

    # --- what a release lacks ---------------------------------------------

    def missing_on(self, day: date) -> list[str]:
        return missing_at(self.plans, self.accommodation, self.actions, day)

    # --- rules every record follows ---------------------------------------

    @staticmethod
    def _repeat(known: Any, content: Any, field: str) -> bool:
        if known is None:
            return False
        if known != content:
            raise ResettlementConflictError(f"{field}: already recorded with other content")
        return True


def missing_at(
    plans: Mapping[str, Mapping[str, Any]],
    accommodation: Mapping[str, Any] | None,
    actions: Mapping[str, date],
    day: date,
) -> list[str]:
    """What a release on `day` lacks: an approved plan, accommodation, an ID document (each by that day)."""
    missing = []
    if not any(plan["approved_on"] <= day for plan in plans.values()):
        missing.append("approved_plan")
    if accommodation is None or accommodation["secured_on"] > day:
        missing.append("accommodation")
    if actions.get("id_document") is None or actions["id_document"] > day:
        missing.append("id_document")
    return missing
