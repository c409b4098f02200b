"""A person's part of the pathway in one service's store, as replay entries.

The services serve this to auditors (HTTP and RPC); the replay merges the
three services' lists into one timeline.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from uuid import UUID

from shared.eventstore.application import PathwayApplication
from shared.eventstore.reading import events_of
from shared.messaging.translation import Translator, envelope_for


def entry_of(envelope: Mapping[str, Any]) -> dict[str, Any]:
    """A replay entry from a public envelope (as JSON)."""
    return {
        "service": envelope["source"],
        "type": envelope["type"],
        "occurred_at": envelope["occurred_at"],
        "recorded_at": envelope["recorded_at"],
        "sequence": envelope["notification_id"],
        "actor": envelope["actor"],
        "data": envelope["payload"],
    }


def person_history(app: PathwayApplication, translate: Translator, person_id: UUID) -> list[dict[str, Any]]:
    """The person's public events in this store, in the store's own order."""
    entries = []
    for numbered in events_of(app, app.person_stream_ids(person_id)):
        envelope = envelope_for(app.service, numbered, translate)
        if envelope is not None:
            entries.append(entry_of(envelope.model_dump(mode="json")))
    return entries
