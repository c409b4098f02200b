"""The command inbox's decisions, one test per outcome: applied, skipped, rejected (and why), retried, left unacked;
and who may send what: the agency of the broker user that published the message, and that agency's grant.

The transport (RabbitMQ, confirms, acks) is proved in tests/integration/test_command_inbox.py.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.persistence import OperationalError

from services.intake import bootstrap as intake_bootstrap
from shared.auth.agencies import AgencyPermissions
from shared.eventstore.application import CommandResult, ConcurrencyError, PathwayApplication
from shared.eventstore.reading import head
from shared.messaging.command_inbox import CommandInbox, inbox_queue, inbox_queue_name
from tests import examples as ex

PRISON_USER = "prison-system"  # the broker user of the examples' clerk's agency, granted every command
COURTS_USER = "courts-system"
AGENCIES = AgencyPermissions.model_validate(
    {
        "agencies": {
            ex.CLERK["agency"]: {"broker_user": PRISON_USER, "commands": ["#"]},
            "Test Courts": {"broker_user": COURTS_USER, "commands": ["intake.register_person"]},
        }
    }
)


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
    commands: dict[str, Any] = {}

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
    return CommandInbox(app, AGENCIES, max_attempts=3), app  # type: ignore[arg-type]


def test_a_command_is_applied_and_replied_as_rpc_execute_would(intake: PathwayApplication) -> None:
    line = ex.register_person("IN1")
    decision = CommandInbox(intake, AGENCIES).decide(key(line), body(line), PRISON_USER)
    assert decision.outcome == "applied"
    assert decision.command == "register_person"
    assert decision.reply["ok"] is True
    assert decision.reply["result"]["status"] == "applied"
    assert "person_id" in decision.reply["result"]["result"]


def test_a_repeat_is_skipped_with_the_same_result(intake: PathwayApplication) -> None:
    inbox = CommandInbox(intake, AGENCIES)
    line = ex.register_person("IN1", command_id="c-1")
    first = inbox.decide(key(line), body(line), PRISON_USER)
    again = inbox.decide(key(line), body(line), PRISON_USER)
    assert again.outcome == "skipped"
    assert again.reply["result"]["status"] == "skipped"
    assert again.reply["result"]["result"]["person_id"] == first.reply["result"]["result"]["person_id"]


def test_invalid_input_is_rejected_naming_the_fields_never_the_values(intake: PathwayApplication) -> None:
    line = ex.register_person("IN1", date_of_birth="17/05/1990-SECRET")
    del line["data"]["family_name"]
    decision = CommandInbox(intake, AGENCIES).decide(key(line), body(line), PRISON_USER)
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
    inbox = CommandInbox(intake, AGENCIES)
    for line in (ex.register_person("IN1"), ex.register_person("IN2"), ex.custodial_sentence("IN1")):
        assert inbox.decide(key(line), body(line), PRISON_USER).outcome == "applied"
    taken = ex.custodial_sentence("IN2", decision_id="D-IN1")  # another person's decision id
    decision = inbox.decide(key(taken), body(taken), PRISON_USER)
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
    decision = CommandInbox(intake, AGENCIES).decide(routing_key, raw, PRISON_USER)
    assert decision.rejected
    assert decision.reply["status"] == 422
    assert [problem["field"] for problem in decision.reply["errors"]] == [field]
    assert decision.reason.startswith(f"InvalidInput: {field}: ")


def test_a_bug_is_retried_then_succeeds() -> None:
    inbox, app = fake_inbox(RuntimeError("boom"))
    assert inbox.decide("intake.register_person", b"{}", PRISON_USER).outcome == "applied"
    assert app.calls == 2


def test_a_bug_that_persists_is_rejected_as_an_internal_error_after_bounded_attempts() -> None:
    inbox, app = fake_inbox(*(KeyError("a person's name") for _ in range(5)))
    decision = inbox.decide("intake.register_person", b"{}", PRISON_USER)
    assert app.calls == 3
    assert decision.rejected
    assert decision.reason == "internal error (KeyError)"
    assert decision.reply == {"ok": False, "status": 500, "error": "internal error"}


def test_lost_races_are_retried_and_then_rejected_as_busy() -> None:
    inbox, app = fake_inbox(*(ConcurrencyError("register_person: too many concurrent changes") for _ in range(3)))
    decision = inbox.decide("intake.register_person", b"{}", PRISON_USER)
    assert app.calls == 3
    assert decision.rejected
    assert decision.reply["status"] == 503


def test_an_unreachable_store_decides_nothing_so_the_message_is_redelivered() -> None:
    inbox, app = fake_inbox(OperationalError("connection refused"))
    with pytest.raises(OperationalError):
        inbox.decide("intake.register_person", b"{}", PRISON_USER)
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


# --- who sent it ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("user_id", "reason"),
    [
        (None, "NotPermitted: no agency: the message carries no user_id"),
        ("guest", "NotPermitted: no agency: broker user 'guest' sends for no agency"),
    ],
)
def test_a_message_from_no_agencys_user_is_rejected_and_nothing_is_recorded(
    intake: PathwayApplication, user_id: str | None, reason: str
) -> None:
    line = ex.register_person("IN1")
    decision = CommandInbox(intake, AGENCIES).decide(key(line), body(line), user_id)
    assert decision.rejected
    assert (decision.reply["status"], decision.reason) == (403, reason)
    assert head(intake) == 0


def test_a_command_the_agency_is_not_granted_is_rejected_naming_the_agency_and_the_command(
    intake: PathwayApplication,
) -> None:
    line = ex.admit("IN1")
    decision = CommandInbox(intake, AGENCIES).decide(key(line), body(line), COURTS_USER)
    assert decision.rejected
    assert decision.reply["status"] == 403
    assert decision.reason == "NotPermitted: agency Test Courts is not granted intake.admit"
    assert head(intake) == 0


def test_a_command_no_agencys_system_may_send_is_rejected_even_when_granted(intake: PathwayApplication) -> None:
    decision = CommandInbox(intake, AGENCIES).decide("intake.propose_classification", b"{}", PRISON_USER)
    assert decision.rejected
    assert decision.reason == (
        "NotPermitted: agency Test Prison Service may not send intake.propose_classification: "
        "not a command for an agency's system"
    )


def test_the_agencys_system_is_the_actor_whatever_the_body_said(intake: PathwayApplication) -> None:
    line = ex.register_person("IN1")  # the clerk of the same agency, as the body's actor
    decision = CommandInbox(intake, AGENCIES).decide(key(line), body(line), PRISON_USER)
    assert decision.outcome == "applied"
    (recorded,) = intake.events.get(UUID(decision.reply["result"]["result"]["person_id"]))
    assert recorded.actor == {"id": PRISON_USER, "role": "agency-client", "agency": ex.CLERK["agency"]}


def test_a_body_actor_of_another_agency_is_rejected(intake: PathwayApplication) -> None:
    line = ex.register_person("IN1")
    decision = CommandInbox(intake, AGENCIES).decide(key(line), body(line), COURTS_USER)
    assert decision.rejected
    assert decision.reason == "NotPermitted: actor: names an agency other than Test Courts, which sent it"
    assert head(intake) == 0
