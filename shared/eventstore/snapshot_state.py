"""An aggregate's attributes as JSON holds them, and back exactly: what a snapshot stores.

JSON has lists, objects keyed by strings, strings and numbers only. Our aggregates also keep dates,
datetimes and UUIDs, tuples, sets, dicts keyed by tuples or dates, and dataclasses: written as they are,
a tuple would come back a list and a date a string. They are written marked, so that an aggregate
restored from a snapshot equals the one folded from its events (aggregates compare by their attributes):

- a value that is not a plain string is a string starting with `~` and a letter: `~d2025-02-08` a date,
  `~T` a datetime, `~u` a UUID, `~m` a Decimal; a plain string that starts with `~` is written `~s...`;
- a container that is not a plain list or dict is a list led by its kind: `["~t", ...]` a tuple, `["~S",
  ...]` a set, `["~F", ...]` a frozenset, `["~D", key, value, ...]` a dict with other keys than strings,
  `["~c", topic, {field: value}]` a dataclass; a plain list whose first item would read as a kind is
  written `["~l", ...]`.

Marks are strings and lists rather than JSON objects so that reading a large state is mostly the C
parser's work: the transcoder calls back into Python for every JSON object. (The application's
transcoder also has its own tag for objects, `{"_type_": ..., "_data_": ...}`; a dict shaped so is
written as `~D` to keep out of its way.)

Sharing is kept too: a release case holds its latest release both as `last_release` and in `releases`,
and later events change it through one name and find it by identity (`is`) through the other. A mutable
object (list, dict, set, dataclass) met again is written `["~r", n]`: the n-th mutable object written,
counting in the order written; reading counts them in the same order.

A value of any other type is refused when the snapshot is taken (so none is taken), rather than read
back as something else.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from eventsourcing.utils import get_topic, resolve_topic

MARK = "~"
_AS_THEY_ARE = (int, float, bool, type(None))
_AS_IS = frozenset(_AS_THEY_ARE)  # the reader keeps these (and unmarked strings) without a call
# Leaf type -> its letter and how it is written; letter -> how it is read back.
_LEAVES: dict[type, tuple[str, Callable[[Any], str]]] = {
    date: ("d", date.isoformat),
    datetime: ("T", datetime.isoformat),
    UUID: ("u", lambda uuid: uuid.hex),
    Decimal: ("m", str),
}
_READ_LEAF: dict[str, Callable[[str], Any]] = {
    "s": str,
    "d": date.fromisoformat,
    "T": datetime.fromisoformat,
    "u": UUID,
    "m": Decimal,
}


class UnsnapshotableError(TypeError):
    """The state holds something a snapshot could not give back exactly."""


def plain(value: Any) -> Any:
    """`value` as JSON holds it; `restored` reverses it."""
    return _Writer().plain(value)


def restored(value: Any) -> Any:
    """What `plain` was given, from what it returned (after a JSON round trip): new objects each time."""
    return _reader()(value)


class _Writer:
    def __init__(self) -> None:
        self._written: dict[int, int] = {}  # id of a mutable object -> its number, in the order written
        self._kept: list[Any] = []  # the objects numbered: their ids stay theirs while we write

    def plain(self, value: Any) -> Any:
        kind = type(value)  # exact types: a subclass would come back as its base
        if kind is str:
            return MARK + "s" + value if value.startswith(MARK) else value
        if kind in _AS_THEY_ARE:
            return value
        if kind in _LEAVES:
            letter, write = _LEAVES[kind]
            return MARK + letter + write(value)
        if kind is tuple:
            return ["~t", *(self.plain(item) for item in value)]
        if kind is frozenset:
            return ["~F", *(self.plain(item) for item in value)]
        if not (kind in (list, set, dict) or dataclasses.is_dataclass(value)):
            raise UnsnapshotableError(f"a snapshot cannot hold a {kind.__qualname__}")
        if id(value) in self._written:
            return ["~r", self._written[id(value)]]
        self._written[id(value)] = len(self._kept)
        self._kept.append(value)
        if kind is list:
            items = [self.plain(item) for item in value]
            return ["~l", *items] if items and _reads_as_kind(items[0]) else items
        if kind is set:
            return ["~S", *(self.plain(item) for item in value)]
        if kind is dict:
            if all(type(key) is str for key in value) and "_type_" not in value:
                return {key: self.plain(item) for key, item in value.items()}
            return ["~D", *(self.plain(part) for pair in value.items() for part in pair)]
        fields = {field.name: self.plain(getattr(value, field.name)) for field in dataclasses.fields(value)}
        return ["~c", get_topic(kind), fields]


def _reads_as_kind(first: Any) -> bool:
    return type(first) is str and first.startswith(MARK)


def _reader() -> Callable[[Any], Any]:
    """A reader of one state. A snapshot is read for every command on its aggregate, and a long history makes
    a large state: so a closure rather than methods, values kept as they are without a call, loops rather than
    comprehensions (each of which is a call), and tuples (keys, mostly) recognised first."""
    made: list[Any] = []  # the mutable objects made, numbered as the writer numbered them
    number = made.append  # each numbered before its contents are read, as the writer numbered it

    def read(value: Any) -> Any:
        kind = type(value)
        if kind is str:
            return _READ_LEAF[value[1]](value[2:]) if value[:1] == MARK else value
        if kind is dict:
            fields: dict[str, Any] = {}
            number(fields)
            for key, item in value.items():
                fields[key] = item if type(item) in _AS_IS or (type(item) is str and item[:1] != MARK) else read(item)
            return fields
        if kind is not list:
            return value
        first = value[0] if value else None
        if first == "~t":
            return tuple(read_all(value[1:]))
        if type(first) is str and first[:1] == MARK:
            return marked(first, value)
        items = list(value)
        number(items)
        return read_all(items)

    def read_all(items: list[Any]) -> list[Any]:
        """Each of `items` (a list of the reader's own) read, in place, in order."""
        for at, item in enumerate(items):
            if not (type(item) in _AS_IS or (type(item) is str and item[:1] != MARK)):
                items[at] = read(item)
        return items

    def marked(mark: str, value: list[Any]) -> Any:
        if mark == "~D":
            mapping: dict[Any, Any] = {}
            number(mapping)
            for at in range(1, len(value), 2):
                key = read(value[at])  # before its value, in the order they were written
                item = value[at + 1]
                mapping[key] = item if type(item) in _AS_IS or (type(item) is str and item[:1] != MARK) else read(item)
            return mapping
        if mark == "~r":
            return made[value[1]]
        if mark == "~l":
            items = value[1:]
            number(items)
            return read_all(items)
        if mark == "~S":
            members: set[Any] = set()
            number(members)
            members.update(read_all(value[1:]))
            return members
        if mark == "~F":
            return frozenset(read_all(value[1:]))
        if mark == "~c":
            return dataclass(resolve_topic(value[1]), value[2])
        raise ValueError(f"unknown kind of value in a snapshot: {mark[:10]!r}")

    def dataclass(cls: Any, fields: dict[str, Any]) -> Any:
        """Made as the snapshot had it, without running __init__ or __post_init__ again; refused if the class's
        fields are no longer those it had."""
        if not (isinstance(cls, type) and dataclasses.is_dataclass(cls)):
            raise ValueError(f"{cls!r} is not a dataclass")
        if {field.name for field in dataclasses.fields(cls)} != set(fields):
            raise ValueError(f"{cls.__qualname__} has other fields than its snapshot")
        instance = object.__new__(cls)
        number(instance)
        for name, item in fields.items():
            object.__setattr__(instance, name, read(item))  # frozen dataclasses too
        return instance

    return read
