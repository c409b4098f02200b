"""Reactions: module-level functions, each declared with the public event it reacts to and what it may publish.

The declaration sits on the function (`@reacts_to(PersonAdmitted, publishes=[PlaceAllocated, ...])`); each
service lists its reactions in one table. The importer's dependency analysis and the checks that a reaction
stays within what it declares read these declarations, so no service's rules are copied elsewhere.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from shared.contracts.base import PublicEvent
from shared.contracts.envelope import Envelope
from shared.domain import Provenance
from shared.eventstore.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class Cause:
    """The public event a reaction answers, and the provenance its changes carry."""

    envelope: Envelope
    by: Provenance
    # The jurisdiction's rules the service applies, a setting of the running service (release's rules file).
    rules: Any = None

    @property
    def when(self) -> datetime:
        """The cause's business time: what the reaction's own events are dated with."""
        return self.envelope.occurred_at


ReactionFunction = Callable[[Any, UnitOfWork, Cause], None]


@dataclass(frozen=True)
class Reaction:
    event: type[PublicEvent]
    publishes: frozenset[str]
    react: ReactionFunction

    @property
    def event_type(self) -> str:
        return self.event.type

    def __call__(self, event: Any, uow: UnitOfWork, cause: Cause) -> None:
        self.react(event, uow, cause)


def reacts_to(
    event: type[PublicEvent], *, publishes: Iterable[type[PublicEvent]] = ()
) -> Callable[[ReactionFunction], Reaction]:
    """Declare a reaction: the public event it answers, and the public events its changes may publish."""

    def declare(react: ReactionFunction) -> Reaction:
        return Reaction(event, frozenset(kind.type for kind in publishes), react)

    return declare


class Reactions(Mapping[str, Reaction]):
    """One service's reactions, by the type of public event each answers (at most one per type)."""

    def __init__(self, *reactions: Reaction) -> None:
        self._by_type: dict[str, Reaction] = {}
        for reaction in reactions:
            if reaction.event_type in self._by_type:
                raise ValueError(f"two reactions to {reaction.event_type}")
            self._by_type[reaction.event_type] = reaction

    def __getitem__(self, event_type: str) -> Reaction:
        return self._by_type[event_type]

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_type)

    def __len__(self) -> int:
        return len(self._by_type)

    def outputs(self) -> dict[str, frozenset[str]]:
        """Public event type reacted to -> the public event types its reaction may publish."""
        return {event_type: reaction.publishes for event_type, reaction in self._by_type.items()}
