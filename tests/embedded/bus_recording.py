"""What the relays put on the in-process bus, recorded as they publish it (the agency's view of the queue)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import pytest

from pathway.embedded import EmbeddedSystem
from shared.contracts.envelope import Envelope
from shared.messaging.relay import Watermark


def record_publishing(system: EmbeddedSystem, monkeypatch: pytest.MonkeyPatch) -> dict[str, list[bytes]]:
    """Per source service, the body of every envelope published from now on, in publishing order."""
    seen: dict[str, list[bytes]] = {name: [] for name in system.apps}
    publish = system.bus.publish

    def recording(envelopes: Sequence[Envelope], watermark: Watermark | None = None) -> None:
        publish(envelopes, watermark)
        for envelope in envelopes:
            seen[envelope.source].append(envelope.to_bytes())

    monkeypatch.setattr(system.bus, "publish", recording)
    return seen


def as_json(bodies: dict[str, list[bytes]]) -> dict[str, list[dict[str, Any]]]:
    return {service: [json.loads(body) for body in found] for service, found in bodies.items()}
