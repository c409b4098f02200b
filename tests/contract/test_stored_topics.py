"""Stored events are forever: the topic of every event class any store may hold is pinned.

A stored event is read back by resolving its topic ("module:Class.Event") to a
class. Moving or renaming an event class changes its topic, and every event
already stored under the old one can no longer be read.
"""

from __future__ import annotations

import importlib
import json
import os
import pkgutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from eventsourcing.domain import Aggregate
from eventsourcing.utils import get_topic, resolve_topic

SNAPSHOT = Path(__file__).parent / "snapshots" / "stored_topics.json"
HOW_TO_UPDATE = "UPDATE_SNAPSHOTS=1 .venv/bin/python -m pytest tests/contract"
PROJECT_PACKAGES = ("shared", "services", "pathway")
MODULES_WITH_AGGREGATES = (
    "shared.domain",
    "shared.identifiers",
    "shared.restriction",
    "shared.eventstore.receipts",
    "shared.messaging.deadletters",
)
SERVICES = ("intake", "programmes", "release")


def import_every_aggregate_module() -> None:
    for name in MODULES_WITH_AGGREGATES:
        importlib.import_module(name)
    for service in SERVICES:
        domain = importlib.import_module(f"services.{service}.domain")
        for module in pkgutil.walk_packages(domain.__path__, prefix=f"{domain.__name__}."):
            importlib.import_module(module.name)


def subclasses(cls: type) -> Iterator[type]:
    for sub in cls.__subclasses__():
        yield sub
        yield from subclasses(sub)


def is_ours(cls: type) -> bool:
    # Tests define aggregates of their own; only the project's classes reach a real store.
    return cls.__module__.split(".")[0] in PROJECT_PACKAGES


def stored_topics() -> list[str]:
    import_every_aggregate_module()
    topics = set()
    for aggregate in filter(is_ours, subclasses(Aggregate)):
        for member in vars(aggregate).values():
            if isinstance(member, type) and issubclass(member, Aggregate.Event) and is_ours(member):
                topics.add(get_topic(member))
    return sorted(topics)


def test_the_stored_event_topics_are_the_pinned_ones() -> None:
    current = stored_topics()
    if os.environ.get("UPDATE_SNAPSHOTS") == "1":
        SNAPSHOT.parent.mkdir(parents=True, exist_ok=True)
        SNAPSHOT.write_text(json.dumps(current, indent=2, sort_keys=True) + "\n")
        return
    if not SNAPSHOT.exists():
        pytest.fail(f"no snapshot of stored event topics yet; review the list, then run: {HOW_TO_UPDATE}")
    pinned = json.loads(SNAPSHOT.read_text())
    gone = sorted(set(pinned) - set(current))
    new = sorted(set(current) - set(pinned))
    assert not gone, (
        f"event topics no longer defined: {gone}. Moving or renaming an event class orphans stored history: "
        "events already stored under the old topic can no longer be read. Keep the old topic readable with a "
        "topic alias (eventsourcing.utils.register_topic(old_topic, new_class)) or an upcaster (a class version "
        f"with upcast_v1_v2), then run: {HOW_TO_UPDATE}"
    )
    assert not new, f"new event topics {new}: once stored they are forever; review them, then run: {HOW_TO_UPDATE}"


def test_the_walk_finds_every_services_aggregates() -> None:
    # Guards the test above against passing vacuously if the walk stopped finding classes.
    topics = stored_topics()
    for expected in (
        "services.intake.domain.person:Person.Admitted",
        "services.programmes.domain.learner:Learner.EnrolmentStarted",
        "services.programmes.domain.programme:Programme.Published",
        "services.release.domain.case:ReleaseCase.Released",
        "shared.identifiers:KnownIdentifier.Learned",
        "shared.eventstore.receipts:CommandReceipt.Issued",
        "shared.messaging.deadletters:Quarantine.MessageSetAside",
    ):
        assert expected in topics


def test_every_topic_resolves_back_to_its_class() -> None:
    for topic in stored_topics():
        assert get_topic(resolve_topic(topic)) == topic
