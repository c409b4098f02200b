"""Restricted cases: who may see a person's case, decided here and kept by every service (shared/restriction.py).

The person's own record says why and who may see it, and that is what is published; the `CaseRestriction`
record beside it is what this service's edge reads, as the other services read theirs. A case is the surviving
record with the records merged into it, so a restriction on any of them is the case's: restricting the case again
restricts each of them that is, and lifting it lifts them all.
"""

from __future__ import annotations

from datetime import UTC, datetime

from services.intake.domain.person import Person
from services.intake.lookup import person_of
from shared import restriction
from shared.contracts.commands import LiftCaseRestriction, RestrictCase
from shared.eventstore.unit_of_work import UnitOfWork
from shared.links import records_of
from shared.registry.commands import Context, Result
from shared.registry.roles import RECORDS_OFFICER, allowed


@allowed(RECORDS_OFFICER)
def restrict_case(command: RestrictCase, uow: UnitOfWork, ctx: Context) -> Result:
    """Restrict the case to the principals named, and to whoever marks it, so that they do not lock themselves out
    of the case they protect. Restricting it again replaces who may see it."""
    person = person_of(uow, ctx.person_id)
    may_see = sorted({*command.may_see, ctx.by.actor["id"]})
    now = datetime.now(UTC)
    for record in [person, *(merged for merged in _merged_into(uow, person) if merged.restriction is not None)]:
        if record.restrict(command.grounds, may_see, ctx.by, now):
            restriction.restrict(uow, record.id, command.grounds, may_see, ctx.by, now)
    return {"person_id": person.id}


@allowed(RECORDS_OFFICER)
def lift_case_restriction(command: LiftCaseRestriction, uow: UnitOfWork, ctx: Context) -> Result:
    """Lift the restriction of every record of the case; refused when none of them is restricted."""
    person = person_of(uow, ctx.person_id)
    marked = [record for record in [person, *_merged_into(uow, person)] if record.restriction is not None]
    now = datetime.now(UTC)
    for record in marked or [person]:  # the person's own refusal, when nothing is restricted
        record.lift_restriction(command.reason, ctx.by, now)
        restriction.lift(uow, record.id, command.reason, ctx.by, now)
    return {"person_id": person.id}


def _merged_into(uow: UnitOfWork, person: Person) -> list[Person]:
    return [person_of(uow, record) for record in records_of(uow.get_or_none, person.id)[1:]]
