"""A person's part of the pathway in one service's store, as replay entries.

The services serve this to auditors (HTTP and RPC); the replay merges the
three services' lists into one timeline.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from uuid import UUID

from shared.eventstore.application import PathwayApplication
from shared.eventstore.reading import NumberedEvent, events_of
from shared.links import records_of
from shared.messaging.deadletters import Quarantine
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
    """The person's public events in this store, in the store's own order, with what became of any of their
    messages this service set aside (held, replayed, discarded: who and why), since that shaped the order."""
    quarantines = {Quarantine.id_for(str(record)) for record in records_of(app.get_or_none, person_id)}
    entries = []
    for numbered in events_of(app, [*app.person_stream_ids(person_id), *quarantines]):
        if numbered.event.originator_id in quarantines:
            entries.append(dead_letter_entry(app.service, numbered))
            continue
        envelope = envelope_for(app.service, numbered, translate)
        if envelope is not None:
            entries.append(entry_of(envelope.model_dump(mode="json")))
    return entries


DEAD_LETTER_ENTRY_TYPES = {
    "Opened": None,
    "MessageSetAside": "set-aside",
    "ReplayFailed": "replay-failed",
    "MessageReleased": "replayed",
    "MessageDiscarded": "discarded",
}


def dead_letter_entry(service: str, numbered: NumberedEvent) -> dict[str, Any]:
    """A replay entry for a change to a person's set-aside messages in `service` (identifiers and reasons only)."""
    event = numbered.event
    kind = DEAD_LETTER_ENTRY_TYPES.get(type(event).__name__) or "opened"
    data: dict[str, Any] = {"event_id": getattr(event, "event_id", None)}
    if isinstance(event, Quarantine.MessageSetAside):
        data.update(state="held" if event.held else "failed", reason=event.reason, type=_type_of(event.envelope))
    elif isinstance(event, Quarantine.ReplayFailed | Quarantine.MessageDiscarded):
        data["reason"] = event.reason
    return {
        "service": service,
        "type": f"{service}.dead-letter.{kind}",
        "occurred_at": _json_time(event.occurred_at),
        "recorded_at": _json_time(event.timestamp),
        "sequence": numbered.notification_id,
        "actor": dict(event.actor),
        "data": data,
    }


def _json_time(moment: datetime) -> str:
    """As public envelopes write times (pydantic's JSON), so entries from both kinds read alike."""
    return moment.isoformat().replace("+00:00", "Z")


def _type_of(envelope: str) -> str | None:
    try:
        kind = json.loads(envelope).get("type")
    except (ValueError, AttributeError):
        return None
    return kind if isinstance(kind, str) else None
