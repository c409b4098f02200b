"""The relay: the notification log is the outbox; the relay carries it to the bus.

It publishes a batch, waits for the broker to confirm all of it, and only then
records its position. A crash in between re-publishes the batch with the same
event ids, and consumers drop the repeats by their tracking records.

Being the one active reader of its store, it also seals what it publishes
(shared/eventstore/seals.py), just before recording its position: everything
published is sealed, and a crash in between seals nothing twice.

Draining a backlog (`pump`) with a publisher that can send without waiting
(`PipelinedPublisher`), it reads and translates the next batch while the broker
persists the one it sent, and records that one once confirmed while the broker
persists the next: the broker's work and the relay's overlap, where waiting for
each batch's confirms had added them up. Still one batch at a time is
unconfirmed, and a batch's position is kept only once all of it is confirmed.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from shared.contracts.envelope import Envelope
from shared.eventstore.application import PathwayApplication
from shared.eventstore.positions import keep_position, kept_position
from shared.eventstore.reading import notifications_after
from shared.eventstore.seals import Seal, Sealer, VerifyReport, verify
from shared.messaging.translation import Translator, public_envelopes

log = logging.getLogger(__name__)

# The relay's position is kept in the service's own store under this name (shared/eventstore/positions.py).
RELAY_TRACKING_NAME = "relay"


@dataclass(frozen=True)
class Watermark:
    """ "Everything this source recorded up to `position` has been published before me."

    Sent after each batch, through the same channel, so a consumer that handles
    it has handled everything before it: that is how a distributed system tells
    it has settled without reading the broker's statistics.
    """

    source: str
    position: int

    @classmethod
    def from_headers(cls, headers: Any) -> Watermark:
        """From an AMQP message's headers, refusing (ValueError, naming the header) anything malformed."""
        if not isinstance(headers, dict) or not headers:
            raise ValueError("headers: missing")
        source, position = headers.get("source"), headers.get("position")
        if not isinstance(source, str) or not source or len(source) > 64:
            raise ValueError("headers.source: must be a service name")
        if isinstance(position, bool) or not isinstance(position, int) or not 0 <= position < 2**63:
            raise ValueError("headers.position: must be a whole number from 0")
        return cls(source, position)


class Publisher(Protocol):
    def publish(self, envelopes: Sequence[Envelope], watermark: Watermark | None = None) -> None:
        """Publish all (then the watermark), returning only once the broker has confirmed every one."""


@runtime_checkable
class PipelinedPublisher(Publisher, Protocol):
    """A publisher that can send a batch and be asked for its confirms later (`publish` is both at once)."""

    def send(self, envelopes: Sequence[Envelope], watermark: Watermark | None = None) -> None:
        """Send all (then the watermark) without waiting for the broker."""

    def wait_for_confirms(self) -> None:
        """Return once the broker has confirmed everything sent; raise if it refused any, or took too long."""


@dataclass(frozen=True)
class Batch:
    """Notifications read after `after`, and the public envelopes among them."""

    after: int
    notifications: Sequence[Any]
    envelopes: list[Envelope]

    @property
    def last(self) -> int:
        return int(self.notifications[-1].id)


class Relay:
    def __init__(
        self,
        app: PathwayApplication,
        translate: Translator,
        publisher: Publisher,
        batch_size: int = 500,
        *,
        watermarks: bool = False,
    ) -> None:
        self.app = app
        self.translate = translate
        self.publisher = publisher
        self.batch_size = batch_size
        self.watermarks = watermarks
        self._position: int | None = None
        self.sealer = Sealer(app)

    @property
    def service(self) -> str:
        return self.app.service

    def position(self) -> int:
        # Read once, then kept in memory: only one relay per service is active.
        if self._position is None:
            self._position = kept_position(self.app, RELAY_TRACKING_NAME)
        return self._position

    def pump_once(self) -> int:
        """Publish the next batch; return how many notifications it passed (0 when caught up)."""
        batch = self._read(self.position())
        if batch is None:
            self._seal_if_behind()
            return 0
        self._send(batch)
        self._wait_for_confirms()
        self._record(batch)
        return len(batch.notifications)

    def pump(self) -> int:
        """Publish everything up to the head; return how many notifications were passed.

        The broker persists each batch while the relay reads and translates the next, and the one confirmed is
        recorded (sealed, its position kept) while the broker persists the next: one batch unconfirmed at a time.
        """
        sent = self._read(self.position())
        if sent is None:
            self._seal_if_behind()
            return 0
        self._send(sent)
        total = 0
        while True:
            following = self._read(sent.last)
            self._wait_for_confirms()
            if following is not None:
                self._send(following)
            self._record(sent)
            total += len(sent.notifications)
            if following is None:
                return total
            sent = following

    def _read(self, position: int) -> Batch | None:
        notifications = notifications_after(self.app, position, self.batch_size)
        if not notifications:
            return None
        return Batch(position, notifications, public_envelopes(self.app, self.translate, notifications))

    def _send(self, batch: Batch) -> None:
        """Publish the batch, or only send it when the publisher can be asked for its confirms later."""
        watermark = Watermark(self.service, batch.last) if self.watermarks else None
        if not batch.envelopes and watermark is None:
            return
        if isinstance(self.publisher, PipelinedPublisher):
            self.publisher.send(batch.envelopes, watermark)
        else:
            self.publisher.publish(batch.envelopes, watermark)

    def _wait_for_confirms(self) -> None:
        if isinstance(self.publisher, PipelinedPublisher):
            self.publisher.wait_for_confirms()

    def _record(self, batch: Batch) -> None:
        """Seal a confirmed batch, then keep its position."""
        self.sealer.seal(batch.last, batch.notifications, read_after=batch.after)
        keep_position(self.app, RELAY_TRACKING_NAME, batch.last)
        self._position = batch.last
        log.debug("relay %s published %d events up to %d", self.service, len(batch.envelopes), batch.last)

    def _seal_if_behind(self) -> None:
        """Caught up: seal what was published before this store was sealed, if anything."""
        position = self.position()
        if self.sealer.last().up_to < position:
            self.sealer.seal(position)


def verify_seals(app: PathwayApplication, expected: Sequence[Seal] = ()) -> VerifyReport:
    """Check the store against its seals (and heads an auditor kept), knowing how far its relay published."""
    published = kept_position(app, RELAY_TRACKING_NAME)
    return verify(app, app.service, expected, published_up_to=published)  # read after: seals only grow
