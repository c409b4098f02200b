"""Intake's people as its handlers and reactions load them: through the unit of work, a missing one refused by
the field that named it."""

from __future__ import annotations

from uuid import UUID

from services.intake.domain.errors import PersonNotFoundError
from services.intake.domain.person import Person
from shared.contracts.base import NationalId
from shared.errors import NotFound
from shared.eventstore.unit_of_work import UnitOfWork
from shared.people import resolve_reference


def person_of(uow: UnitOfWork, person_id: UUID | None) -> Person:
    """The person a command (by its resolved `person_id`) or a public event names."""
    person: Person | None = uow.get_or_none(person_id) if person_id else None
    if person is None:
        raise PersonNotFoundError("person_id: unknown person")
    return person


def other_person(uow: UnitOfWork, person_id: UUID | None, national_id: NationalId | None) -> Person:
    """The second person a command names, merged records followed, its errors naming its own fields."""
    try:
        return person_of(uow, resolve_reference(uow, person_id, national_id))
    except NotFound:
        field = "other_person_id" if person_id is not None else "other_national_id"
        raise PersonNotFoundError(f"{field}: unknown person") from None
