"""A person's whole pathway: their events from the three stores, merged into one timeline.

Entries are ordered by recorded time, ties broken by service name then the
service's own sequence; each store is read in its own order and the streams
are merged, so a service's order is kept even if its clock stepped back.
"""

from __future__ import annotations

import heapq
import json
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from functools import partial
from typing import Any, Protocol
from uuid import UUID

from shared.contracts.base import NationalId
from shared.errors import FieldProblem, InvalidInput, NotFound
from shared.eventstore.application import PathwayApplication
from shared.eventstore.read_log import read_recorded
from shared.identifiers import KnownIdentifier
from shared.messaging.history import person_history
from shared.messaging.translation import Translator
from shared.reader import Reader


class ReplaySource(Protocol):
    """One service's part of a person's pathway (its store, or later a running service)."""

    service: str

    def entries(self, person_id: UUID) -> list[dict[str, Any]]: ...


class StoreSource:
    """Reads a service's store directly: the auditor's path, which writes nothing but the read log."""

    def __init__(self, app: PathwayApplication, translate: Translator, reader: Reader) -> None:
        self.app = app
        self.service = app.service
        self.translate = translate
        self.reader = reader

    def entries(self, person_id: UUID) -> list[dict[str, Any]]:
        """The person's events here, once this read of their case is recorded in this store's read log."""
        history = partial(person_history, self.app, self.translate, person_id)
        return read_recorded(self.app, person_id, self.reader, "replay", "store", history)


def parse_person(reference: str) -> UUID | NationalId:
    """A person id, or a national identifier written issuer:value."""
    try:
        return UUID(reference)
    except ValueError:
        pass
    issuer, sep, value = reference.partition(":")
    if not sep or not issuer or not value:
        raise InvalidInput([FieldProblem("PERSON", "give a person id or a national identifier as issuer:value")])
    return NationalId(issuer=issuer, value=value)


def resolve_in_store(app: PathwayApplication, reference: UUID | NationalId) -> UUID:
    if isinstance(reference, UUID):
        return reference
    known = app.get_or_none(KnownIdentifier.id_for("national_id", reference.issuer, reference.value))
    if known is None:
        raise NotFound("PERSON: no person is known by this identifier")
    return UUID(str(known.person_id))


def _business_day(entry: Mapping[str, Any]) -> date:
    return datetime.fromisoformat(entry["occurred_at"].replace("Z", "+00:00")).date()


def _instant(entry: Mapping[str, Any]) -> datetime:
    return datetime.fromisoformat(entry["recorded_at"].replace("Z", "+00:00"))


def timeline(
    sources: Iterable[ReplaySource], person_id: UUID, as_of: datetime | None = None, occurred_by: date | None = None
) -> list[dict[str, Any]]:
    """The person's events from every source, in recorded order. `as_of`: only what had been recorded by then
    (what the system knew); `occurred_by`: only what happened on or before that day (business time, each
    event's day in its own offset), however late it was recorded."""
    streams = []
    for source in sorted(sources, key=lambda s: s.service):
        entries = source.entries(person_id)
        if as_of is not None:
            entries = [e for e in entries if _instant(e) <= as_of]
        if occurred_by is not None:
            entries = [e for e in entries if _business_day(e) <= occurred_by]
        streams.append(entries)
    return list(heapq.merge(*streams, key=lambda e: (_instant(e), e["service"], e["sequence"])))


def as_json(entries: list[dict[str, Any]]) -> str:
    return json.dumps(entries, indent=2, ensure_ascii=False) + "\n"


def as_table(entries: list[dict[str, Any]]) -> str:
    if not entries:
        return "(no events)\n"
    lines = [f"{'recorded at':<27} {'service':<10} {'type':<34} {'occurred at':<25} details"]
    for e in entries:
        details = ", ".join(f"{k}={v}" for k, v in e["data"].items() if k != "person_id" and v is not None)
        lines.append(f"{e['recorded_at']:<27} {e['service']:<10} {e['type']:<34} {e['occurred_at']:<25} {details}")
    return "\n".join(lines) + "\n"
