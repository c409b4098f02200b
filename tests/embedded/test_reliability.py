"""Nothing lost, nothing twice: the relay and the tracked consumer under duplicates, crashes and failures."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import pytest

from pathway.embedded import EmbeddedSystem
from pathway.services import SERVICES
from shared.contracts.envelope import Envelope
from shared.eventstore.positions import kept_position
from shared.eventstore.reading import NumberedEvent, head, notifications_after
from shared.messaging import relay as relay_module
from shared.messaging.consumer import Handled
from shared.messaging.relay import RELAY_TRACKING_NAME
from shared.messaging.topology import queue_name
from shared.messaging.translation import envelope_for
from tests import examples as ex
from tests.embedded.helpers import load, replay, types
from tests.stores import BOTH_STORES

pytestmark = BOTH_STORES


def published_envelopes(system: EmbeddedSystem, service: str) -> list[Envelope]:
    """Every public envelope a service's store holds, as its relay would publish them."""
    app = system.apps[service]
    envelopes = []
    for notification in notifications_after(app, 0, 10_000):
        numbered = NumberedEvent(notification.id, app.mapper.to_domain_event(notification))
        envelope = envelope_for(service, numbered, SERVICES[service].translate)
        if envelope is not None:
            envelopes.append(envelope)
    return envelopes


def heads(system: EmbeddedSystem) -> dict[str, int]:
    return {name: head(app) for name, app in system.apps.items()}


def test_a_redelivered_event_has_no_second_effect(system: EmbeddedSystem) -> None:
    load(system, ex.catalogue() + ex.custodial_pathway("A1"))
    before = heads(system)

    system.bus.publish(published_envelopes(system, "intake"))  # every intake event, again
    report = system.settle()

    assert heads(system) == before
    assert report.handled[Handled.DUPLICATE.value] > 0
    assert report.handled[Handled.APPLIED.value] == 0


def test_relay_crash_after_publishing_before_recording_its_position_loses_nothing(
    system: EmbeddedSystem, monkeypatch: pytest.MonkeyPatch
) -> None:
    load(system, ex.catalogue())
    load_without_settling(system, [ex.register_person("A1"), ex.custodial_sentence("A1")])
    relay = system.relays["intake"]

    def crash(*_: Any) -> None:
        raise SystemExit("relay killed between confirm and position")

    with monkeypatch.context() as killed:
        killed.setattr(relay_module, "keep_position", crash)
        with pytest.raises(SystemExit):
            relay.pump_once()
    assert relay.position() < head(relay.app)  # published, but the position did not move

    report = system.settle()  # the restarted relay publishes the same batch again

    assert report.handled[Handled.DUPLICATE.value] > 0
    assert [e["type"] for e in replay(system, "A1")].count("release.release-dates.calculated") == 1


def test_consumer_crash_after_commit_before_ack_is_redelivered_without_effect(system: EmbeddedSystem) -> None:
    load(system, ex.catalogue())
    load_without_settling(system, [ex.register_person("A1"), ex.custodial_sentence("A1")])
    system.relays["intake"].pump()
    consumer = system.consumers["release"]
    deliveries = system.bus.fetch(queue_name("release"))
    for delivery in deliveries:
        assert consumer.handle(delivery.body) is Handled.APPLIED
    # killed here: committed to the store, never acked on the bus
    before = head(system.apps["release"])

    redelivered = system.bus.fetch(queue_name("release"))

    assert [d.redelivered for d in redelivered] == [True] * len(deliveries)
    assert [consumer.handle(d.body) for d in redelivered] == [Handled.DUPLICATE] * len(deliveries)
    assert head(system.apps["release"]) == before


def test_out_of_order_delivery_applies_both_and_refuses_neither(system: EmbeddedSystem) -> None:
    load_without_settling(system, [ex.register_person("A1"), ex.register_person("B1")])
    first, second = published_envelopes(system, "intake")
    consumer = system.consumers["release"]

    assert consumer.handle(second.to_bytes()) is Handled.APPLIED  # the later one arrives first
    assert consumer.handle(first.to_bytes()) is Handled.APPLIED  # the earlier one is not taken for a repeat
    assert consumer.handle(second.to_bytes()) is Handled.DUPLICATE


def test_an_event_nobody_reacts_to_is_ignored(system: EmbeddedSystem) -> None:
    load_without_settling(system, [ex.register_person("A1")])
    (registered,) = published_envelopes(system, "intake")
    unknown_type = registered.model_copy(update={"type": "intake.person.photographed"})

    assert system.consumers["release"].handle(unknown_type.to_bytes()) is Handled.IGNORED


def test_an_unreadable_message_becomes_a_dead_letter_with_its_reason(system: EmbeddedSystem) -> None:
    consumer = system.consumers["programmes"]

    assert consumer.handle(b'{"type": "intake.person.registered"}') is Handled.DEAD_LETTERED
    assert consumer.handle(b'{"type": "intake.person.registered"}') is Handled.DUPLICATE

    (letter,) = consumer.dead_letters()
    assert letter.state == "failed"
    assert letter.reason.startswith("unreadable: ")
    assert "event_id: required" in letter.reason


def test_a_bad_payload_is_dead_lettered_naming_the_field(system: EmbeddedSystem) -> None:
    load_without_settling(system, [ex.register_person("A1")])
    (registered,) = published_envelopes(system, "intake")
    bad = registered.model_copy(update={"payload": {"person_id": "not-a-uuid"}})

    assert system.consumers["release"].handle(bad.to_bytes()) is Handled.DEAD_LETTERED
    (letter,) = system.consumers["release"].dead_letters()
    assert "payload.person_id: must be a UUID" in letter.reason
    assert "national_id" in letter.reason


def test_a_failing_reaction_is_retried_then_set_aside_and_replayed_after_the_fix(system: EmbeddedSystem) -> None:
    consumer = system.consumers["release"]
    attempts = []

    def broken(envelope: Envelope, event: Any) -> Any:
        attempts.append(envelope.event_id)
        raise RuntimeError("release rules table missing")

    consumer.policies = {**consumer.policies, "intake.court-decision.recorded": broken}
    report = load(system, [ex.register_person("K1"), ex.custodial_sentence("K1"), ex.admit("K1")])

    assert report.dead_letters == 1
    assert len(attempts) == consumer.max_attempts  # bounded retries, then set aside
    letters = consumer.dead_letters()
    assert [(d.type, d.state) for d in letters] == [
        ("intake.court-decision.recorded", "failed"),
        ("intake.person.admitted", "held"),  # held behind it, to keep the person's order
    ]
    assert "RuntimeError" in letters[0].reason
    assert "release-dates" not in " ".join(types(replay(system, "K1")))

    consumer.policies = system.apps["release"].policies()  # the fix is deployed
    outcome = consumer.replay_dead_letters()

    assert (outcome.applied, outcome.still_failing) == (2, 0)
    assert consumer.dead_letters() == []
    assert "release.release-dates.calculated" in types(replay(system, "K1"))
    person_id = UUID(replay(system, "K1")[0]["data"]["person_id"])
    assert system.apps["release"].get_or_none(person_id).in_custody  # applied after the decision, in order


def test_a_dead_letter_holds_only_its_own_person(system: EmbeddedSystem) -> None:
    consumer = system.consumers["release"]
    real = consumer.policies["intake.court-decision.recorded"]

    def broken_for_k1(envelope: Envelope, event: Any) -> Any:
        if event.decision_id == "D-K1":
            raise RuntimeError("bad data for this one")
        return real(envelope, event)

    consumer.policies = {**consumer.policies, "intake.court-decision.recorded": broken_for_k1}
    load(system, [ex.register_person(v) for v in ("K1", "L1")] + [ex.custodial_sentence(v) for v in ("K1", "L1")])

    assert "release.release-dates.calculated" in types(replay(system, "L1"))
    assert [d.subject for d in consumer.dead_letters()] == [replay(system, "K1")[0]["data"]["person_id"]]


def test_a_dead_letter_that_still_fails_stays_set_aside(system: EmbeddedSystem) -> None:
    consumer = system.consumers["release"]

    def broken(envelope: Envelope, event: Any) -> Any:
        raise RuntimeError("still broken")

    consumer.policies = {**consumer.policies, "intake.court-decision.recorded": broken}
    load(system, [ex.register_person("K1"), ex.custodial_sentence("K1")])

    outcome = consumer.replay_dead_letters()

    assert (outcome.applied, outcome.still_failing) == (0, 1)
    assert len(consumer.dead_letters()) == 1


def test_relay_publishes_only_after_the_queues_exist(tmp_path: Any) -> None:
    with EmbeddedSystem(tmp_path) as system:
        assert set(system.bus.queues()) == {queue_name(s) for s in ("intake", "programmes", "release")}
        assert kept_position(system.relays["intake"].app, RELAY_TRACKING_NAME) == 0


def load_without_settling(system: EmbeddedSystem, lines: list[dict[str, Any]]) -> None:
    for line in lines:
        system.execute(line["service"], line["command"], line["data"])
