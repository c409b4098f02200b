"""The catalogue: publishing a programme, revising it (a larger capacity fills from the waiting list), retiring it."""

from __future__ import annotations

from datetime import UTC, datetime

from services.programmes import places
from services.programmes.domain.programme import CATALOGUE_FIELDS, Programme
from services.programmes.lookup import programme_of
from shared.contracts.commands import PublishProgramme, RetireProgramme, ReviseProgramme
from shared.domain import start_of_day
from shared.errors import FieldProblem, InvalidInput
from shared.eventstore.unit_of_work import UnitOfWork
from shared.registry.commands import Context, Result
from shared.registry.roles import PROGRAMME_OFFICER, allowed

PUBLISHED_FIELDS = {"programme_id", "title", "kind", "setting", "capacity", "sessions_required", *CATALOGUE_FIELDS}


@allowed(PROGRAMME_OFFICER)
def publish_programme(command: PublishProgramme, uow: UnitOfWork, ctx: Context) -> Result:
    """Publish once; the same publication again changes nothing, a different one is a conflict."""
    details = command.model_dump(include=PUBLISHED_FIELDS)
    existing: Programme | None = uow.get_or_none(Programme.id_for(command.programme_id))
    if existing is not None:
        existing.check_same_publication(details)
    else:
        uow.add(Programme.publish(details, ctx.by, datetime.now(UTC)))
    return {"programme_id": command.programme_id}


@allowed(PROGRAMME_OFFICER)
def revise_programme(command: ReviseProgramme, uow: UnitOfWork, ctx: Context) -> Result:
    """Change a catalogue entry; a larger capacity offers its new places to the people waiting."""
    programme = programme_of(uow, command.programme_id)
    changes = command.model_dump(exclude={"actor", "command_id", "programme_id", "revised_on"}, exclude_none=True)
    if not changes:
        raise InvalidInput([FieldProblem("(command)", "give at least one field to revise")])
    if programme.revise(command.revised_on, changes, ctx.by, start_of_day(command.revised_on)):
        places.fill_places(uow, programme, command.revised_on, ctx.by)
    return {"programme_id": command.programme_id}


@allowed(PROGRAMME_OFFICER)
def retire_programme(command: RetireProgramme, uow: UnitOfWork, ctx: Context) -> Result:
    programme = programme_of(uow, command.programme_id)
    programme.retire(command.retired_on, command.reason, ctx.by, start_of_day(command.retired_on))
    return {"programme_id": command.programme_id}
