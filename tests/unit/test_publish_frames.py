"""The relay's frames are byte for byte what py-amqp's `basic_publish` writes for the same messages."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import amqp
import pytest
from amqp import spec
from amqp.method_framing import frame_writer
from amqp.serialization import dumps

from shared.messaging.publish_frames import PropertiesWithId, PublishFrames, encoded_properties

CHANNEL = 1
FRAME_MAX = 4096  # small, so that a modest body takes several frames
EVENT = {"content_type": "application/json", "delivery_mode": 2, "user_id": "intake-relay"}


@dataclass
class Captured:
    """A connection and transport just real enough for py-amqp's frame writer, keeping what it writes."""

    frame_max: int = FRAME_MAX
    bytes_sent: int = 0
    written: list[bytes] = field(default_factory=list)

    def write(self, data: Any) -> None:
        self.written.append(bytes(data))


def as_py_amqp_writes(messages: list[tuple[str, str, amqp.Message]]) -> bytes:
    """What `channel.basic_publish(message, exchange, routing_key)` writes for each, one after the other."""
    captured = Captured()
    write_frame = frame_writer(captured, captured)
    for exchange, routing_key, message in messages:
        arguments = dumps("Bssbb", (0, exchange, routing_key, False, False))
        write_frame(1, CHANNEL, spec.Basic.Publish, arguments, message)
    return b"".join(captured.written)


def event_message(event_type: str, message_id: str, body: bytes) -> amqp.Message:
    return amqp.Message(body, message_id=message_id, type=event_type, **EVENT)


def test_a_batch_of_events_and_its_watermark_is_what_basic_publish_writes() -> None:
    events = [
        ("intake.person.registered", "0b8f2f64-51a1-5b0c-8f3e-6d7c2a9e4b15", b'{"a":1}'),
        ("intake.person.admitted", "6f1c3c4e-2b7a-5d4e-9a51-0c2e8f7b1a90", '{"name":"Zoë"}'.encode()),
        ("intake.person.registered", "01ce14c2-ec7d-5237-96a4-6d9ae1a8a0ec", b"x" * (3 * FRAME_MAX + 5)),
        ("intake.person.registered", "3d4ad379-8780-54b3-991d-376653fb806e", b"y" * (FRAME_MAX - 8)),
        ("intake.person.registered", "a0a0a0a0-8780-54b3-991d-376653fb806e", b""),
    ]
    headers = {"source": "intake", "position": 2**40}
    expected = as_py_amqp_writes(
        [("pathway.events", kind, event_message(kind, message_id, body)) for kind, message_id, body in events]
        + [("pathway.watermarks", "intake", amqp.Message(b"{}", application_headers=headers, **EVENT))]
    )

    frames = PublishFrames(CHANNEL, FRAME_MAX)
    templates: dict[str, PropertiesWithId] = {}
    for kind, message_id, body in events:
        template = templates.setdefault(kind, PropertiesWithId(type=kind, **EVENT))
        frames.add("pathway.events", kind, template.with_id(message_id), body)
    frames.add("pathway.watermarks", "intake", encoded_properties(application_headers=headers, **EVENT), b"{}")

    assert frames.count == len(events) + 1
    assert frames.take() == expected
    assert (frames.count, frames.take()) == (0, b"")  # taken once


def test_properties_with_an_id_are_what_py_amqp_encodes_for_that_id() -> None:
    template = PropertiesWithId(type="intake.person.registered", **EVENT)
    for message_id in ("0b8f2f64-51a1-5b0c-8f3e-6d7c2a9e4b15", "x", "z" * 255):
        message = event_message("intake.person.registered", message_id, b"")
        assert template.with_id(message_id) == message._serialize_properties()
    with pytest.raises(ValueError, match="255"):
        template.with_id("z" * 256)  # py-amqp cannot encode it either


def test_a_template_whose_other_properties_hold_the_placeholder_is_refused() -> None:
    with pytest.raises(ValueError, match="placeholder"):
        PropertiesWithId(type=PropertiesWithId._PLACEHOLDER, **EVENT)
