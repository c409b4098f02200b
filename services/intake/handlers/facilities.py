"""Facilities and their declared capacity: what occupancy is measured against (Mandela Rule 10)."""

from __future__ import annotations

from datetime import UTC, datetime

from services.intake.domain.facility import Facility
from shared.contracts.commands import DeclareFacility
from shared.eventstore.unit_of_work import UnitOfWork
from shared.registry.commands import Context, Result
from shared.registry.roles import AGENCY_CLIENT, RECORDS_OFFICER, allowed


@allowed(RECORDS_OFFICER, AGENCY_CLIENT)
def declare_facility(command: DeclareFacility, uow: UnitOfWork, ctx: Context) -> Result:
    """The first declaration opens the facility's record; a later one is kept beside it, unless it repeats one."""
    now = datetime.now(UTC)
    facility: Facility | None = uow.get_or_none(Facility.id_for(command.facility))
    if facility is None:
        uow.add(Facility.declare(command.facility, command.name, command.capacity, command.effective_on, ctx.by, now))
    else:
        facility.redeclare(command.name, command.capacity, command.effective_on, ctx.by, now)
    return {"facility": command.facility}
