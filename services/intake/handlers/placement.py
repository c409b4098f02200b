"""Placement in a unit, and the people someone must not share a unit with."""

from __future__ import annotations

from datetime import UTC, datetime

from services.intake.domain.unit import Unit
from services.intake.domain.units_left import record_unit_left
from services.intake.lookup import other_person, person_of
from shared.contracts.commands import Place, RecordNonAssociation
from shared.domain import start_of_day
from shared.errors import FieldProblem, InvalidInput
from shared.eventstore.unit_of_work import UnitOfWork
from shared.registry.commands import Context, Result
from shared.registry.roles import RECORDS_OFFICER, allowed


@allowed(RECORDS_OFFICER)
def place(command: Place, uow: UnitOfWork, ctx: Context) -> Result:
    """Allocate to a unit; refused if it would put together people kept apart (men and women, children and
    adults, untried and convicted, civil and criminal: Mandela 11)."""
    person = person_of(uow, ctx.person_id)
    placement = person.placement
    key = person.separation_key(command.placed_on)
    unit: Unit = uow.get_or_none(Unit.id_for(command.facility, command.unit)) or Unit.open(
        command.facility, command.unit, ctx.by, datetime.now(UTC)
    )
    if not person.place(command.facility, command.unit, command.placed_on, ctx.by):
        return {"person_id": person.id}
    person.check_non_associations(command.facility, command.unit, unit.occupants)
    unit.enter(person.id, key, ctx.by, start_of_day(command.placed_on))
    uow.add(unit)  # opened by this placement, it is saved with it
    record_unit_left(uow.get_or_none, person, placement, ctx.by)
    return {"person_id": person.id}


@allowed(RECORDS_OFFICER)
def record_non_association(command: RecordNonAssociation, uow: UnitOfWork, ctx: Context) -> Result:
    """Recorded on both people, so that placing either one checks it."""
    person = person_of(uow, ctx.person_id)
    other = other_person(uow, command.other_person_id, command.other_national_id)
    if other.id == person.id:
        raise InvalidInput([FieldProblem("other_person_id", "names the same person")])
    for one, another in ((person, other), (other, person)):
        one.record_non_association(another.id, command.reason, command.recorded_on, ctx.by)
    return {"person_id": person.id}
