"""Custody: admission (and one recorded in error), transfers between facilities, temporary absences."""

from __future__ import annotations

from services.intake.domain.units_left import record_unit_left
from services.intake.lookup import person_of
from shared.contracts.commands import Admit, RecordAdmissionInError, RecordReturn, RecordTemporaryAbsence, Transfer
from shared.eventstore.unit_of_work import UnitOfWork
from shared.registry.commands import Context, Result
from shared.registry.roles import AGENCY_CLIENT, RECORDS_OFFICER, allowed


@allowed(RECORDS_OFFICER, AGENCY_CLIENT)
def admit(command: Admit, uow: UnitOfWork, ctx: Context) -> Result:
    person = person_of(uow, ctx.person_id)
    person.admit(command.facility, command.admitted_at, ctx.by, command.admission_record())
    return {"person_id": person.id}


@allowed(RECORDS_OFFICER)
def record_admission_in_error(command: RecordAdmissionInError, uow: UnitOfWork, ctx: Context) -> Result:
    person = person_of(uow, ctx.person_id)
    placement = person.placement
    person.record_admission_in_error(command.facility, command.admitted_at, command.reason, ctx.by)
    record_unit_left(uow.get_or_none, person, placement, ctx.by)
    return {"person_id": person.id}


@allowed(RECORDS_OFFICER, AGENCY_CLIENT)
def transfer(command: Transfer, uow: UnitOfWork, ctx: Context) -> Result:
    person = person_of(uow, ctx.person_id)
    placement = person.placement
    person.transfer(
        command.transfer_id, command.to_facility, command.transferred_at, command.reason,
        command.family_notified, ctx.by,
    )  # fmt: skip
    record_unit_left(uow.get_or_none, person, placement, ctx.by)
    return {"person_id": person.id}


@allowed(RECORDS_OFFICER, AGENCY_CLIENT)
def record_temporary_absence(command: RecordTemporaryAbsence, uow: UnitOfWork, ctx: Context) -> Result:
    person = person_of(uow, ctx.person_id)
    person.leave(command.absence_id, command.kind, command.left_at, command.expected_back_on, ctx.by)
    return {"person_id": person.id, "absence_id": command.absence_id}


@allowed(RECORDS_OFFICER, AGENCY_CLIENT)
def record_return(command: RecordReturn, uow: UnitOfWork, ctx: Context) -> Result:
    person = person_of(uow, ctx.person_id)
    person.come_back(command.absence_id, command.returned_at, ctx.by)
    return {"person_id": person.id, "absence_id": command.absence_id}
