"""Compliance: violations, hearings, alternatives, responses and recalls, on the person's compliance record."""

from __future__ import annotations

from services.release.handlers.supervision import end_current_supervision
from services.release.lookup import case_of, compliance_of
from shared.contracts.compliance import (
    DecideRecall,
    DecideResponse,
    ExecuteRecall,
    RecordAlternativesConsidered,
    RecordHearing,
    RecordViolation,
)
from shared.domain import start_of_day
from shared.eventstore.unit_of_work import UnitOfWork
from shared.registry.commands import Context, Result
from shared.registry.roles import AGENCY_CLIENT, PROBATION_OFFICER, RECORDS_OFFICER, allowed


@allowed(PROBATION_OFFICER)
def record_violation(command: RecordViolation, uow: UnitOfWork, ctx: Context) -> Result:
    compliance = compliance_of(uow, ctx.person_id, ctx.by, start_of_day(command.occurred_on))
    case = case_of(uow, ctx.person_id)
    supervised = case.supervision is not None
    compliance.record_violation(
        command.violation_id, command.kind, command.condition, command.occurred_on, supervised, ctx.by
    )
    return {"person_id": case.id, "violation_id": command.violation_id}


@allowed(PROBATION_OFFICER)
def record_hearing(command: RecordHearing, uow: UnitOfWork, ctx: Context) -> Result:
    compliance = compliance_of(uow, ctx.person_id, ctx.by, start_of_day(command.heard_on))
    compliance.record_hearing(command.violation_id, command.heard_on, command.heard_by, ctx.by)
    return {"person_id": compliance.person_id, "violation_id": command.violation_id}


@allowed(PROBATION_OFFICER)
def record_alternatives_considered(command: RecordAlternativesConsidered, uow: UnitOfWork, ctx: Context) -> Result:
    compliance = compliance_of(uow, ctx.person_id, ctx.by, start_of_day(command.considered_on))
    compliance.record_alternatives(
        command.violation_id, command.considered_on, list(command.alternatives), command.reason, ctx.by
    )
    return {"person_id": compliance.person_id, "violation_id": command.violation_id}


@allowed(PROBATION_OFFICER)
def decide_response(command: DecideResponse, uow: UnitOfWork, ctx: Context) -> Result:
    compliance = compliance_of(uow, ctx.person_id, ctx.by, start_of_day(command.decided_on))
    compliance.decide_response(command.violation_id, command.response, command.decided_on, command.decided_by, ctx.by)
    return {"person_id": compliance.person_id, "violation_id": command.violation_id}


@allowed(PROBATION_OFFICER)
def decide_recall(command: DecideRecall, uow: UnitOfWork, ctx: Context) -> Result:
    compliance = compliance_of(uow, ctx.person_id, ctx.by, start_of_day(command.decided_on))
    compliance.decide_recall(
        command.recall_id, command.violation_id, command.decided_on, command.issuing_authority, ctx.by
    )
    return {"person_id": compliance.person_id, "recall_id": command.recall_id}


@allowed(RECORDS_OFFICER, AGENCY_CLIENT)
def execute_recall(command: ExecuteRecall, uow: UnitOfWork, ctx: Context) -> Result:
    compliance = compliance_of(uow, ctx.person_id, ctx.by, command.executed_at)
    case = case_of(uow, ctx.person_id)
    compliance.execute_recall(command.recall_id, command.facility, command.executed_at, case.in_custody, ctx.by)
    if compliance.pending_events and case.supervision is not None:
        # The revocation ends the supervision the person was recalled from, on the day of the recall.
        end_current_supervision(uow, case, ctx.by, command.executed_at.date(), "revocation")
    return {"person_id": case.id, "recall_id": command.recall_id}
