"""A service's public events, a page at a time: the feed for agencies that subscribe late.

The broker only delivers what arrives after an agency's queue exists; the feed serves the history
from the store itself. Each page holds the envelopes exactly as the relay publishes them (same
`envelope_for`, so the same deterministic `event_id`), in notification order. Private events with
no public form are skipped, but the cursor moves past them: `next_after` is the last notification
read, so a run of private events never stalls paging.

Serving up to the store's head is safe, the same as for the relay: notification ids become visible
in order (eventsourcing's default PostgreSQL insert path takes a table lock, so a transaction that
got a lower id has committed before a higher one can; SQLite has a single writer). A later page
therefore never holds an event below a cursor already passed. Do not enable
`POSTGRES_ENABLE_DB_FUNCTIONS`: that would break this promise, here as in the relay.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from shared.contracts.envelope import Envelope
from shared.errors import FieldProblem, InvalidInput
from shared.eventstore.application import PathwayApplication
from shared.eventstore.reading import head, notifications_after
from shared.messaging.topology import topic_matches
from shared.messaging.translation import Translator, public_envelopes

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000

# A type or an AMQP binding pattern: dot-separated words, `*` one word, `#` any number of words.
_PATTERN = re.compile(r"^(?:[a-z0-9-]+|\*|#)(?:\.(?:[a-z0-9-]+|\*|#))*$")


@dataclass(frozen=True)
class FeedQuery:
    """Where to start (the last notification id already seen), how many to read, which types to keep."""

    after: int = 0
    limit: int = DEFAULT_LIMIT
    types: tuple[str, ...] = ()

    @classmethod
    def parse(cls, after: Any = None, limit: Any = None, types: Any = None) -> FeedQuery:
        """From HTTP query strings or RPC arguments; every bad field is named, no value is echoed."""
        problems: list[FieldProblem] = []
        start = _whole_number("after", after, 0, (0, 2**63 - 1), problems)  # a position, stored as a bigint
        count = _whole_number("limit", limit, DEFAULT_LIMIT, (1, MAX_LIMIT), problems)
        patterns = _patterns(types, problems)
        if problems:
            raise InvalidInput(problems)
        return cls(start, count, patterns)

    def keeps(self, envelope: Envelope) -> bool:
        return not self.types or any(topic_matches(pattern, envelope.type) for pattern in self.types)


@dataclass(frozen=True)
class FeedPage:
    events: list[Envelope]
    next_after: int  # the last notification read (public or not): pass it as `after` for the next page
    head: int  # the store's last notification id when the page was read

    def as_dict(self) -> dict[str, Any]:
        return {
            "events": [envelope.model_dump(mode="json") for envelope in self.events],
            "next_after": self.next_after,
            "head": self.head,
        }


def public_events(
    app: PathwayApplication,
    translate: Translator,
    query: FeedQuery,
    entitled: Callable[[str], bool] | None = None,
) -> FeedPage:
    """Up to `query.limit` notifications after `query.after`, as the public envelopes among them; with `entitled`,
    only the event types it says the reader is entitled to (the others are passed over, as private events are)."""
    notifications = notifications_after(app, query.after, query.limit)
    envelopes = public_envelopes(app, translate, notifications)
    next_after = notifications[-1].id if notifications else query.after
    kept = [e for e in envelopes if query.keeps(e) and (entitled is None or entitled(e.type))]
    # Read after the page, so that head >= next_after: ids only become visible in order.
    return FeedPage(kept, next_after, head(app))


def _whole_number(
    field: str, value: Any, default: int, bounds: tuple[int, int | None], problems: list[FieldProblem]
) -> int:
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int):
        number = value
    elif isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 20:
        number = int(value)  # longer digit strings are past any bound (and past what int() parses)
    else:
        number = None
    lowest, highest = bounds
    if number is None or number < lowest or (highest is not None and number > highest):
        within = f"from {lowest} to {highest}" if highest is not None else f"{lowest} or more"
        problems.append(FieldProblem(field, f"must be a whole number {within}"))
        return default
    return number


def _patterns(types: Any, problems: list[FieldProblem]) -> tuple[str, ...]:
    if types is None or types == "":
        return ()
    items = [item.strip() for item in types.split(",")] if isinstance(types, str) else types
    if not isinstance(items, list | tuple) or not all(isinstance(i, str) and _PATTERN.match(i) for i in items):
        problems.append(FieldProblem("types", "must be event types or binding patterns (release.#), comma-separated"))
        return ()
    return tuple(items)
