"""Sensitive parts of an answer, withheld from whoever is not entitled to them.

Health, children, extremism, needs and risk are recorded because the Mandela and Bangkok Rules ask for them, and
read only by staff whose work needs them (shared/registry/roles.py, `SENSITIVE_READERS`). A query names the parts
of its answer that are sensitive (`Query.sensitive`, a path to each and its category); for a caller not entitled
to a category its values are replaced by None and the path listed under `withheld`, so the answer keeps its shape
and says what was left out. A read that did return a sensitive part says which in the read log.

Paths are dotted keys; a list on the way is walked item by item (`proposed.needs_met`: the `needs_met` of each
of `proposed`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from shared.registry.roles import SENSITIVE_READERS

WITHHELD = "withheld"


@dataclass(frozen=True)
class Visible:
    """An answer as the caller may see it, the categories it was given, and the paths withheld."""

    answer: Any
    given: frozenset[str]
    withheld: tuple[str, ...]


def entitled(roles: frozenset[str] | None, category: str) -> bool:
    """Whether roles (None: an open gate, which checks nobody) may read a category of sensitive parts."""
    return roles is None or not roles.isdisjoint(SENSITIVE_READERS[category])


def visible_to(roles: frozenset[str] | None, answer: Any, sensitive: Mapping[str, str]) -> Visible:
    """`answer` with the sensitive parts `roles` may not read set to None and listed under `withheld` (when the
    answer is an object)."""
    given: set[str] = set()
    withheld: list[str] = []
    for path, category in sensitive.items():
        if not _holds(answer, path.split(".")):
            continue
        if entitled(roles, category):
            given.add(category)
        else:
            _clear(answer, path.split("."))
            withheld.append(path)
    if withheld and isinstance(answer, dict):
        answer[WITHHELD] = sorted(withheld)
    return Visible(answer, frozenset(given), tuple(sorted(withheld)))


def _holds(value: Any, keys: list[str]) -> bool:
    """Whether a value is present (not None, not empty) at the path."""
    if isinstance(value, list):
        return any(_holds(item, keys) for item in value)
    if not keys:
        return value not in (None, [], {}, "")
    return isinstance(value, dict) and keys[0] in value and _holds(value[keys[0]], keys[1:])


def _clear(value: Any, keys: list[str]) -> None:
    if isinstance(value, list):
        for item in value:
            _clear(item, keys)
    elif isinstance(value, dict) and keys and keys[0] in value:
        if len(keys) == 1:
            value[keys[0]] = None
        else:
            _clear(value[keys[0]], keys[1:])
