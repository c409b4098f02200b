"""Who a person is: registration, further identifiers, and merging (or unmerging) two records of one person.

Every identifier an agency knows a person by gets a lookup record (shared/identifiers.py); one already held by
someone else is never given a second owner, it is recorded as a possible match for a person to decide.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from services.intake.domain.errors import MergeError
from services.intake.domain.person import Person
from services.intake.lookup import person_of
from shared.contracts.base import person_id_for
from shared.contracts.commands import AddIdentifier, MergePersons, RegisterPerson, UnmergePersons
from shared.domain import Provenance
from shared.eventstore.unit_of_work import UnitOfWork
from shared.identifiers import KnownIdentifier
from shared.links import merge, records_of, survivor_of, unmerge
from shared.registry.commands import Context, Result
from shared.registry.roles import AGENCY_CLIENT, RECORDS_OFFICER, allowed

REGISTERED_DETAILS = {"national_id", "given_name", "family_name", "date_of_birth", "sex"}


@allowed(RECORDS_OFFICER, AGENCY_CLIENT)
def register_person(command: RegisterPerson, uow: UnitOfWork, ctx: Context) -> Result:
    """A person's id follows from their national identifier: registering them again changes nothing, registering
    other details under it is refused."""
    person_id = person_id_for(command.national_id)
    details = command.model_dump(include=REGISTERED_DETAILS)
    existing: Person | None = uow.get_or_none(person_id)
    if existing is not None:
        existing.check_same_registration(details)
        return {"person_id": person_id}
    person = uow.add(Person.register(person_id, details, ctx.by))
    national_id = command.national_id
    uow.add(
        KnownIdentifier.learn(
            "national_id", national_id.issuer, national_id.value, person_id, ctx.by, person.created_on
        )
    )
    _learn_identifiers(uow, person, command.identifiers or [], ctx.by)
    return {"person_id": person_id}


def _learn_identifiers(uow: UnitOfWork, person: Person, identifiers: list[Any], by: Provenance) -> None:
    """Lookup records for the further identifiers; one already known for someone else is a possible match."""
    matches: dict[UUID, list[str]] = {}
    for given in identifiers:
        known = uow.get_or_none(KnownIdentifier.id_for(given.kind, given.issuer, given.value))
        if known is None:
            uow.add(KnownIdentifier.learn(given.kind, given.issuer, given.value, person.id, by, person.created_on))
        elif known.person_id != person.id:
            matches.setdefault(known.person_id, []).append(given.kind)
    for candidate, kinds in sorted(matches.items(), key=lambda item: str(item[0])):
        person.record_possible_match(candidate, kinds, by, person.created_on)


@allowed(RECORDS_OFFICER, AGENCY_CLIENT)
def add_identifier(command: AddIdentifier, uow: UnitOfWork, ctx: Context) -> Result:
    """Attach another identifier; one already held by someone else is recorded as a possible match instead."""
    person = person_of(uow, ctx.person_id)
    given = command.identifier
    known = uow.get_or_none(KnownIdentifier.id_for(given.kind, given.issuer, given.value))
    now = datetime.now(UTC)
    if known is None:
        person.add_identifier(given.kind, given.issuer, given.value, ctx.by, now)
        uow.add(KnownIdentifier.learn(given.kind, given.issuer, given.value, person.id, ctx.by, now))
    elif known.person_id != person.id and known.person_id not in person.possible_matches:
        person.record_possible_match(known.person_id, [given.kind], ctx.by, now)
    return {"person_id": person.id}


@allowed(RECORDS_OFFICER)
def merge_persons(command: MergePersons, uow: UnitOfWork, ctx: Context) -> Result:
    """Merge a duplicate record into the one that survives; each keeps its own history."""
    survivor, merged = _merge_pair(uow, command, ctx)
    now = datetime.now(UTC)
    links = merge(uow.get_or_none, survivor.id, merged.id, ctx.by, now)
    uow.add_all(links)
    if links:
        survivor.record_merge(merged.id, command.reason, ctx.by, now)
    return {"person_id": survivor.id, "merged_person_id": merged.id}


def _merge_pair(uow: UnitOfWork, command: MergePersons, ctx: Context) -> tuple[Person, Person]:
    survivor = person_of(uow, ctx.person_id)
    merged = person_of(uow, command.merged_person_id)
    if survivor.id == merged.id:
        raise MergeError("merge refused: a record cannot be merged into itself")
    # The survivor's records read first: links are saved in the order they are loaded, the survivor's first.
    records = records_of(uow.get_or_none, survivor.id)
    current = survivor_of(uow.get_or_none, merged.id)
    if current not in (merged.id, survivor.id):
        raise MergeError("merge refused: merged_person_id is already merged into another record")
    if merged.id in records[1:] and current != survivor.id:
        raise MergeError("merge refused: the records are already linked the other way")
    return survivor, merged


@allowed(RECORDS_OFFICER)
def unmerge_persons(command: UnmergePersons, uow: UnitOfWork, ctx: Context) -> Result:
    """Undo a merge decided in error: the two records' histories are apart again."""
    survivor = person_of(uow, ctx.person_id)
    merged = person_of(uow, command.merged_person_id)
    now = datetime.now(UTC)
    links = unmerge(uow.get_or_none, survivor.id, merged.id, ctx.by, now)
    if not links and survivor_of(uow.get_or_none, merged.id) != survivor.id:
        raise MergeError("unmerge refused: merged_person_id is not merged into this person")
    uow.add_all(links)
    if links:
        survivor.record_unmerge(merged.id, command.reason, ctx.by, now)
    return {"person_id": survivor.id, "merged_person_id": merged.id}
