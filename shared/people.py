"""People as every service names them: by person id or national identifier, merged records followed.

Helpers for handlers and reactions, over the unit of work, and the reactions every service that names people
shares: a further national identifier names the person in commands here too, intake's merges and unmerges
link the records here too, and a case intake restricts is restricted here too (shared/restriction.py).
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from shared import restriction
from shared.contracts.base import NationalId
from shared.contracts.events import (
    CaseRestricted,
    CaseRestrictionLifted,
    IdentifierAdded,
    PersonsMerged,
    PersonsUnmerged,
)
from shared.domain import Provenance
from shared.errors import NotFound
from shared.eventstore.unit_of_work import UnitOfWork
from shared.identifiers import KnownIdentifier
from shared.links import merge, survivor_of, unmerge
from shared.registry.reactions import Cause, Reaction, reacts_to


def resolve_reference(uow: UnitOfWork, person_id: UUID | None, national_id: NationalId | None) -> UUID:
    """Our person id for a person named by id or national identifier; a merged record resolves to its survivor."""
    return survivor_of(uow.get_or_none, named_person(uow, person_id, national_id))


def named_person(uow: UnitOfWork, person_id: UUID | None, national_id: NationalId | None) -> UUID:
    if person_id is not None:
        return person_id
    assert national_id is not None  # the contracts require one of the two
    known = uow.get_or_none(KnownIdentifier.id_for("national_id", national_id.issuer, national_id.value))
    if known is None:
        raise NotFound("national_id: no person is known by this identifier")
    return UUID(str(known.person_id))


def learn_national_id(
    uow: UnitOfWork, issuer: str, value: str, person_id: UUID, by: Provenance, when: datetime
) -> None:
    """A lookup record for a national identifier, unless this store already knows it."""
    if uow.get_or_none(KnownIdentifier.id_for("national_id", issuer, value)) is None:
        uow.add(KnownIdentifier.learn("national_id", issuer, value, person_id, by, when))


def follow_merge(uow: UnitOfWork, survivor: UUID, merged: UUID, by: Provenance, when: datetime) -> None:
    uow.add_all(merge(uow.get_or_none, survivor, merged, by, when))


def follow_unmerge(uow: UnitOfWork, survivor: UUID, merged: UUID, by: Provenance, when: datetime) -> None:
    uow.add_all(unmerge(uow.get_or_none, survivor, merged, by, when))


@reacts_to(IdentifierAdded)
def on_intake_identifier_added(event: IdentifierAdded, uow: UnitOfWork, cause: Cause) -> None:
    """Only national identifiers name people in commands."""
    if event.kind == "national_id":
        learn_national_id(uow, event.issuer, event.value, event.person_id, cause.by, cause.when)


@reacts_to(PersonsMerged)
def on_intake_persons_merged(event: PersonsMerged, uow: UnitOfWork, cause: Cause) -> None:
    follow_merge(uow, event.person_id, event.merged_person_id, cause.by, cause.when)


@reacts_to(PersonsUnmerged)
def on_intake_persons_unmerged(event: PersonsUnmerged, uow: UnitOfWork, cause: Cause) -> None:
    follow_unmerge(uow, event.person_id, event.merged_person_id, cause.by, cause.when)


IDENTITY_REACTIONS: tuple[Reaction, ...] = (
    on_intake_identifier_added,
    on_intake_persons_merged,
    on_intake_persons_unmerged,
)


@reacts_to(CaseRestricted)
def on_intake_case_restricted(event: CaseRestricted, uow: UnitOfWork, cause: Cause) -> None:
    restriction.restrict(uow, event.person_id, event.grounds, event.may_see, cause.by, cause.when)


@reacts_to(CaseRestrictionLifted)
def on_intake_case_restriction_lifted(event: CaseRestrictionLifted, uow: UnitOfWork, cause: Cause) -> None:
    restriction.lift(uow, event.person_id, event.reason, cause.by, cause.when)


# Every service that keeps a person's case answers its reads only to those intake's restriction names.
RESTRICTION_REACTIONS: tuple[Reaction, ...] = (on_intake_case_restricted, on_intake_case_restriction_lifted)
