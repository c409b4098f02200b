"""What a snapshot holds of an aggregate comes back exactly through JSON: types, values and sharing; what cannot, is
refused when the snapshot is taken. And the setting that says how often one is taken."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest

from shared.eventstore.recent_snapshots import RecentSnapshots
from shared.eventstore.settings import postgres_env
from shared.eventstore.snapshot_state import UnsnapshotableError, plain, restored
from shared.eventstore.snapshots import DEFAULT_SNAPSHOT_INTERVAL, snapshot_interval


@dataclass(frozen=True)
class Proposal:
    level: str
    on: date
    ratings: dict[str, str] = field(default_factory=dict)


@dataclass
class Assessment:
    proposal: Proposal
    decision: dict[str, Any] | None = None


def through_json(value: Any) -> Any:
    return restored(json.loads(json.dumps(plain(value))))


@pytest.mark.parametrize(
    "value",
    [
        {"on": date(2025, 2, 8), "at": datetime(2025, 2, 8, 9, 30, tzinfo=UTC), "naive": datetime(2025, 2, 8, 9)},
        {"id": UUID("b71fbb91-d67d-5fba-959c-c4e2902e1484"), "fee": Decimal("12.50"), "n": 3, "x": 0.5, "no": None},
        {"sessions": {("P-WELD", date(2025, 2, 8)): True, ("P-WELD", date(2025, 2, 9)): False}},
        {"ever": {("P-WELD", date(2025, 2, 1))}, "frozen": frozenset({"a", "b"}), "empty": set()},
        {"waiting": {UUID(int=1): {"since": date(2025, 1, 1)}}, "by_number": {1: "one", 2: "two"}},
        {"revisions": [(date(2025, 1, 1), {"title": "Welding"})], "retired": (date(2025, 6, 1), "replaced")},
        {"assessments": {"AS-1": Assessment(Proposal("low", date(2025, 1, 2), {"escape": "low"}))}},
        {"text": "~ a note starting with the mark", "mark": "~", "list": ["~d2025-01-01", "plain"]},
        {"looks_tagged": {"_type_": "date_iso", "_data_": "2025-01-01"}, "nested": [[["deep"]], []]},
    ],
)
def test_a_state_comes_back_equal_and_of_the_same_types(value: dict[str, Any]) -> None:
    back = through_json(value)

    assert back == value
    assert typed(back) == typed(value)


def typed(value: Any) -> Any:
    if isinstance(value, dict):
        return type(value), [(typed(key), typed(item)) for key, item in value.items()]
    if isinstance(value, list | tuple):
        return type(value), [typed(item) for item in value]
    if isinstance(value, set | frozenset):
        return type(value), sorted(repr(typed(item)) for item in value)
    if hasattr(value, "__dataclass_fields__"):
        return type(value), typed(vars(value))
    return type(value), value


def test_what_two_attributes_share_they_share_again() -> None:
    release = {"released_on": date(2026, 2, 14)}
    state = {"last_release": release, "releases": [release], "plans": {}}

    back = through_json(state)

    assert back["last_release"] is back["releases"][0]  # found by identity later (`is`)
    back["last_release"]["release_type"] = "conditional"
    assert back["releases"][0]["release_type"] == "conditional"


def test_each_reading_makes_new_objects() -> None:
    stored = json.loads(json.dumps(plain({"sessions": {"2025-02-08": True}})))

    first, second = restored(stored), restored(stored)
    first["sessions"]["2025-02-09"] = True

    assert second == {"sessions": {"2025-02-08": True}}


class Level(str):
    pass


@pytest.mark.parametrize("value", [object(), Level("low"), b"bytes", lambda: None])
def test_what_would_come_back_otherwise_is_refused(value: Any) -> None:
    with pytest.raises(UnsnapshotableError):
        plain({"value": value})


class Kept:
    def __init__(self, n: int) -> None:
        self.id, self.version, self.items = UUID(int=n), n, {"n": [n] * 100}


def test_a_kept_copy_is_a_new_aggregate_each_time_and_the_budget_holds() -> None:
    recent = RecentSnapshots(budget_bytes=2_000)
    recent.keep(Kept(1))
    first = recent.get(UUID(int=1))
    assert first is not None
    first[0].items["n"].append(0)  # a command changing what it loaded
    again = recent.get(UUID(int=1))
    assert again is not None
    assert (again[1], len(again[0].items["n"])) == (1, 100)
    assert recent.get(UUID(int=1), upto=0) is None  # kept at a later version than asked for

    for n in range(2, 10):
        recent.keep(Kept(n))
    assert recent.get(UUID(int=1)) is None  # the least recently used went first
    assert recent.get(UUID(int=9)) is not None


@pytest.mark.parametrize(
    ("setting", "interval"),
    [(None, DEFAULT_SNAPSHOT_INTERVAL), ("", DEFAULT_SNAPSHOT_INTERVAL), ("20", 20), ("0", 0), ("off", 0)],
)
def test_the_interval_setting(setting: str | None, interval: int) -> None:
    env = {} if setting is None else {"SNAPSHOT_INTERVAL": setting}
    assert snapshot_interval(env) == interval


def test_an_interval_that_is_not_a_number_is_refused_at_start() -> None:
    with pytest.raises(ValueError, match="SNAPSHOT_INTERVAL"):
        snapshot_interval({"SNAPSHOT_INTERVAL": "often"})


def test_postgresql_stores_read_the_interval_per_service_first() -> None:
    environ = {"SNAPSHOT_INTERVAL": "100", "RELEASE_SNAPSHOT_INTERVAL": "25"}

    assert postgres_env("release", environ)["SNAPSHOT_INTERVAL"] == "25"
    assert postgres_env("intake", environ)["SNAPSHOT_INTERVAL"] == "100"
    assert "SNAPSHOT_INTERVAL" not in postgres_env("intake", {})  # unset: the default


def test_what_cannot_be_kept_is_not_kept() -> None:
    class Local(Kept):
        pass

    recent = RecentSnapshots()
    recent.keep(Local(1))

    assert recent.get(UUID(int=1)) is None
