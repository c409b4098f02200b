"""Resettlement, on the person's resettlement record: none of it needs custody, and none holds up a release."""

from __future__ import annotations

from services.release.lookup import case_of, resettlement_of
from shared.contracts.resettlement import (
    ApproveReleasePlan,
    AssessResettlement,
    CompleteResettlementAction,
    RecordDischarge,
    SecureAccommodation,
)
from shared.eventstore.unit_of_work import UnitOfWork
from shared.registry.commands import Context, Result
from shared.registry.roles import PROBATION_OFFICER, allowed


@allowed(PROBATION_OFFICER)
def assess_resettlement(command: AssessResettlement, uow: UnitOfWork, ctx: Context) -> Result:
    record = resettlement_of(uow, ctx.person_id, ctx.by, command.assessed_on)
    pathways = command.pathways.model_dump(exclude_none=True)
    record.assess(command.assessment_id, command.assessed_on, pathways, ctx.by)
    return {"person_id": record.person_id, "assessment_id": command.assessment_id}


@allowed(PROBATION_OFFICER)
def complete_resettlement_action(command: CompleteResettlementAction, uow: UnitOfWork, ctx: Context) -> Result:
    record = resettlement_of(uow, ctx.person_id, ctx.by, command.completed_on)
    record.complete_action(command.action, command.completed_on, ctx.by)
    return {"person_id": record.person_id}


@allowed(PROBATION_OFFICER)
def secure_accommodation(command: SecureAccommodation, uow: UnitOfWork, ctx: Context) -> Result:
    record = resettlement_of(uow, ctx.person_id, ctx.by, command.secured_on)
    record.secure_accommodation(command.accommodation, command.secured_on, ctx.by)
    return {"person_id": record.person_id}


@allowed(PROBATION_OFFICER)
def approve_release_plan(command: ApproveReleasePlan, uow: UnitOfWork, ctx: Context) -> Result:
    record = resettlement_of(uow, ctx.person_id, ctx.by, command.approved_on)
    record.approve_plan(command.plan_id, command.approved_on, command.approved_by, ctx.by)
    return {"person_id": record.person_id, "plan_id": command.plan_id}


@allowed(PROBATION_OFFICER)
def record_discharge(command: RecordDischarge, uow: UnitOfWork, ctx: Context) -> Result:
    """The discharge of a release the case records: what was returned, paid and given at the gate."""
    released = [release["released_on"] for release in case_of(uow, ctx.person_id).releases]
    record = resettlement_of(uow, ctx.person_id, ctx.by, command.released_on)
    items = command.model_dump(include={"property_returned", "savings_paid", "records_copy_given"})
    record.record_discharge(command.released_on, released, items, ctx.by)
    return {"person_id": record.person_id}
