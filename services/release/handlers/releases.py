"""Releases from custody, and a release recorded in error corrected."""

from __future__ import annotations

from datetime import UTC, datetime

from services.release.lookup import case_of
from shared.contracts.commands import RecordReleaseInError, ReleasePerson
from shared.eventstore.unit_of_work import UnitOfWork
from shared.registry.commands import Context, Result
from shared.registry.roles import AGENCY_CLIENT, RECORDS_OFFICER, allowed


@allowed(RECORDS_OFFICER, AGENCY_CLIENT)
def release(command: ReleasePerson, uow: UnitOfWork, ctx: Context) -> Result:
    case = case_of(uow, ctx.person_id)
    case.release(command.released_on, command.release_type, ctx.by)
    return {"person_id": case.id}


@allowed(RECORDS_OFFICER)
def record_release_in_error(command: RecordReleaseInError, uow: UnitOfWork, ctx: Context) -> Result:
    case = case_of(uow, ctx.person_id)
    case.record_release_in_error(command.released_on, command.reason, ctx.by, datetime.now(UTC))
    return {"person_id": case.id}
