"""Release's resettlement commands (get -> act -> save): none needs custody, and none holds up a release."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any
from uuid import UUID

from services.release.domain.resettlement import Resettlement
from shared.contracts.resettlement import (
    ApproveReleasePlan,
    AssessResettlement,
    CompleteResettlementAction,
    RecordDischarge,
    SecureAccommodation,
)
from shared.domain import start_of_day
from shared.eventstore.application import Context, Outcome

if TYPE_CHECKING:
    from services.release.domain.case import ReleaseCase


class ResettlementCommands:
    """Mixed into the Release application."""

    if TYPE_CHECKING:

        def case(self, person_id: UUID | None) -> ReleaseCase: ...

        def get_or_none(self, aggregate_id: UUID) -> Any: ...

    def resettlement(self, ctx: Context, day: date) -> Resettlement:
        """The person's resettlement record, opened on first use (the person must be known)."""
        person_id = self.case(ctx.person_id).id
        record: Resettlement | None = self.get_or_none(Resettlement.id_for(person_id))
        return record or Resettlement.open(person_id, ctx.by, start_of_day(day))

    def assess_resettlement(self, command: AssessResettlement, ctx: Context) -> Outcome:
        record = self.resettlement(ctx, command.assessed_on)
        pathways = command.pathways.model_dump(exclude_none=True)
        record.assess(command.assessment_id, command.assessed_on, pathways, ctx.by)
        return Outcome({"person_id": record.person_id, "assessment_id": command.assessment_id}, [record])

    def complete_resettlement_action(self, command: CompleteResettlementAction, ctx: Context) -> Outcome:
        record = self.resettlement(ctx, command.completed_on)
        record.complete_action(command.action, command.completed_on, ctx.by)
        return Outcome({"person_id": record.person_id}, [record])

    def secure_accommodation(self, command: SecureAccommodation, ctx: Context) -> Outcome:
        record = self.resettlement(ctx, command.secured_on)
        record.secure_accommodation(command.accommodation, command.secured_on, ctx.by)
        return Outcome({"person_id": record.person_id}, [record])

    def approve_release_plan(self, command: ApproveReleasePlan, ctx: Context) -> Outcome:
        record = self.resettlement(ctx, command.approved_on)
        record.approve_plan(command.plan_id, command.approved_on, command.approved_by, ctx.by)
        return Outcome({"person_id": record.person_id, "plan_id": command.plan_id}, [record])

    def record_discharge(self, command: RecordDischarge, ctx: Context) -> Outcome:
        released = [release["released_on"] for release in self.case(ctx.person_id).releases]
        record = self.resettlement(ctx, command.released_on)
        items = command.model_dump(include={"property_returned", "savings_paid", "records_copy_given"})
        record.record_discharge(command.released_on, released, items, ctx.by)
        return Outcome({"person_id": record.person_id}, [record])
