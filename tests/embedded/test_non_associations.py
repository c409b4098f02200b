"""Non-associations: two people who must not share a unit. Kept by intake on both people, never published,
and a refused placement does not name the other person."""

from __future__ import annotations

import json
from typing import Any

from pathway.embedded import EmbeddedSystem
from tests import examples as ex
from tests.embedded.helpers import load, replay
from tests.embedded.test_custody_rules import place, sentenced


def apart(value: str, other: str, **overrides: Any) -> dict[str, Any]:
    data = {"national_id": ex.nid(value), "other_national_id": ex.nid(other), "reason": "co_defendant",
            "recorded_on": "2025-01-11", **overrides}  # fmt: skip
    return ex.line("intake", "record_non_association", **data)


def test_people_kept_apart_are_not_placed_together_either_way(system: EmbeddedSystem) -> None:
    lines = [*sentenced("A1"), *sentenced("B1"), *sentenced("C1"), apart("A1", "B1"), place("A1", "X")]
    report = load(system, [*lines, place("B1", "X"), place("C1", "X"), place("B1", "Y")])

    assert (report.failed, report.applied) == (1, len(lines) + 2)
    assert report.errors[0].endswith(
        "placement refused: unit X of N holds someone this person must not be held with (a non-association)"
    )
    assert "A1" not in report.errors[0]


def test_a_non_association_is_recorded_once_never_published_and_checked_for_its_fields(
    system: EmbeddedSystem,
) -> None:
    assert load(system, [*sentenced("A1"), *sentenced("B1"), apart("A1", "B1")]).ok
    again = load(system, [apart("A1", "B1"), apart("B1", "A1")])  # the same, from either side
    assert (again.applied, again.skipped) == (0, 2), again.errors

    refused = load(system, [apart("A1", "B1", reason="conflict"), apart("A1", "A1"), apart("A1", "NOBODY")])

    assert refused.failed == 3
    assert "other_person_id: a non-association is already recorded otherwise" in refused.errors[0]
    assert "other_person_id: names the same person" in refused.errors[1]
    assert "other_national_id: unknown person" in refused.errors[2]
    assert "non-association" not in json.dumps(replay(system, "A1"))
