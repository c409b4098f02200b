"""No message can crash a consumer or freeze a person for good: whatever arrives is applied or set aside
with its reason, and an operator can discard what can never apply, letting the person's held events flow."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import pytest

from pathway.cli import main
from pathway.embedded import EmbeddedSystem
from pathway.services import SERVICES
from shared.contracts.envelope import Envelope
from shared.eventstore.reading import NumberedEvent, notifications_after
from shared.messaging.consumer import MAX_MESSAGE_BYTES, Handled, Operator
from shared.messaging.translation import envelope_for
from tests import examples as ex
from tests.embedded.helpers import load, replay, types


def intake_envelopes(system: EmbeddedSystem) -> list[Envelope]:
    app = system.apps["intake"]
    envelopes = []
    for notification in notifications_after(app, 0, 10_000):
        numbered = NumberedEvent(notification.id, app.mapper.to_domain_event(notification))
        envelope = envelope_for("intake", numbered, SERVICES["intake"].translate)
        if envelope is not None:
            envelopes.append(envelope)
    return envelopes


def of_type(system: EmbeddedSystem, kind: str) -> Envelope:
    return next(e for e in intake_envelopes(system) if e.type == kind)


BIGGER_THAN_BIGINT = b'"notification_id":' + b"9" * 25
POISON_BODIES: dict[str, Callable[[bytes], bytes]] = {
    "not JSON": lambda good: b"this is not json",
    "a JSON array": lambda good: b"[1, 2, 3]",
    "nested 100,000 deep": lambda good: b"[" * 100_000 + b"]" * 100_000,
    "larger than the limit": lambda good: good[:-1] + b', "pad": "' + b"x" * MAX_MESSAGE_BYTES + b'"}',
    "invalid UTF-8": lambda good: good.replace(b'"intake"', b'"int\xffake"'),
    "a notification id past a bigint": lambda good: re.sub(rb'"notification_id":\d+', BIGGER_THAN_BIGINT, good),
    "no envelope fields": lambda good: b"{}",
}


@pytest.mark.parametrize("kind", POISON_BODIES)
def test_a_poison_message_is_set_aside_with_its_reason_and_the_next_good_one_applies(
    system: EmbeddedSystem, kind: str
) -> None:
    load(system, [ex.register_person("P1")])
    consumer = system.consumers["release"]
    good = of_type(system, "intake.person.registered").to_bytes()

    assert consumer.handle(POISON_BODIES[kind](good)) is Handled.DEAD_LETTERED

    (letter,) = consumer.dead_letters()
    assert letter.reason.startswith("unreadable"), letter.reason
    assert letter.subject == "unreadable"  # nobody's events are held behind it
    load(system, [ex.custodial_sentence("P1")])
    assert "release.release-dates.calculated" in types(replay(system, "P1"))


@pytest.mark.parametrize("error", [KeyError("x"), RecursionError(), ZeroDivisionError(), OverflowError()])
def test_a_reaction_failing_in_any_way_is_set_aside_not_raised(system: EmbeddedSystem, error: Exception) -> None:
    consumer = system.consumers["release"]

    def broken(envelope: Envelope, event: Any) -> Any:
        raise error

    consumer.policies = {**consumer.policies, "intake.court-decision.recorded": broken}
    report = load(system, [ex.register_person("P1"), ex.custodial_sentence("P1")])

    assert report.dead_letters == 1
    (letter,) = consumer.dead_letters()
    assert type(error).__name__ in letter.reason


def frozen_person(system: EmbeddedSystem) -> str:
    """A bad payload carrying a real person's subject sets that person aside; their genuine events then wait."""
    load(system, [ex.register_person("F1")])
    registered = of_type(system, "intake.person.registered")
    forged = {"event_id": uuid4(), "type": "intake.court-decision.recorded", "notification_id": 10**6}
    bad = registered.model_copy(update={**forged, "payload": {"person_id": "not-a-uuid"}})
    assert system.consumers["release"].handle(bad.to_bytes()) is Handled.DEAD_LETTERED
    load(system, [ex.custodial_sentence("F1"), ex.admit("F1")])
    assert "release.release-dates.calculated" not in types(replay(system, "F1"))  # held behind the bad one
    return str(bad.event_id)


def test_a_discarded_dead_letter_lets_the_persons_held_events_flow_in_order(system: EmbeddedSystem) -> None:
    bad_id = frozen_person(system)
    consumer = system.consumers["release"]
    assert [letter.state for letter in consumer.dead_letters()] == ["failed", "held", "held"]

    assert consumer.replay_dead_letters().still_failing == 3  # replay cannot clear it: it still fails
    outcome = consumer.discard(bad_id, "forged: no such court decision", Operator("ops-jane", "prison-service"))

    assert (outcome.applied, outcome.still_failing) == (2, 0)
    assert consumer.dead_letters() == []
    person_id = UUID(replay(system, "F1")[0]["data"]["person_id"])
    assert system.apps["release"].get_or_none(person_id).in_custody  # the decision, then the admission


def test_the_replay_shows_the_set_aside_and_the_discard_with_who_and_why(system: EmbeddedSystem) -> None:
    bad_id = frozen_person(system)
    system.consumers["release"].discard(bad_id, "forged: no such court decision", Operator("ops-jane", "prison"))
    system.settle(everything=True)

    entries = replay(system, "F1")
    kinds = types(entries)
    discarded = next(e for e in entries if e["type"] == "release.dead-letter.discarded")
    assert discarded["actor"] == {"id": "ops-jane", "role": "operator", "agency": "prison"}
    assert discarded["data"] == {"event_id": bad_id, "reason": "forged: no such court decision"}
    set_aside = kinds.index("release.dead-letter.set-aside")
    assert set_aside < kinds.index("release.dead-letter.discarded") < kinds.index("release.release-dates.calculated")
    assert kinds.count("release.dead-letter.replayed") == 2  # the two held events, applied after the discard


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_dead_letters_discard_on_the_command_line(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with EmbeddedSystem(data) as system:
        bad_id = frozen_person(system)

    code, out, err = run("dead-letters", "discard", "release", bad_id, "--data", str(data))
    assert code == 1
    assert "--reason: required" in err

    discard = ("dead-letters", "discard", "release", bad_id, "--reason", "forged", "--operator", "ops-jane")
    code, out, err = run(*discard, "--data", str(data))
    assert code == 0, err
    assert f"discarded {bad_id}; 2 held messages applied, 0 still set aside" in out
    assert json.loads(run("dead-letters", "list", "release", "--data", str(data))[1]) == []

    code, _, err = run("dead-letters", "discard", "release", bad_id, "--reason", "again", "--data", str(data))
    assert code == 1
    assert "no such dead letter" in err
