"""When does an import line have to wait for the other services' reactions?

A line waits when a service it depends on (directly or through a chain of
reactions) has written, since the last wait, something about the same person,
or something about nobody in particular. A command whose service declares it
`across_people` (shared/registry/commands.py: its outcome can depend on
reactions about other people, as who gets a freed place does) waits for every
unsettled write of an upstream service. A line whose person cannot be told for
certain waits as before, for any upstream write.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any
from uuid import uuid5

from shared.contracts.base import PERSON_NAMESPACE


class Dependencies:
    def __init__(self, upstreams: Mapping[str, set[str]], across_people: Collection[str] = frozenset()) -> None:
        self.upstreams = upstreams
        self.across_people = frozenset(across_people)  # commands that wait for every upstream write
        self.unsettled: set[tuple[str, str | None]] = set()  # (service written to, person or None)
        self.person_of_identifier: dict[str, str] = {}

    def person_of(self, data: Any, result: Mapping[str, Any] | None = None) -> str | None:
        """The person a line is about, as our id, when it can be told for certain."""
        if not isinstance(data, dict):
            return None
        if result is not None and result.get("person_id"):
            person = str(result["person_id"])
            if isinstance(data.get("national_id"), dict):
                self.person_of_identifier[_identifier(data["national_id"])] = person
            return person
        if isinstance(data.get("person_id"), str):
            return data["person_id"].lower()
        if isinstance(data.get("national_id"), dict):
            return self.person_of_identifier.get(_identifier(data["national_id"]))
        return None

    def person_key(self, data: Any) -> str | None:
        """The person a line is about, as a key that is the same on every line about them: our id where it can
        be told, else the id intake gives the national identifier on registration (which a failed
        registration never got to hand out). None for a line about no one person."""
        person = self.person_of(data)
        if person is not None or not isinstance(data, dict) or not isinstance(data.get("national_id"), dict):
            return person
        national_id = data["national_id"]
        if not isinstance(national_id.get("issuer"), str) or not isinstance(national_id.get("value"), str):
            return None
        return str(uuid5(PERSON_NAMESPACE, _identifier(national_id)))

    def must_wait(self, service: str, command: str, data: Any) -> bool:
        person = self.person_of(data)
        for written_by, about in self.unsettled:
            if written_by not in self.upstreams[service]:
                continue
            if person is None or about is None or about == person or command in self.across_people:
                return True
        return False

    def wrote(self, service: str, data: Any, result: Mapping[str, Any]) -> None:
        self.unsettled.add((service, self.person_of(data, result)))

    def settled(self) -> None:
        self.unsettled.clear()


def _identifier(national_id: Mapping[str, Any]) -> str:
    return f"{national_id.get('issuer')}:{national_id.get('value')}"
