"""Programmes' aggregates loaded through the unit of work, or the error naming the field that named them."""

from __future__ import annotations

from uuid import UUID

from services.programmes.domain.errors import PersonNotFoundError, ProgrammeNotFoundError
from services.programmes.domain.learner import Learner
from services.programmes.domain.programme import Programme
from shared.eventstore.unit_of_work import UnitOfWork


def learner_of(uow: UnitOfWork, person_id: UUID | None) -> Learner:
    learner: Learner | None = uow.get_or_none(person_id) if person_id else None
    if learner is None:
        raise PersonNotFoundError("person_id: unknown person")
    return learner


def programme_of(uow: UnitOfWork, programme_id: str) -> Programme:
    programme: Programme = uow.get(
        Programme.id_for(programme_id), missing=lambda: ProgrammeNotFoundError("programme_id: unknown programme")
    )
    return programme
