"""Outcomes recorded at the follow-up points after a release or the end of a measure."""

from __future__ import annotations

from services.release.jurisdiction import rules_of
from services.release.lookup import case_of
from shared.contracts.commands import RecordOutcome
from shared.errors import FieldProblem, InvalidInput
from shared.eventstore.unit_of_work import UnitOfWork
from shared.registry.commands import Context, Result
from shared.registry.roles import AGENCY_CLIENT, PROBATION_OFFICER, allowed


@allowed(PROBATION_OFFICER, AGENCY_CLIENT)
def record_outcome(command: RecordOutcome, uow: UnitOfWork, ctx: Context) -> Result:
    """An outcome may name the follow-up point it answers: one of the jurisdiction's points."""
    points = rules_of(ctx).follow_up_months
    if command.follow_up_months is not None and command.follow_up_months not in points:
        known = ", ".join(str(months) for months in points)
        raise InvalidInput([FieldProblem("follow_up_months", f"not a follow-up point here (months: {known})")])
    case = case_of(uow, ctx.person_id)
    case.record_outcome(
        command.recorded_on,
        command.employment,
        command.housing,
        ctx.by,
        command.new_conviction,
        command.new_conviction_on,
        command.follow_up_months,
    )
    return {"person_id": case.id}
