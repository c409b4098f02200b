"""AMQP topic matching, as the in-process bus applies it: `*` one word, `#` zero or more."""

from __future__ import annotations

import pytest

from shared.messaging.topology import EXCHANGE, queue_name, topic_matches


@pytest.mark.parametrize(
    ("pattern", "routing_key", "matches"),
    [
        ("intake.person.registered", "intake.person.registered", True),
        ("intake.person.registered", "intake.person.admitted", False),
        ("intake.person", "intake.person.registered", False),
        ("intake.person.registered.v2", "intake.person.registered", False),
        ("release.release-dates.calculated", "release.release-dates.calculated", True),
    ],
)
def test_a_pattern_without_wildcards_matches_exactly(pattern: str, routing_key: str, matches: bool) -> None:
    assert topic_matches(pattern, routing_key) is matches


@pytest.mark.parametrize(
    ("pattern", "routing_key", "matches"),
    [
        ("intake.*.registered", "intake.person.registered", True),
        ("*.person.*", "release.person.released", True),
        ("intake.*", "intake.person", True),
        ("intake.*", "intake.person.registered", False),
        ("intake.*", "intake", False),
        ("*.registered", "intake.person.registered", False),
        ("*", "intake", True),
    ],
)
def test_a_star_is_exactly_one_word(pattern: str, routing_key: str, matches: bool) -> None:
    assert topic_matches(pattern, routing_key) is matches


@pytest.mark.parametrize(
    ("pattern", "routing_key", "matches"),
    [
        ("#", "intake.person.registered", True),
        ("intake.#", "intake.person.registered", True),
        ("intake.#", "intake", True),
        ("intake.#", "release.person.released", False),
        ("#.released", "release.person.released", True),
        ("#.released", "release.person.released.late", False),
        ("intake.#.registered", "intake.registered", True),
        ("intake.#.registered", "intake.person.registered", True),
        ("intake.#.registered", "intake.person.admitted", False),
        ("#.person.#", "release.person.released", True),
    ],
)
def test_a_hash_is_zero_or_more_words(pattern: str, routing_key: str, matches: bool) -> None:
    assert topic_matches(pattern, routing_key) is matches


def test_each_consuming_service_has_its_own_queue_on_the_one_exchange() -> None:
    assert EXCHANGE == "pathway.events"
    assert [queue_name(s) for s in ("intake", "programmes", "release")] == [
        "pathway.intake",
        "pathway.programmes",
        "pathway.release",
    ]
