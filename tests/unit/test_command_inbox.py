"""The command inbox's decisions, one test per outcome: applied, skipped, rejected (and why), retried, left unacked.

The transport (RabbitMQ, confirms, acks) is proved in tests/integration/test_command_inbox.py.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from eventsourcing.persistence import OperationalError

from services.intake import bootstrap as intake_bootstrap
from shared.eventstore.application import CommandResult, ConcurrencyError, PathwayApplication
from shared.messaging.command_inbox import CommandInbox, inbox_queue, inbox_queue_name
from tests import examples as ex


@pytest.fixture
def intake() -> Iterator[PathwayApplication]:
    app = intake_bootstrap.build({"PERSISTENCE_MODULE": "eventsourcing.popo"})
    yield app
    app.close()


def body(line: dict[str, Any]) -> bytes:
    return json.dumps(line["data"]).encode()


def key(line: dict[str, Any]) -> str:
    return f"{line['service']}.{line['command']}"


class FakeApp:
    """An application whose `handle` fails as told, then succeeds."""

    service = "intake"

    def __init__(self, *failures: BaseException) -> None:
        self.failures = list(failures)
        self.calls = 0

    def handle(self, command: str, data: Any) -> CommandResult:
        self.calls += 1
        if self.failures:
            raise self.failures.pop(0)
        return CommandResult("applied", {"person_id": "p-1"})


def fake_inbox(*failures: BaseException) -> tuple[CommandInbox, FakeApp]:
    app = FakeApp(*failures)
    return CommandInbox(app, max_attempts=3), app  # type: ignore[arg-type]


def test_a_command_is_applied_and_replied_as_rpc_execute_would(intake: PathwayApplication) -> None:
    line = ex.register_person("IN1")
    decision = CommandInbox(intake).decide(key(line), body(line))
    assert decision.outcome == "applied"
    assert decision.command == "register_person"
    assert decision.reply["ok"] is True
    assert decision.reply["result"]["status"] == "applied"
    assert "person_id" in decision.reply["result"]["result"]


def test_a_repeat_is_skipped_with_the_same_result(intake: PathwayApplication) -> None:
    inbox = CommandInbox(intake)
    line = ex.register_person("IN1", command_id="c-1")
    first = inbox.decide(key(line), body(line))
    again = inbox.decide(key(line), body(line))
    assert again.outcome == "skipped"
    assert again.reply["result"]["status"] == "skipped"
    assert again.reply["result"]["result"]["person_id"] == first.reply["result"]["result"]["person_id"]


def test_invalid_input_is_rejected_naming_the_fields_never_the_values(intake: PathwayApplication) -> None:
    line = ex.register_person("IN1", date_of_birth="17/05/1990-SECRET")
    del line["data"]["family_name"]
    decision = CommandInbox(intake).decide(key(line), body(line))
    assert decision.rejected
    assert decision.reply["ok"] is False
    assert decision.reply["status"] == 422
    fields = {problem["field"] for problem in decision.reply["errors"]}
    assert {"family_name", "date_of_birth"} <= fields
    assert "family_name" in decision.reason
    assert "date_of_birth" in decision.reason
    assert "SECRET" not in decision.reason
    assert "SECRET" not in json.dumps(decision.reply)
    assert "Test" not in decision.reason  # the given name


def test_a_command_a_rule_refuses_is_rejected_with_its_rule(intake: PathwayApplication) -> None:
    inbox = CommandInbox(intake)
    for line in (ex.register_person("IN1"), ex.register_person("IN2"), ex.custodial_sentence("IN1")):
        assert inbox.decide(key(line), body(line)).outcome == "applied"
    taken = ex.custodial_sentence("IN2", decision_id="D-IN1")  # another person's decision id
    decision = inbox.decide(key(taken), body(taken))
    assert decision.rejected
    assert decision.reply == {"ok": False, "status": 409, "error": "decision_id: already recorded for another person"}
    assert decision.reason == "DecisionConflictError: decision_id: already recorded for another person"


@pytest.mark.parametrize(
    ("routing_key", "raw", "field"),
    [
        ("intake.register_person", b"{not json", "(body)"),
        ("intake.register_person", b"\xff\xfe", "(body)"),
        ("intake.register_person", b"[1, 2]", "(command)"),
        ("intake.no_such_command", b"{}", "command"),
        ("intake", b"{}", "routing key"),
    ],
)
def test_what_cannot_be_a_command_is_rejected_naming_why(
    intake: PathwayApplication, routing_key: str, raw: bytes, field: str
) -> None:
    decision = CommandInbox(intake).decide(routing_key, raw)
    assert decision.rejected
    assert decision.reply["status"] == 422
    assert [problem["field"] for problem in decision.reply["errors"]] == [field]
    assert decision.reason.startswith(f"InvalidInput: {field}: ")


def test_a_bug_is_retried_then_succeeds() -> None:
    inbox, app = fake_inbox(RuntimeError("boom"))
    assert inbox.decide("intake.register_person", b"{}").outcome == "applied"
    assert app.calls == 2


def test_a_bug_that_persists_is_rejected_as_an_internal_error_after_bounded_attempts() -> None:
    inbox, app = fake_inbox(*(KeyError("a person's name") for _ in range(5)))
    decision = inbox.decide("intake.register_person", b"{}")
    assert app.calls == 3
    assert decision.rejected
    assert decision.reason == "internal error (KeyError)"
    assert decision.reply == {"ok": False, "status": 500, "error": "internal error"}


def test_lost_races_are_retried_and_then_rejected_as_busy() -> None:
    inbox, app = fake_inbox(*(ConcurrencyError("register_person: too many concurrent changes") for _ in range(3)))
    decision = inbox.decide("intake.register_person", b"{}")
    assert app.calls == 3
    assert decision.rejected
    assert decision.reply["status"] == 503


def test_an_unreachable_store_decides_nothing_so_the_message_is_redelivered() -> None:
    inbox, app = fake_inbox(OperationalError("connection refused"))
    with pytest.raises(OperationalError):
        inbox.decide("intake.register_person", b"{}")
    assert app.calls == 1


def test_each_service_has_a_durable_single_active_queue_bound_to_its_commands() -> None:
    queue = inbox_queue("release")
    assert queue.name == inbox_queue_name("release") == "pathway.release.commands"
    assert queue.durable
    assert queue.routing_key == "release.#"
    assert queue.queue_arguments == {"x-single-active-consumer": True}
    assert queue.exchange.name == "pathway.commands"
    assert queue.exchange.type == "topic"
    assert queue.exchange.arguments == {"alternate-exchange": "pathway.commands.rejected"}
