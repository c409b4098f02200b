"""When does an import line have to wait for the other services' reactions?

A line waits when a service it depends on (directly or through a chain of reactions) has written, since the
reactions were last caught up with, something about the same person, or something about nobody in
particular. A command whose service declares it `across_people` (shared/registry/commands.py: its outcome can
depend on reactions about other people, as who gets a freed place does) waits for every write of an upstream
service not yet caught up with.

People are told apart by keys that are the same on every line about them, known before any line is applied:
our person id where the line gives it, else the id intake gives a national identifier on registration. Keys
found to name one person are joined: those of the records a line names together (a merge names two), and a
national identifier's with the person id a service answered for it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from typing import Any
from uuid import uuid5

from shared.contracts.base import PERSON_NAMESPACE

# Fields that name a person besides `person_id` / `national_id`: the other record of a merge or a non-association.
OTHER_PERSON_FIELDS = ("merged_person_id", "other_person_id")
OTHER_NATIONAL_ID_FIELDS = ("other_national_id",)


class Dependencies:
    def __init__(self, upstreams: Mapping[str, set[str]], across_people: Collection[str] = frozenset()) -> None:
        self.upstreams = upstreams
        self.across_people = frozenset(across_people)  # commands that wait for every upstream write
        self.unsettled: set[tuple[str, str | None]] = set()  # (service written to, person key or None)
        self._joined: dict[str, str] = {}  # person key -> a key it names the same person as

    # --- who a line is about

    def keys(self, data: Any) -> frozenset[str]:
        """Every person the line names, as keys (joined ones as one); empty for a line about no one person."""
        if not isinstance(data, dict):
            return frozenset()
        named = [_key(data.get("person_id"), data.get("national_id"))]
        named += [_key(data.get(field), None) for field in OTHER_PERSON_FIELDS]
        named += [_key(None, data.get(field)) for field in OTHER_NATIONAL_ID_FIELDS]
        keys = [key for key in named if key is not None]
        for other in keys[1:]:
            self.join(keys[0], other)
        return frozenset(self.canonical(key) for key in keys)

    def person_key(self, data: Any) -> str | None:
        """The person a line is about, as a key that is the same on every line about them; None for a line about
        no one person. A line naming two records is about the first (whose id survives a merge)."""
        if not isinstance(data, dict):
            return None
        key = _key(data.get("person_id"), data.get("national_id"))
        return None if key is None else self.canonical(key)

    def learned(self, data: Any, result: Mapping[str, Any]) -> None:
        """What a service answered for a line: a person id other than the key its national identifier gives
        (a merged record's survivor, say) names the same person from now on."""
        person_id = result.get("person_id")
        key = self.person_key(data)
        if isinstance(person_id, str) and key is not None:
            self.join(key, person_id.lower())

    def join(self, one: str, other: str) -> None:
        first, second = self.canonical(one), self.canonical(other)
        if first != second:
            self._joined[second] = first

    def canonical(self, key: str) -> str:
        while key in self._joined:
            key = self._joined[key]
        return key

    # --- waiting

    def must_wait(self, service: str, command: str, data: Any, ahead: Iterable[tuple[str, str | None]] = ()) -> bool:
        """Whether a line must wait for reactions to what was written, or to what lines `ahead` of it (not yet
        sent) will write."""
        keys = self.keys(data)
        for written_by, about in (*self.unsettled, *ahead):
            if written_by not in self.upstreams[service]:
                continue
            if not keys or about is None or self.canonical(about) in keys or command in self.across_people:
                return True
        return False

    def wrote(self, service: str, data: Any) -> None:
        """A line sent to `service` writes there, about its people (or about no one person)."""
        self.unsettled.update(self.writes(service, data))

    def writes(self, service: str, data: Any) -> set[tuple[str, str | None]]:
        """What a line sent to `service` writes: (service, each person it names), or (service, None)."""
        keys: Iterable[str | None] = self.keys(data) or (None,)
        return {(service, key) for key in keys}

    def settled(self) -> None:
        self.unsettled.clear()


def _key(person_id: Any, national_id: Any) -> str | None:
    if isinstance(person_id, str):
        return person_id.lower()
    if isinstance(national_id, dict):
        issuer, value = national_id.get("issuer"), national_id.get("value")
        if isinstance(issuer, str) and isinstance(value, str):
            return str(uuid5(PERSON_NAMESPACE, f"{issuer}:{value}"))
    return None
