"""Snapshots: a command on a person with a long history folds only what came after their latest snapshot.

eventsourcing keeps snapshots in a table of their own beside the events (`<name>_snapshots` on
PostgreSQL, `stored_snapshots` in SQLite), never in the notification log: nothing that reads the log (the
relay, replay, `events_of`, seals) sees them. One is taken when a save brings an aggregate's version to a
multiple of the interval (SNAPSHOT_INTERVAL, shared/eventstore/settings.py; at the last such multiple, when
one save passes several), after the save, in a transaction of its own: losing one costs time, never a fact
(shared/eventstore/aggregate_loader.py takes and reads them).

Snapshots are an optimisation only, so nothing may depend on them. A snapshot is used only if it is
read back whole and was taken by the same code that would fold the events now: each records the
fingerprint of its aggregate's code (`shape_of`), and one taken by other code is passed over. Any
snapshot that cannot be used (its class moved, its state undecodable, the table missing) is passed
over the same way, and the aggregate is folded from its first event, as it was before snapshots.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any, Self
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.domain import BaseAggregate, MutableOrImmutableAggregate, Snapshot
from eventsourcing.utils import get_topic, resolve_topic

from shared.eventstore import snapshot_state
from shared.eventstore.settings import SNAPSHOT_INTERVAL

# The setting (SNAPSHOT_INTERVAL, shared/eventstore/settings.py): a snapshot every this many events of an
# aggregate. Every 50: a command folds at most 49 events after the snapshot, and taking one (reading the
# previous, folding 50 events, writing the state) costs a few commands' time, once in 50.
DEFAULT_SNAPSHOT_INTERVAL = 50
_OFF = ("0", "off", "n", "no", "false")


def snapshot_interval(env: Mapping[str, str]) -> int:
    """Every how many events of an aggregate a snapshot is taken; 0 for none. Unset: the default."""
    setting = str(env.get(SNAPSHOT_INTERVAL) or "").strip().lower()
    if not setting:
        return DEFAULT_SNAPSHOT_INTERVAL
    if setting in _OFF:
        return 0
    if not setting.isdigit():
        raise ValueError(f"{SNAPSHOT_INTERVAL}: {setting[:20]!r} is not a number of events, nor 0 or off")
    return int(setting)


class SnapshotOutOfDateError(ValueError):
    """The snapshot was taken by other code than the aggregate's now: its state may not be what folding makes."""


class PathwaySnapshot(Snapshot):
    """An aggregate's attributes at one version (as `snapshot_state` writes them), and the shape of its code."""

    shape: str

    @classmethod
    def take(cls, aggregate: MutableOrImmutableAggregate[UUID]) -> Self:
        state = {
            name: value for name, value in vars(aggregate).items() if name not in ("_id", "_version", "_pending_events")
        }
        return cls(
            originator_id=aggregate.id,
            originator_version=aggregate.version,
            timestamp=cls.create_timestamp(),
            topic=get_topic(type(aggregate)),
            state=snapshot_state.plain(state),
            shape=shape_of(type(aggregate)),  # type: ignore[call-arg]  # a dataclass field, made by its metaclass
        )

    def mutate(self, _: None) -> BaseAggregate[UUID]:
        cls = resolve_topic(self.topic)
        if self.shape != shape_of(cls):
            raise SnapshotOutOfDateError(f"{cls.__qualname__}: its code changed since the snapshot was taken")
        state = snapshot_state.restored(self.state)
        state.update(_id=self.originator_id, _version=self.originator_version, _pending_events=[])
        aggregate = object.__new__(cls)
        object.__setattr__(aggregate, "__dict__", state)
        return aggregate  # type: ignore[no-any-return]


@cache
def shape_of(cls: type) -> str:
    """A fingerprint of the code that folds `cls`'s events: the files of its package (its events, their apply
    methods and the helpers beside them), of its base classes' modules, and of the snapshot format. Any change
    there, even one that changes nothing, makes earlier snapshots pass unused until the next is taken."""
    files = {Path(__file__), Path(snapshot_state.__file__)}
    for base in cls.__mro__:
        module = sys.modules.get(base.__module__)
        path = getattr(module, "__file__", None)
        if path is None or base.__module__.split(".")[0] in ("eventsourcing", "builtins", "typing"):
            continue
        files.add(Path(path))
        if base is cls:
            files.update(Path(path).parent.glob("*.py"))
    digest = hashlib.sha256()
    for path in sorted(files):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def create_snapshot_table(app: Application[Any]) -> None:
    """Make the application's snapshot table, as eventsourcing does when snapshots are on, whether or not they
    are on now (the store's settings must let it create tables)."""
    app.factory.aggregate_recorder(purpose="snapshots")
