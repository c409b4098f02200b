"""Snapshots save time and are never the record: an aggregate loaded from its latest snapshot and the events after
it is the one folded from its first event, whatever the snapshot holds, and nothing that reads the log sees one.

Most tests take a snapshot every INTERVAL events, so that a short story crosses several; the round trip of every
aggregate class goes through the application's own transcoder, as a stored snapshot does.
"""

from __future__ import annotations

import dataclasses
import importlib
import logging
import pkgutil
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.persistence import StoredEvent, Tracking

from pathway.cohort import demo_cohort
from pathway.embedded import EmbeddedSystem
from pathway.services import SERVICES
from shared.contracts.base import NationalId, person_id_for
from shared.domain import PathwayAggregate, Provenance
from shared.eventstore.aggregate_loader import AggregateLoader
from shared.eventstore.application import PathwayApplication
from shared.eventstore.reading import events_of
from shared.eventstore.settings import SNAPSHOT_INTERVAL, sqlite_env
from shared.eventstore.snapshots import PathwaySnapshot
from tests import examples as ex
from tests.embedded.helpers import load, replay
from tests.stores import STORES, PostgresStores

INTERVAL = 5
SERVICE_NAMES = ("intake", "programmes", "release")


def person(value: str) -> UUID:
    return person_id_for(NationalId(**ex.nid(value)))


def embedded(request: pytest.FixtureRequest, folder: Path, interval: str) -> EmbeddedSystem:
    """The embedded system on the store this test runs on, with a snapshot every `interval` events."""
    if getattr(request, "param", "sqlite") == "postgres":
        stores: PostgresStores = request.getfixturevalue("postgres_stores")
        stores.empty()
        return EmbeddedSystem(folder, store_env=lambda service: {**stores.env(service), SNAPSHOT_INTERVAL: interval})
    return on_sqlite(folder, interval)


def on_sqlite(folder: Path, interval: str = str(INTERVAL)) -> EmbeddedSystem:
    return EmbeddedSystem(
        folder, store_env=lambda service: {**sqlite_env(service, folder), SNAPSHOT_INTERVAL: interval}
    )


@pytest.fixture(params=STORES)
def snapshotting(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[EmbeddedSystem]:
    with embedded(request, tmp_path / "data", str(INTERVAL)) as system:
        yield system


def folded_from_first_event(app: PathwayApplication, aggregate_id: UUID, upto: int | None = None) -> Any:
    return AggregateLoader(app.events, None, 0).load(aggregate_id, upto)


def loaded_afresh(app: PathwayApplication, aggregate_id: UUID) -> Any:
    """As a process that has not loaded it lately: from the store's latest snapshot, none kept in memory."""
    app.loader.recent.forget(aggregate_id)
    return app.get_or_none(aggregate_id)


def attending(value: str, sessions: int, first: date = date(2025, 2, 8)) -> list[dict[str, Any]]:
    return [ex.attend(value, (first + timedelta(days=n)).isoformat()) for n in range(sessions)]


def learner_story(value: str = "A1", sessions: int = 12) -> list[dict[str, Any]]:
    """In custody, enrolled, attending: a learning record of some twenty events."""
    return [
        ex.publish_programme("P-WELD", capacity=5),
        ex.register_person(value),
        ex.custodial_sentence(value),
        ex.admit(value),
        ex.enrol(value),
        *attending(value, sessions),
    ]


def snapshot_versions(app: PathwayApplication, aggregate_id: UUID) -> list[int]:
    assert app.snapshots is not None
    return [snapshot.originator_version for snapshot in app.snapshots.get(aggregate_id)]


# --- when they are taken --------------------------------------------------------------------------------------


def test_a_snapshot_is_taken_each_time_an_aggregate_reaches_the_interval(snapshotting: EmbeddedSystem) -> None:
    lines_with_outcomes(snapshotting, learner_story())  # one command at a time
    app = snapshotting.apps["programmes"]

    version = app.get_or_none(person("A1")).version
    assert version > 2 * INTERVAL
    assert snapshot_versions(app, person("A1")) == list(range(INTERVAL, version + 1, INTERVAL))
    assert app.get_or_none(person("A1")) == folded_from_first_event(app, person("A1"))  # from the copy kept
    assert loaded_afresh(app, person("A1")) == folded_from_first_event(app, person("A1"))  # from the store's


def test_a_copy_another_process_kept_is_never_stale_only_older(tmp_path: Path) -> None:
    with on_sqlite(tmp_path) as system:
        lines_with_outcomes(system, learner_story(sessions=1))
        other = SERVICES["programmes"].build({**sqlite_env("programmes", tmp_path), SNAPSHOT_INTERVAL: "5"})
        try:
            learner = person("A1")
            assert other.get_or_none(learner) == folded_from_first_event(other, learner)
            kept = other.loader.recent.get(learner)
            assert kept is not None
            lines_with_outcomes(system, attending("A1", 3 * INTERVAL, first=date(2025, 6, 2)))  # this process

            assert other.get_or_none(learner) == folded_from_first_event(other, learner)  # its copy, and the rest
            assert other.loader.recent.get(learner) is None  # the store has a later snapshot: read it next time
            other.get_or_none(learner)
            latest = other.loader.recent.get(learner)
            assert latest is not None
            assert latest[1] == snapshot_versions(other, learner)[-1] > kept[1]
        finally:
            other.close()


def test_a_save_that_passes_several_multiples_of_the_interval_takes_one_snapshot_at_the_last(
    snapshotting: EmbeddedSystem,
) -> None:
    assert load(snapshotting, learner_story()).ok  # an import saves many lines' events together
    app = snapshotting.apps["programmes"]

    version = app.get_or_none(person("A1")).version
    assert snapshot_versions(app, person("A1")) == [version - version % INTERVAL]


class Tally(PathwayAggregate):
    """A test's own aggregate (never stored by the services), to save with and without a tracking record."""

    class Opened(PathwayAggregate.Created):
        pass

    class Counted(PathwayAggregate.Event):
        def apply(self, tally: Tally) -> None:
            tally.count += 1

    def __init__(self, **_: Any) -> None:
        self.count = 0

    @classmethod
    def counted(cls, times: int) -> Tally:
        by, on = Provenance(actor={"id": "test", "role": "system"}), datetime(2025, 1, 1, tzinfo=UTC)
        tally = cls._create(cls.Opened, occurred_at=on, **by.fields())
        for _ in range(times):
            tally.record(cls.Counted, by, on)
        return tally


def test_a_reaction_takes_its_snapshot_after_its_events_and_tracking_record_are_saved(tmp_path: Path) -> None:
    with on_sqlite(tmp_path) as system:
        app = system.apps["programmes"]
        tally = Tally.counted(6)  # seven events: the fifth reaches the interval

        app.save_tracked([tally], Tracking("intake", 41))

        assert app.recorder.has_tracking_id("intake", 41)  # type: ignore[attr-defined]
        assert snapshot_versions(app, tally.id) == [5]
        assert loaded_afresh(app, tally.id).count == 6


def test_a_snapshot_that_cannot_be_written_leaves_the_save_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    with on_sqlite(tmp_path) as system:
        app = system.apps["programmes"]
        assert app.snapshots is not None

        def refused(*_: Any, **__: Any) -> Any:
            raise RuntimeError("disk full")

        monkeypatch.setattr(app.snapshots, "put", refused)
        tally, counted = Tally.counted(6), Tally.counted(9)

        app.save_tracked([tally], Tracking("intake", 7))  # a reaction's
        app.save_tracked([counted], None)  # a command's

        assert app.recorder.has_tracking_id("intake", 7)  # type: ignore[attr-defined]
        assert (app.get_or_none(tally.id).count, app.get_or_none(counted.id).count) == (6, 9)
        warned = [record.getMessage() for record in caplog.records if record.levelno == logging.WARNING]
        assert warned == ["a snapshot was not taken (RuntimeError); commands fold from an earlier one"] * 2


# --- what they change: nothing --------------------------------------------------------------------------------


def lines_with_outcomes(system: EmbeddedSystem, lines: list[dict[str, Any]]) -> list[tuple[str, dict[str, Any]]]:
    outcomes: list[tuple[str, dict[str, Any]]] = []
    for line in lines:
        result = system.execute(line["service"], line["command"], line["data"])
        outcomes.append((result.status, result.result))
        system.settle()
    return outcomes


def test_commands_after_snapshots_have_the_outcomes_they_have_without(
    snapshotting: EmbeddedSystem, tmp_path: Path
) -> None:
    story = [
        *learner_story(sessions=8),
        ex.attend("A1", "2025-02-08"),  # already recorded: skipped
        ex.complete_programme("A1", completed_on="2025-03-01"),
        ex.release("A1"),
        *ex.recall_loop("A1"),
    ]
    with_snapshots = lines_with_outcomes(snapshotting, story)
    assert snapshot_versions(snapshotting.apps["programmes"], person("A1"))
    with on_sqlite(tmp_path / "without", interval="off") as without:
        assert without.apps["programmes"].snapshots is None
        assert lines_with_outcomes(without, story) == with_snapshots


# --- passed over ----------------------------------------------------------------------------------------------


def _latest_snapshot(app: PathwayApplication, aggregate_id: UUID) -> PathwaySnapshot:
    assert app.snapshots is not None
    snapshot = next(app.snapshots.get(aggregate_id, desc=True, limit=1))
    assert isinstance(snapshot, PathwaySnapshot)
    return snapshot


def _with(**changes: Any) -> Callable[[PathwayApplication, PathwaySnapshot], StoredEvent]:
    def stored(app: PathwayApplication, snapshot: PathwaySnapshot) -> StoredEvent:
        return app.mapper.to_stored_event(dataclasses.replace(snapshot, **changes))

    return stored


def _stored_as(topic: str | None = None, state: bytes | None = None) -> Callable[..., StoredEvent]:
    def stored(app: PathwayApplication, snapshot: PathwaySnapshot) -> StoredEvent:
        good = app.mapper.to_stored_event(snapshot)
        return dataclasses.replace(good, topic=topic or good.topic, state=state or good.state)

    return stored


UNUSABLE = {
    "its code changed since": _with(shape="0" * 64),
    "its aggregate class moved": _with(topic="services.programmes.domain.gone:Learner"),
    "a value it cannot read": _with(state={"enrolments": ["~Z", 1]}),
    "a state that is not JSON": _stored_as(state=b"\x00 not json"),
    "its own class moved": _stored_as(topic="shared.eventstore.gone:PathwaySnapshot"),
    "no shape of its code (eventsourcing's own)": _stored_as(topic="eventsourcing.domain:Snapshot"),
}


@pytest.mark.parametrize("unusable", UNUSABLE.values(), ids=UNUSABLE.keys())
def test_a_snapshot_that_cannot_be_used_is_passed_over_and_the_events_folded(
    snapshotting: EmbeddedSystem, unusable: Callable[..., StoredEvent], caplog: pytest.LogCaptureFixture
) -> None:
    assert load(snapshotting, learner_story(sessions=8)).ok
    app = snapshotting.apps["programmes"]
    learner = person("A1")
    version = app.get_or_none(learner).version
    assert version % INTERVAL  # room for one more snapshot, later than the last taken
    bad = unusable(app, _latest_snapshot(app, learner))
    app.snapshots.recorder.insert_events([dataclasses.replace(bad, originator_version=version)])  # type: ignore[union-attr]

    with caplog.at_level(logging.DEBUG, logger="shared.eventstore.aggregate_loader"):
        assert loaded_afresh(app, learner) == folded_from_first_event(app, learner)

    assert "a snapshot was passed over" in caplog.text
    assert learner.hex not in caplog.text  # nothing that names the person's record
    assert str(learner) not in caplog.text
    assert load(snapshotting, [ex.attend("A1", "2026-01-05")]).ok  # and commands go on


# --- unseen by the log ----------------------------------------------------------------------------------------


def test_nothing_that_reads_the_log_sees_a_snapshot(snapshotting: EmbeddedSystem) -> None:
    assert load(snapshotting, [*learner_story(), ex.release("A1")]).ok
    snapshotting.settle()
    programmes = snapshotting.apps["programmes"]
    assert snapshot_versions(programmes, person("A1"))

    for app in snapshotting.apps.values():
        logged = app.recorder.select_notifications(start=1, limit=100_000)
        assert all("Snapshot" not in notification.topic for notification in logged)
        numbered = events_of(app, app.person_stream_ids(person("A1")))
        assert not any(isinstance(numbered_event.event, PathwaySnapshot) for numbered_event in numbered)
    timeline = replay(snapshotting, "A1")
    assert timeline
    assert not any("snapshot" in entry["type"] for entry in timeline)


# --- every aggregate class, restored exactly ------------------------------------------------------------------


def aggregate_classes() -> set[type]:
    """Every aggregate class of the three services' domains."""
    for service in SERVICE_NAMES:
        domain = importlib.import_module(f"services.{service}.domain")
        for module in pkgutil.walk_packages(domain.__path__, prefix=f"{domain.__name__}."):
            importlib.import_module(module.name)
    found: set[type] = set()
    todo: list[type] = [PathwayAggregate]
    while todo:
        subclasses: list[type] = todo.pop().__subclasses__()
        found.update(subclasses)
        todo.extend(subclasses)
    return {cls for cls in found if cls.__module__.startswith("services.")}


def every_kind_of_history() -> list[dict[str, Any]]:
    """The demo cohort's paths for breadth, and long histories for depth: a learning record, a stay with
    placements and absences, a supervision with many contacts; a recall, a restriction, a merge, a receipt."""
    away = [
        line
        for n in range(1, 6)
        for line in (
            ex.line("intake", "record_temporary_absence", national_id=ex.nid("A1"), absence_id=f"TA-{n}",
                    kind="court", left_at=f"2025-03-{n:02d}T07:30:00+00:00", expected_back_on=f"2025-03-{n:02d}"),
            ex.line("intake", "record_return", national_id=ex.nid("A1"), absence_id=f"TA-{n}",
                    returned_at=f"2025-03-{n:02d}T18:00:00+00:00"),
        )
    ]  # fmt: skip
    placed = [
        ex.line("intake", "place", national_id=ex.nid("A1"), facility="Test Prison", unit=unit, placed_on=on)
        for unit, on in (("U1", "2025-01-12"), ("U2", "2025-02-01"), ("U1", "2025-04-01"))
    ]
    weekly = [(date(2025, 1, 20) + timedelta(days=7 * n)).isoformat() for n in range(20)]
    contacts = [ex.record_contact("B1", contact_id=f"C-B1-{n}", contact_on=on) for n, on in enumerate(weekly)]
    merged = str(person("A2"))
    return [
        *demo_cohort(6, prefix="S"),
        *learner_story("A1", sessions=40),
        ex.attend("A1", "2025-04-01", command_id="attendance-A1-2025-04-01"),
        *placed,
        *away,
        ex.restrict_case("A1"),
        ex.lift_case_restriction("A1"),
        ex.register_person("A2", given_name="Other"),
        ex.line("intake", "merge_persons", national_id=ex.nid("A1"), merged_person_id=merged, reason="duplicate"),
        ex.release("A1"),
        *ex.recall_loop("A1"),
        ex.register_person("B1"),
        ex.non_custodial_measure("B1"),
        ex.assign_officer("B1"),
        ex.set_conditions("B1"),
        ex.explain_conditions("B1"),
        *contacts,
    ]


def streams(app: PathwayApplication) -> dict[UUID, int]:
    """Every aggregate in the store, and its version."""
    versions: dict[UUID, int] = {}
    for notification in app.recorder.select_notifications(start=1, limit=1_000_000):
        versions[notification.originator_id] = notification.originator_version  # type: ignore[index]
    return versions


def cuts(version: int, most: int = 12) -> list[int]:
    """Where to snapshot an aggregate of `version` events: after each, or after some spread over them."""
    if version - 1 <= most:
        return list(range(1, version))
    return sorted({1 + (version - 2) * n // (most - 1) for n in range(most)})


def restored_and_folded_on(app: PathwayApplication, aggregate_id: UUID, cut: int) -> Any:
    """A snapshot taken after event `cut`, stored and read back through the application's transcoder, and the
    later events folded on."""
    snapshot = PathwaySnapshot.take(folded_from_first_event(app, aggregate_id, upto=cut))
    aggregate = app.mapper.to_domain_event(app.mapper.to_stored_event(snapshot)).mutate(None)  # type: ignore[attr-defined]
    for event in app.events.get(aggregate_id, gt=cut):
        aggregate = event.mutate(aggregate)  # type: ignore[attr-defined]
    return aggregate


def typed(value: Any) -> Any:
    """`value` with the type of each part beside it: equal only when equal all the way down in type too (a
    tuple is not a list there, nor a date a datetime)."""
    kind = type(value).__qualname__
    if isinstance(value, dict):
        return kind, tuple((typed(key), typed(item)) for key, item in value.items())
    if isinstance(value, list | tuple):
        return kind, tuple(typed(item) for item in value)
    if isinstance(value, set | frozenset):
        return kind, frozenset(typed(item) for item in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return kind, tuple(typed(getattr(value, field.name)) for field in dataclasses.fields(value))
    return kind, value


def attributes(aggregate: Any) -> dict[str, Any]:
    """The aggregate's attributes, each typed all the way down (in whatever order they were set)."""
    return {name: typed(value) for name, value in vars(aggregate).items()}


def shared_parts(aggregate: Any) -> set[frozenset[str]]:
    """For each mutable object reachable from the aggregate's attributes by more than one path: those paths."""
    paths: dict[int, list[str]] = {}

    def walk(part: Any, path: str) -> None:
        is_dataclass = dataclasses.is_dataclass(part) and not isinstance(part, type)
        if isinstance(part, list | dict | set) or is_dataclass:
            if id(part) in paths:
                paths[id(part)].append(path)
                return
            paths[id(part)] = [path]
        if isinstance(part, dict):
            for key, item in part.items():
                walk(item, f"{path}[{key!r}]")
        elif isinstance(part, list | tuple):
            for n, item in enumerate(part):
                walk(item, f"{path}[{n}]")
        elif is_dataclass:
            for field in dataclasses.fields(part):
                walk(getattr(part, field.name), f"{path}.{field.name}")

    walk(vars(aggregate), "")
    return {frozenset(found) for found in paths.values() if len(found) > 1}


def test_every_aggregate_class_comes_back_from_a_snapshot_as_its_events_make_it(system: EmbeddedSystem) -> None:
    assert load(system, every_kind_of_history()).ok
    system.settle()

    checked: set[type] = set()
    for app in system.apps.values():
        for aggregate_id, version in streams(app).items():
            whole = folded_from_first_event(app, aggregate_id)
            for cut in cuts(version):
                restored = restored_and_folded_on(app, aggregate_id, cut)
                assert attributes(restored) == attributes(whole), f"{type(whole).__name__}, snapshot after {cut}"
                assert shared_parts(restored) == shared_parts(whole), f"{type(whole).__name__}, snapshot after {cut}"
            checked.add(type(whole))
    assert aggregate_classes() <= checked, f"no history here for {aggregate_classes() - checked}"
