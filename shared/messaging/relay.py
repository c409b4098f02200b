"""The relay: the notification log is the outbox; the relay carries it to the bus.

It publishes a batch, waits for the broker to confirm all of it, and only then
records its position. A crash in between re-publishes the batch with the same
event ids, and consumers drop the repeats by their tracking records.

Being the one active reader of its store, it also seals what it publishes
(shared/eventstore/seals.py), just before recording its position: everything
published is sealed, and a crash in between seals nothing twice.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from eventsourcing.persistence import Tracking

from shared.contracts.envelope import Envelope
from shared.eventstore.application import PathwayApplication
from shared.eventstore.reading import notifications_after
from shared.eventstore.seals import Seal, Sealer, VerifyReport, verify
from shared.messaging.translation import Translator, public_envelopes

log = logging.getLogger(__name__)

# The relay's position is kept in the service's own tracking table under this name.
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
            self._position = self.app.recorder.max_tracking_id(RELAY_TRACKING_NAME) or 0  # type: ignore[attr-defined]
        return self._position

    def pump_once(self) -> int:
        """Publish the next batch; return how many notifications it passed (0 when caught up)."""
        position = self.position()
        notifications = notifications_after(self.app, position, self.batch_size)
        if not notifications:
            if self.sealer.last().up_to < position:  # published before this store was sealed
                self.sealer.seal(position)
            return 0
        envelopes = public_envelopes(self.app, self.translate, notifications)
        last = notifications[-1].id
        watermark = Watermark(self.service, last) if self.watermarks else None
        if envelopes or watermark:
            self.publisher.publish(envelopes, watermark)
        self.sealer.seal(last, notifications, read_after=position)
        self.app.recorder.insert_tracking(Tracking(RELAY_TRACKING_NAME, last))  # type: ignore[attr-defined]
        self._position = last
        log.debug("relay %s published %d events up to %d", self.service, len(envelopes), last)
        return len(notifications)

    def pump(self) -> int:
        """Publish everything up to the head; return how many notifications were passed."""
        total = 0
        while passed := self.pump_once():
            total += passed
        return total


def verify_seals(app: PathwayApplication, expected: Sequence[Seal] = ()) -> VerifyReport:
    """Check the store against its seals (and heads an auditor kept), knowing how far its relay published."""
    published = app.recorder.max_tracking_id(RELAY_TRACKING_NAME) or 0  # type: ignore[attr-defined]
    return verify(app, app.service, expected, published_up_to=published)  # read after: seals only grow
