"""Restricted cases: a person's record that only named principals may see, in every service.

Intake decides a restriction (protected identity, staff relative, high profile) and publishes it; every service,
intake too, keeps a `CaseRestriction` record per person from it, in its own store, beside the person's other
records. Every read of a case at the edge asks `may_see` first, and every list of people leaves out those the
reader may not see (`without_restricted`). To anyone else a restricted case is an unknown person: the same answer,
and no read recorded, so that not even its existence is revealed.

A principal is the token's caller; None is an open gate (the embedded mode, a service run without an identity
provider), which sees everything, as it checks nobody. The services' own system actors never read through the
edge, so they are not principals here. A case is the person's surviving record with every record merged into it:
a restriction on any of them restricts the whole case.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any, ClassVar, Protocol
from uuid import UUID, uuid5

from eventsourcing.utils import get_topic

from shared.auth.principal import Principal
from shared.domain import PathwayAggregate, Provenance
from shared.eventstore.readmodel import Fold, KeptReadModels
from shared.eventstore.unit_of_work import UnitOfWork
from shared.links import PersonLink, records_of

RESTRICTION_NAMESPACE = UUID("b7d2e4f6-1a3c-5e8b-9d0f-2c4e6a8b0d1f")


class CaseRestriction(PathwayAggregate):
    """Whether one person record is restricted here, and who may see it; started by its first restriction."""

    class Started(PathwayAggregate.Created):
        person_id: UUID

    class Restricted(PathwayAggregate.Event):
        grounds: str
        may_see: list[str]

        def apply(self, record: CaseRestriction) -> None:
            record.grounds = self.grounds
            record.may_see = list(self.may_see)

    class Lifted(PathwayAggregate.Event):
        reason: str

        def apply(self, record: CaseRestriction) -> None:
            record.grounds = None
            record.may_see = []

    def __init__(self, person_id: UUID, **_: Any) -> None:
        self.person_id = person_id
        self.grounds: str | None = None
        self.may_see: list[str] = []

    @property
    def restricted(self) -> bool:
        return self.grounds is not None

    @staticmethod
    def id_for(person_id: UUID) -> UUID:
        return uuid5(RESTRICTION_NAMESPACE, str(person_id))

    @classmethod
    def start(cls, person_id: UUID, by: Provenance, when: datetime) -> CaseRestriction:
        return cls._create(cls.Started, id=cls.id_for(person_id), person_id=person_id, occurred_at=when, **by.fields())


def restrict(
    uow: UnitOfWork, person_id: UUID, grounds: str, may_see: Iterable[str], by: Provenance, when: datetime
) -> None:
    """The person's record here restricted to `may_see`; nothing changes if it already is, just so."""
    record: CaseRestriction | None = uow.get_or_none(CaseRestriction.id_for(person_id))
    if record is None:
        record = uow.add(CaseRestriction.start(person_id, by, when))
    names = sorted(set(may_see))
    if (record.grounds, record.may_see) != (grounds, names):
        record.record(record.Restricted, by, when, grounds=grounds, may_see=names)


def lift(uow: UnitOfWork, person_id: UUID, reason: str, by: Provenance, when: datetime) -> None:
    """The person's record here open again; nothing changes if it is not restricted."""
    record: CaseRestriction | None = uow.get_or_none(CaseRestriction.id_for(person_id))
    if record is not None and record.restricted:
        record.record(record.Lifted, by, when, reason=reason)


def sees(subject: str, restrictions: Iterable[list[str]]) -> bool:
    """The one rule: a principal sees a case when it is named by every restriction on the case's records."""
    return all(subject in may_see for may_see in restrictions)


# --- one case: what every read of a case asks first ----------------------------------------------------------------


class CaseStore(Protocol):
    """What the checks read of a service's application: its aggregates, and its kept read models."""

    def get_or_none(self, aggregate_id: UUID) -> Any: ...

    @property
    def read_models(self) -> KeptReadModels: ...


def may_see(app: CaseStore, person_id: UUID, principal: Principal | None) -> bool:
    """Whether `principal` may see the person's case here (None, an open gate, sees every case). Read from the
    store itself, not a read model, so a restriction holds from the moment it is recorded."""
    if principal is None:
        return True
    restrictions = []
    for record_id in records_of(app.get_or_none, person_id):
        record: CaseRestriction | None = app.get_or_none(CaseRestriction.id_for(record_id))
        if record is not None and record.restricted:
            restrictions.append(record.may_see)
    return sees(principal.subject, restrictions)


# --- lists of people: the rows about cases the reader may not see are left out ---------------------------------------


class Restrictions(Fold):
    """Every restricted person record in a store, with who may see it, and which records are merged into which:
    enough to tell, for a whole report at once, whose rows a reader may not see."""

    topics: ClassVar[frozenset[str]] = frozenset(
        get_topic(event)
        for event in (
            CaseRestriction.Started,
            CaseRestriction.Restricted,
            CaseRestriction.Lifted,
            PersonLink.MergedInto,
            PersonLink.SeparatedFrom,
        )
    )

    def __init__(self) -> None:
        self.person_of: dict[UUID, UUID] = {}  # restriction record id -> its person record
        self.restricted: dict[UUID, list[str]] = {}  # person record -> who may see it
        self.merged_into: dict[UUID, UUID] = {}  # link id of a merged record -> the record it was merged into

    def apply(self, event: Any) -> None:
        if isinstance(event, CaseRestriction.Started):
            self.person_of[event.originator_id] = event.person_id
        elif isinstance(event, CaseRestriction.Restricted):
            self.restricted[self.person_of[event.originator_id]] = list(event.may_see)
        elif isinstance(event, CaseRestriction.Lifted):
            self.restricted.pop(self.person_of[event.originator_id], None)
        elif isinstance(event, PersonLink.MergedInto):
            self.merged_into[event.originator_id] = event.survivor
        elif isinstance(event, PersonLink.SeparatedFrom):
            self.merged_into.pop(event.originator_id, None)

    def survivor(self, person_id: UUID) -> UUID:
        """As shared/links.py's `survivor_of`, from what this fold holds."""
        seen = {person_id}
        while (onto := self.merged_into.get(PersonLink.id_for(person_id))) is not None and onto not in seen:
            person_id = onto
            seen.add(person_id)
        return person_id

    def hidden_from(self, subject: str, people: Iterable[str]) -> set[str]:
        """Those of `people` (person ids as reports write them) whose case `subject` may not see."""
        by_case: dict[UUID, list[list[str]]] = {}
        for record, names in self.restricted.items():
            by_case.setdefault(self.survivor(record), []).append(names)
        if not by_case:
            return set()
        return {person for person in people if not sees(subject, by_case.get(self.survivor(UUID(person)), []))}


def without_restricted(app: CaseStore, answer: Any, principal: Principal | None) -> Any:
    """A report's answer without the rows about people whose case `principal` may not see (None, an open gate,
    sees them all): a row (an object in a list) whose `person_id` names such a person is left out, and a
    `person_ids` list loses them, with the `people` count beside it, where it counts that list."""
    if principal is None:
        return answer
    named = set(_people_named(answer))
    if not named:
        return answer
    hidden = app.read_models.answer(Restrictions, lambda model: model.hidden_from(principal.subject, named))
    return _leave_out(answer, hidden) if hidden else answer


def _people_named(answer: Any) -> Iterator[str]:
    if isinstance(answer, list):
        for item in answer:
            yield from _people_named(item)
    elif isinstance(answer, dict):
        for key, value in answer.items():
            if key == "person_id" and _is_person_id(value):
                yield value
            elif key == "person_ids" and isinstance(value, list):
                yield from (person for person in value if _is_person_id(person))
            else:
                yield from _people_named(value)


def _is_person_id(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    try:
        UUID(value)
    except ValueError:
        return False
    return True


def _leave_out(answer: Any, hidden: set[str]) -> Any:
    if isinstance(answer, list):
        return [
            _leave_out(item, hidden)
            for item in answer
            if not (isinstance(item, dict) and item.get("person_id") in hidden)
        ]
    if isinstance(answer, dict):
        kept = {key: _leave_out(value, hidden) for key, value in answer.items()}
        listed = answer.get("person_ids")
        if isinstance(listed, list):
            kept["person_ids"] = [person for person in listed if person not in hidden]
            if answer.get("people") == len(listed):
                kept["people"] = len(kept["person_ids"])
        return kept
    return answer


def hidden_in(app: CaseStore, principal: Principal | None, people: Iterable[str]) -> set[str]:
    """Those of `people` (person ids as text) whose case `principal` may not see; none for an open gate."""
    named = set(people)
    if principal is None or not named:
        return set()
    subject = principal.subject
    return app.read_models.answer(Restrictions, lambda model: model.hidden_from(subject, named))
