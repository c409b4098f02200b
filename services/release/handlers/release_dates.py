"""Release dates set by hand: recorded as a new calculation, with who set them and why."""

from __future__ import annotations

from datetime import UTC, datetime

from services.release.lookup import case_of
from shared.contracts.commands import OverrideReleaseDates
from shared.eventstore.unit_of_work import UnitOfWork
from shared.registry.commands import Context, Result
from shared.registry.roles import SENTENCE_CALCULATOR, allowed


@allowed(SENTENCE_CALCULATOR)
def override_release_dates(command: OverrideReleaseDates, uow: UnitOfWork, ctx: Context) -> Result:
    case = case_of(uow, ctx.person_id)
    case.override_release_dates(
        command.sentence_end,
        command.conditional_release_eligibility,
        command.reason,
        ctx.by,
        datetime.now(UTC),
    )
    return {"person_id": case.id, "calculation": len(case.calculations)}
