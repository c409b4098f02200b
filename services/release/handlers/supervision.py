"""Supervision: each command acts on the person's supervision file, for the supervision in force on its day.

The spine's completion of a supervision is the release case's (`complete_supervision`); an end with a
reason (`end_supervision`, or a recall's revocation) records both, in `end_current_supervision`.
"""

from __future__ import annotations

from datetime import date

from services.release.domain.case import ReleaseCase
from services.release.domain.supervision import SupervisionFile
from services.release.lookup import case_of, supervision_file_of
from shared.contracts.commands import CompleteSupervision
from shared.contracts.supervision import (
    AssignOfficer,
    CompleteRequirement,
    EndSupervision,
    ExplainConditions,
    ImposeRequirement,
    ModifyMeasure,
    RecordConsent,
    RecordContact,
    RecordUnpaidWork,
    ReviewSupervisionLevel,
    SetConditions,
)
from shared.domain import Provenance
from shared.eventstore.unit_of_work import UnitOfWork
from shared.registry.commands import Context, Result
from shared.registry.roles import AGENCY_CLIENT, PROBATION_OFFICER, allowed


@allowed(PROBATION_OFFICER)
def complete_supervision(command: CompleteSupervision, uow: UnitOfWork, ctx: Context) -> Result:
    case = case_of(uow, ctx.person_id)
    case.complete_supervision(command.completed_on, ctx.by)
    return {"person_id": case.id}


@allowed(PROBATION_OFFICER)
def assign_officer(command: AssignOfficer, uow: UnitOfWork, ctx: Context) -> Result:
    file, current = supervision_file_of(uow, ctx.person_id, ctx.by, command.assigned_on)
    file.assign_officer(current["started_on"], command.officer_id, command.assigned_on, ctx.by)
    return {"person_id": file.person_id}


@allowed(PROBATION_OFFICER)
def set_conditions(command: SetConditions, uow: UnitOfWork, ctx: Context) -> Result:
    file, current = supervision_file_of(uow, ctx.person_id, ctx.by, command.set_on)
    file.set_conditions(current["started_on"], list(command.conditions), command.set_on, ctx.by)
    return {"person_id": file.person_id}


@allowed(PROBATION_OFFICER)
def impose_requirement(command: ImposeRequirement, uow: UnitOfWork, ctx: Context) -> Result:
    file, current = supervision_file_of(uow, ctx.person_id, ctx.by, command.imposed_on)
    file.impose_requirement(
        current["started_on"], command.requirement_id, command.kind, command.hours, command.imposed_on, ctx.by
    )
    return {"person_id": file.person_id, "requirement_id": command.requirement_id}


@allowed(PROBATION_OFFICER, AGENCY_CLIENT)
def record_unpaid_work(command: RecordUnpaidWork, uow: UnitOfWork, ctx: Context) -> Result:
    file, _ = supervision_file_of(uow, ctx.person_id, ctx.by, command.worked_on)
    file.record_unpaid_work(command.requirement_id, command.worked_on, command.hours, ctx.by)
    worked = sum(file.requirements[command.requirement_id]["worked"].values())
    return {"person_id": file.person_id, "hours_worked": worked}


@allowed(PROBATION_OFFICER)
def explain_conditions(command: ExplainConditions, uow: UnitOfWork, ctx: Context) -> Result:
    file, current = supervision_file_of(uow, ctx.person_id, ctx.by, command.explained_on)
    file.explain_conditions(
        current["started_on"],
        command.explained_on,
        command.orally,
        command.in_writing,
        command.explained_by,
        ctx.by,
    )
    return {"person_id": file.person_id}


@allowed(PROBATION_OFFICER)
def record_consent(command: RecordConsent, uow: UnitOfWork, ctx: Context) -> Result:
    file, current = supervision_file_of(uow, ctx.person_id, ctx.by, command.consented_on)
    file.record_consent(current["started_on"], current["type"], command.consented_on, ctx.by)
    return {"person_id": file.person_id}


@allowed(PROBATION_OFFICER, AGENCY_CLIENT)
def record_contact(command: RecordContact, uow: UnitOfWork, ctx: Context) -> Result:
    file, current = supervision_file_of(uow, ctx.person_id, ctx.by, command.contact_on)
    file.record_contact(
        current["started_on"],
        command.contact_id,
        command.kind,
        command.contact_on,
        command.outcome,
        command.reason,
        ctx.by,
    )
    return {"person_id": file.person_id, "contact_id": command.contact_id}


@allowed(PROBATION_OFFICER)
def modify_measure(command: ModifyMeasure, uow: UnitOfWork, ctx: Context) -> Result:
    file, current = supervision_file_of(uow, ctx.person_id, ctx.by, command.modified_on)
    file.modify_measure(
        current["started_on"],
        current["ends_on"],
        command.modification_id,
        command.kind,
        command.modified_on,
        command.decided_by,
        command.new_ends_on,
        ctx.by,
    )
    ends_on = file.term(current["started_on"])["ends_on"]
    return {"person_id": file.person_id, "ends_on": ends_on.isoformat() if ends_on else None}


@allowed(PROBATION_OFFICER)
def review_supervision_level(command: ReviewSupervisionLevel, uow: UnitOfWork, ctx: Context) -> Result:
    file, current = supervision_file_of(uow, ctx.person_id, ctx.by, command.reviewed_on)
    file.review_level(
        current["started_on"],
        command.review_id,
        command.reviewed_on,
        command.level,
        command.next_review_on,
        command.reviewed_by,
        ctx.by,
    )
    return {"person_id": file.person_id, "review_id": command.review_id}


@allowed(PROBATION_OFFICER)
def complete_requirement(command: CompleteRequirement, uow: UnitOfWork, ctx: Context) -> Result:
    file, _ = supervision_file_of(uow, ctx.person_id, ctx.by, command.completed_on)
    file.complete_requirement(command.requirement_id, command.completed_on, ctx.by)
    return {"person_id": file.person_id, "requirement_id": command.requirement_id}


@allowed(PROBATION_OFFICER)
def end_supervision(command: EndSupervision, uow: UnitOfWork, ctx: Context) -> Result:
    """Records the spine's completion with the reason beside it, so every consumer sees the end as before."""
    case = case_of(uow, ctx.person_id)
    file = uow.get_or_none(SupervisionFile.id_for(case.id))
    if file is None or not file.ended(command.ended_on, command.reason):  # else already recorded
        end_current_supervision(uow, case, ctx.by, command.ended_on, command.reason)
    return {"person_id": case.id}


def end_current_supervision(uow: UnitOfWork, case: ReleaseCase, by: Provenance, ended_on: date, reason: str) -> None:
    """The spine's completion of the supervision in force on `ended_on`, with the reason in the supervision file."""
    file, current = supervision_file_of(uow, case.id, by, ended_on)
    case.complete_supervision(ended_on, by)
    file.end(current["started_on"], ended_on, reason, by)
