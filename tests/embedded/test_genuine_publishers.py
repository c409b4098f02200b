"""Only a service's own relay speaks for it: a consumer that checks publishers applies an event only when the
broker user that published it is the relay user of the envelope's source. Anything else is rejected and counted,
never applied, never tracked and never set aside, so the genuine event with the same notification id still
applies, and nobody's later events are held behind it. (On RabbitMQ: tests/integration/test_genuine_publishers.py.)
"""

from __future__ import annotations

from uuid import uuid4

from pathway.embedded import EmbeddedSystem
from shared.eventstore.reading import head, is_tracked
from shared.messaging.consumer import Handled, TrackedConsumer
from shared.messaging.publishers import Publishers
from tests import examples as ex
from tests.embedded.test_reliability import load_without_settling, published_envelopes
from tests.stores import BOTH_STORES

pytestmark = BOTH_STORES

PUBLISHERS = Publishers({"intake": "intake-relay", "programmes": "programmes-relay"})


def checking(system: EmbeddedSystem, service: str = "release") -> TrackedConsumer:
    return TrackedConsumer(system.apps[service], publishers=PUBLISHERS)


def test_an_event_published_by_its_sources_relay_is_applied(system: EmbeddedSystem) -> None:
    load_without_settling(system, [ex.register_person("G1")])
    (registered,) = published_envelopes(system, "intake")

    assert checking(system).handle(registered.to_bytes(), "intake-relay") is Handled.APPLIED


def test_a_forged_event_is_rejected_uncounted_as_handled_and_the_genuine_one_still_applies(
    system: EmbeddedSystem,
) -> None:
    load_without_settling(system, [ex.register_person("G2")])
    (registered,) = published_envelopes(system, "intake")
    consumer = checking(system)
    before = head(system.apps["release"])
    forged = registered.model_copy(update={"event_id": uuid4()})

    outcomes = [
        consumer.handle(forged.to_bytes(), None),  # no user_id at all
        consumer.handle(forged.to_bytes(), "guest"),  # a user that is no relay
        consumer.handle(forged.to_bytes(), "programmes-relay"),  # another service's relay, claiming intake
    ]

    assert outcomes == [Handled.REJECTED] * 3
    assert consumer.rejected_count() == 3
    assert head(system.apps["release"]) == before  # nothing applied
    assert not is_tracked(system.apps["release"], "intake", registered.notification_id)
    assert consumer.dead_letter_count() == 0  # nobody's quarantine holds it
    assert "claims source intake, published by user 'programmes-relay', not 'intake-relay'" in consumer.last_reason
    assert consumer.handle(registered.to_bytes(), "intake-relay") is Handled.APPLIED


def test_an_unreadable_message_from_no_relay_is_rejected_unread_not_set_aside(system: EmbeddedSystem) -> None:
    consumer = checking(system)

    assert consumer.handle(b"not json", "guest") is Handled.REJECTED
    assert consumer.last_reason == "not genuine: published by user 'guest', no relay release follows"
    assert consumer.dead_letter_count() == 0
    assert consumer.handle(b"not json", "intake-relay") is Handled.DEAD_LETTERED  # its relay gone wrong: kept


def test_the_embedded_bus_has_no_publishers_to_check(system: EmbeddedSystem) -> None:
    load_without_settling(system, [ex.register_person("G3")])
    (registered,) = published_envelopes(system, "intake")

    assert system.consumers["release"].handle(registered.to_bytes()) is Handled.APPLIED
    assert system.consumers["release"].rejected_count() == 0
