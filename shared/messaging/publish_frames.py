"""The AMQP 0-9-1 frames of many `basic.publish`, encoded together and written to the socket at once.

Why not py-amqp's `basic_publish`: it costs the relay about 40 µs a message in Python, most of it not the
message's — a non-blocking read for a `connection.blocked` notice (a system call), a write of its own (another),
and the method and properties encoded field by field although all but the message id repeat. That capped the
relay at a third of raw publishing. Here a batch's frames are the very bytes py-amqp writes for the same calls
(tests/unit/test_publish_frames.py holds them to it); what repeats is encoded once, with py-amqp's own encoders,
and the batch goes out in one write.
"""

from __future__ import annotations

from struct import Struct

import amqp
from amqp.serialization import dumps

BASIC_CLASS, PUBLISH_METHOD = 60, 40
METHOD_FRAME, HEADER_FRAME, BODY_FRAME = 1, 2, 3
FRAME_END = b"\xce"
# A frame's type, channel and size before its payload, and its end octet after: what py-amqp takes off frame_max
# for a body frame's payload.
FRAME_OVERHEAD = 8

_frame_start = Struct(">BHI")
_header_frame_start = Struct(">BHIHHQ")  # then the content header: class, weight (0), body size
_method_id = Struct(">HH")


def method_frame(channel_id: int, exchange: str, routing_key: str) -> bytes:
    """basic.publish to `exchange` with `routing_key`, neither mandatory nor immediate (as `basic_publish`)."""
    payload = _method_id.pack(BASIC_CLASS, PUBLISH_METHOD) + dumps("Bssbb", (0, exchange, routing_key, False, False))
    return _frame_start.pack(METHOD_FRAME, channel_id, len(payload)) + payload + FRAME_END


def encoded_properties(**properties: object) -> bytes:
    """A message's properties as its content header carries them, encoded by py-amqp (by a private method: its
    only encoder of content headers; the unit test would see it change)."""
    return bytes(amqp.Message(b"", **properties)._serialize_properties())


class PropertiesWithId:
    """The properties of messages that differ only in their `message_id`: encoded once, the id put in per message.

    py-amqp encodes a template holding a placeholder id; each message's properties are the template with the
    placeholder's bytes (a length octet, then the text) replaced by its own id's.
    """

    _PLACEHOLDER = "message-id-placeholder"

    def __init__(self, **properties: object) -> None:
        template = encoded_properties(message_id=self._PLACEHOLDER, **properties)
        before, found, after = template.partition(self._short_string(self._PLACEHOLDER))
        if not found or self._short_string(self._PLACEHOLDER) in after:
            raise ValueError("the message id placeholder must appear once in the encoded properties")
        self._before, self._after = before, after

    def with_id(self, message_id: str) -> bytes:
        return self._before + self._short_string(message_id) + self._after

    @staticmethod
    def _short_string(text: str) -> bytes:
        """A length octet, then the text in UTF-8: as py-amqp's `dumps("s", ...)`, without its overhead per call."""
        encoded = text.encode("utf-8", "surrogatepass")
        if len(encoded) > 255:
            raise ValueError("a short string holds at most 255 bytes")
        return bytes((len(encoded),)) + encoded


class PublishFrames:
    """The frames of a batch of publishes on one channel, in order, to be written at once."""

    def __init__(self, channel_id: int, frame_max: int) -> None:
        self.channel_id = channel_id
        self.body_frame_max = frame_max - FRAME_OVERHEAD
        self._method_frames: dict[tuple[str, str], bytes] = {}
        self._parts: list[bytes] = []
        self.count = 0

    def add(self, exchange: str, routing_key: str, properties: bytes, body: bytes) -> None:
        """One message: its method frame, its content header, and its body in as many frames as frame_max needs."""
        method = self._method_frames.get((exchange, routing_key))
        if method is None:
            method = self._method_frames[exchange, routing_key] = method_frame(self.channel_id, exchange, routing_key)
        size, channel = len(body), self.channel_id
        # The content header's payload: class, weight and body size (12 bytes), then the properties.
        header = _header_frame_start.pack(HEADER_FRAME, channel, 12 + len(properties), BASIC_CLASS, 0, size)
        if 0 < size <= self.body_frame_max:  # the usual case, spelled out: one body frame
            body_start = _frame_start.pack(BODY_FRAME, channel, size)
            self._parts += (method, header, properties, FRAME_END, body_start, body, FRAME_END)
        else:
            self._parts += (method, header, properties, FRAME_END)
            for start in range(0, size, self.body_frame_max):  # no body frame for an empty body, as py-amqp
                chunk = body[start : start + self.body_frame_max]
                self._parts += (_frame_start.pack(BODY_FRAME, channel, len(chunk)), chunk, FRAME_END)
        self.count += 1

    def take(self) -> bytes:
        """Everything added since the last take, as one string of bytes."""
        data = b"".join(self._parts)
        self._parts.clear()
        self.count = 0
        return data
