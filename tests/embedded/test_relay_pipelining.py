"""Draining a backlog, the relay reads the next batch while the broker confirms the one it sent; a batch's
position is kept only once the broker confirmed all of it, and only one batch is ever unconfirmed."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

from pathway.embedded import EmbeddedSystem
from pathway.services import SERVICES
from shared.contracts.envelope import Envelope
from shared.eventstore.positions import kept_position
from shared.eventstore.reading import head
from shared.messaging import relay as relay_module
from shared.messaging.amqp import PublishNotConfirmed
from shared.messaging.relay import RELAY_TRACKING_NAME, PipelinedPublisher, Relay, Watermark, verify_seals
from tests import examples as ex
from tests.embedded.test_reliability import published_envelopes

BATCH = 3  # notifications: a registration is two, so batches end inside and between them


class ConfirmingBroker:
    """A publisher that confirms what was sent when asked (or refuses the `refused`-th time), keeping a journal
    of what it was sent and confirmed; the relay's kept positions are added to the same journal."""

    def __init__(self, refused: int | None = None) -> None:
        self.journal: list[tuple[str, int]] = []
        self.delivered: list[Envelope] = []
        self.unconfirmed: list[int] = []  # the positions of the batches sent and not yet confirmed
        self.most_unconfirmed = 0
        self.waits = 0
        self.refused = refused

    def send(self, envelopes: Sequence[Envelope], watermark: Watermark | None = None) -> None:
        assert watermark is not None
        self.delivered += envelopes
        self.unconfirmed.append(watermark.position)
        self.most_unconfirmed = max(self.most_unconfirmed, len(self.unconfirmed))
        self.journal.append(("sent", watermark.position))

    def wait_for_confirms(self) -> None:
        self.waits += 1
        if self.waits == self.refused:
            raise PublishNotConfirmed("the broker nacked a message of the batch")
        if self.unconfirmed:
            self.journal.append(("confirmed", max(self.unconfirmed)))
        self.unconfirmed.clear()

    def publish(self, envelopes: Sequence[Envelope], watermark: Watermark | None = None) -> None:
        self.send(envelopes, watermark)
        self.wait_for_confirms()


@pytest.fixture
def backlog(system: EmbeddedSystem) -> EmbeddedSystem:
    """Intake's store holding registrations its relay has not published."""
    for n in range(5):
        system.execute("intake", "register_person", ex.register_person(f"B{n}")["data"])
    return system


def relay_with(system: EmbeddedSystem, broker: ConfirmingBroker, monkeypatch: pytest.MonkeyPatch) -> Relay:
    keep = relay_module.keep_position

    def journalled(app: Any, name: str, position: int) -> None:
        broker.journal.append(("kept", position))
        keep(app, name, position)

    monkeypatch.setattr(relay_module, "keep_position", journalled)
    return Relay(system.apps["intake"], SERVICES["intake"].translate, broker, batch_size=BATCH, watermarks=True)


def test_a_backlog_goes_out_whole_in_order_each_position_kept_after_its_confirm(
    backlog: EmbeddedSystem, monkeypatch: pytest.MonkeyPatch
) -> None:
    broker = ConfirmingBroker()
    relay = relay_with(backlog, broker, monkeypatch)
    assert isinstance(broker, PipelinedPublisher)
    intake = backlog.apps["intake"]

    assert relay.pump() == head(intake)

    assert [e.to_bytes() for e in broker.delivered] == [e.to_bytes() for e in published_envelopes(backlog, "intake")]
    assert broker.most_unconfirmed == 1
    assert head(intake) == 10
    assert [position for what, position in broker.journal if what == "sent"] == [3, 6, 9, 10]
    confirmed = 0
    for what, position in broker.journal:
        if what == "confirmed":
            confirmed = position
        if what == "kept":
            assert position <= confirmed, broker.journal
    assert kept_position(intake, RELAY_TRACKING_NAME) == relay.position() == head(intake)
    assert verify_seals(intake).sealed_up_to == head(intake)


def test_a_batch_the_broker_refused_keeps_its_position_back_and_goes_out_again(
    backlog: EmbeddedSystem, monkeypatch: pytest.MonkeyPatch
) -> None:
    intake = backlog.apps["intake"]
    refusing = ConfirmingBroker(refused=2)  # the second batch
    with pytest.raises(PublishNotConfirmed):
        relay_with(backlog, refusing, monkeypatch).pump()
    assert kept_position(intake, RELAY_TRACKING_NAME) == BATCH  # the first batch's, confirmed before

    broker = ConfirmingBroker()
    assert relay_with(backlog, broker, monkeypatch).pump() == head(intake) - BATCH

    republished = [e.notification_id for e in broker.delivered]
    assert republished == [
        e.notification_id for e in published_envelopes(backlog, "intake") if e.notification_id > BATCH
    ]
    assert kept_position(intake, RELAY_TRACKING_NAME) == head(intake)


def test_one_batch_at_a_time_is_published_and_kept_before_pump_once_returns(
    backlog: EmbeddedSystem, monkeypatch: pytest.MonkeyPatch
) -> None:
    broker = ConfirmingBroker()
    relay = relay_with(backlog, broker, monkeypatch)

    assert relay.pump_once() == BATCH

    assert broker.journal == [("sent", BATCH), ("confirmed", BATCH), ("kept", BATCH)]
    assert relay.position() == BATCH
