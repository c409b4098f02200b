"""An envelope's bytes on the bus are its JSON as pydantic writes it, and read back as the same envelope."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from uuid import uuid4

import pytest

from shared.contracts.envelope import Envelope, event_id_for

PERSON = uuid4()
ACTORS = [
    {"id": "clerk-1", "role": "records_officer", "agency": "Test Prison Service"},
    {"id": "importer", "role": "system", "agency": "Prison Service", "entered_by": "officer-7"},
]
PAYLOADS = [
    {"person_id": str(PERSON), "national_id": {"issuer": "TEST-NID", "value": "A1"}, "sex": None},
    {"note": 'Zoë \u2013 Łódź 東京 \u2028 "quoted" \\ / \t', "days": 600, "ratio": 0.1, "levels": [1, 2.5, None, True]},
    {},
]
TIMES = [
    datetime(2025, 1, 10, 9, 30, tzinfo=UTC),
    datetime(2025, 1, 10, 9, 30, 0, 123, tzinfo=timezone(timedelta(hours=2))),
]


def envelopes() -> list[Envelope]:
    return [
        Envelope(
            event_id=event_id_for("intake", PERSON, n),
            type="intake.person.registered",
            version=1,
            occurred_at=TIMES[n % 2],
            recorded_at=TIMES[(n + 1) % 2],
            source="intake",
            subject=PERSON if n % 2 else None,
            aggregate_id=PERSON,
            aggregate_version=n,
            notification_id=n,
            correlation_id=str(uuid4()),
            causation_id="command-1" if n % 2 else None,
            actor=actor,
            payload=payload,
        )
        for n, (actor, payload) in enumerate(((a, p) for a in ACTORS for p in PAYLOADS), start=1)
    ]


@pytest.mark.parametrize("envelope", envelopes(), ids=lambda envelope: str(envelope.notification_id))
def test_the_bytes_are_pydantics_json_and_read_back_the_same(envelope: Envelope) -> None:
    assert envelope.to_bytes() == envelope.model_dump_json().encode()
    assert Envelope.from_bytes(envelope.to_bytes()) == envelope
