"""An agency feeds commands in over plain AMQP: the command inbox on the real RabbitMQ and PostgreSQL.

The agency here uses kombu only as any AMQP client would: it publishes persistent JSON
messages to the `pathway.commands` exchange with routing key `<service>.<command>`, a
`reply_to` queue of its own and a `correlation_id`, and reads the replies and the
`pathway.commands.rejected` queue. No nameko on its side.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from eventsourcing.persistence import OperationalError
from kombu import Connection

from pathway.remote import RemoteSystem
from shared.auth.agencies import AgencyPermissions
from shared.contracts.base import NationalId, person_id_for
from shared.eventstore.application import CommandResult
from shared.messaging.command_inbox import AmqpCommandInbox, CommandInbox, declare_command_topology
from tests import examples as ex
from tests.integration.agency import Agency
from tests.integration.cluster import SERVICES, Cluster
from tests.integration.helpers import cli, replay

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def inboxes(cluster: Cluster) -> Cluster:
    for service in SERVICES:
        cluster.start("inbox", service)
    deadline = time.monotonic() + 60
    for service in SERVICES:
        cluster.wait_for_log("inbox", service, "subscribed to", deadline)
    return cluster


@pytest.fixture
def agency(inboxes: Cluster) -> Iterator[Agency]:
    client = Agency(inboxes)
    yield client
    client.close()


@pytest.fixture(scope="module")
def remote(cluster: Cluster) -> Iterator[RemoteSystem]:
    with RemoteSystem(cluster.amqp_uri) as system:
        yield system


def heads(remote: RemoteSystem) -> dict[str, int]:
    return {name: status["head"] for name, status in remote.statuses().items()}


def publish_all(agency: Agency, lines: list[dict[str, Any]], prefix: str) -> list[str]:
    ids = [f"{prefix}-{n}" for n in range(len(lines))]
    for line, correlation_id in zip(lines, ids, strict=True):
        agency.publish(line, correlation_id)
    return ids


ORDERED = ["intake.person.registered", "intake.court-decision.recorded", "intake.person.admitted"]
PERSON = "INB1"
PATHWAY = [ex.register_person(PERSON), ex.custodial_sentence(PERSON), ex.admit(PERSON)]


def test_an_agency_publishes_a_persons_commands_and_they_are_applied_in_order(
    agency: Agency, remote: RemoteSystem, inboxes: Cluster
) -> None:
    ids = publish_all(agency, PATHWAY, "a")

    replies = agency.replies(len(PATHWAY))

    assert [correlation_id for correlation_id, _ in replies] == ids  # one reply each, in publication order
    assert all(reply["ok"] and reply["result"]["status"] == "applied" for _, reply in replies), replies
    remote.settle()  # the other services' reactions to intake's events
    entries = replay(f"{ex.ISSUER}:{PERSON}", "--amqp-uri", inboxes.amqp_uri)
    intake_types = [e["type"] for e in entries if e["service"] == "intake"]
    assert [t for t in intake_types if t in ORDERED] == ORDERED
    assert "release.release-dates.calculated" in {e["type"] for e in entries}  # release reacted to the sentence


def test_the_same_messages_again_are_skipped_and_nothing_is_recorded_twice(
    agency: Agency, remote: RemoteSystem
) -> None:
    remote.settle()
    before = heads(remote)
    ids = publish_all(agency, PATHWAY, "b")

    replies = agency.replies(len(PATHWAY))

    assert [correlation_id for correlation_id, _ in replies] == ids
    assert [reply["result"]["status"] for _, reply in replies] == ["skipped"] * len(PATHWAY), replies
    remote.settle()
    assert heads(remote) == before


def test_refused_commands_go_to_the_rejected_queue_with_their_reason_and_nothing_else_moves(
    agency: Agency, remote: RemoteSystem
) -> None:
    agency.purge_rejected()
    lines = [ex.register_person("INB2"), ex.register_person("INB3"), ex.custodial_sentence("INB2")]
    publish_all(agency, lines, "c-setup")
    assert len(agency.replies(len(lines))) == len(lines)
    remote.settle()
    before = heads(remote)
    invalid = ex.register_person("INB4", date_of_birth="SECRET-1990")
    del invalid["data"]["family_name"]
    taken = ex.custodial_sentence("INB3", decision_id="D-INB2")  # another person's decision: a rule refuses it
    bodies = [agency.publish(invalid, "c-invalid"), agency.publish(taken, "c-rule")]
    agency.publish_raw("intake.register_person", b"{not json", "c-json")
    agency.publish_raw("courts.record_decision", b"{}", "c-nobody")  # a service nobody runs: the alternate exchange

    replies = dict(agency.replies(3))
    # A refusal's copy is confirmed before its reply goes out: all four wait now, and operators see them.
    code, out, _ = cli("status", "--amqp-uri", agency.operator_uri, "--format", "json")
    status = json.loads(out)
    assert (code, status["rejected_commands"]) == (0, 4)
    assert {row["service"]: row["commands_waiting"] for row in status["services"]} == dict.fromkeys(SERVICES, 0)
    rejected = agency.rejected(4)

    assert replies["c-invalid"]["ok"] is False
    assert replies["c-invalid"]["status"] == 422
    assert {p["field"] for p in replies["c-invalid"]["errors"]} == {"family_name", "date_of_birth"}
    assert replies["c-rule"] == {
        "ok": False,
        "status": 409,
        "error": "decision_id: already recorded for another person",
    }
    assert replies["c-json"]["errors"] == [{"field": "(body)", "problem": "not valid JSON"}]
    assert len(rejected) == 4
    invalid_copy = next(r for r in rejected if r[1] == bodies[0])
    headers, _, key = invalid_copy
    assert key == "intake.register_person"
    assert headers["x-pathway-service"] == "intake"
    assert headers["x-pathway-command"] == "register_person"
    assert "family_name" in headers["x-pathway-reason"]
    assert "date_of_birth" in headers["x-pathway-reason"]
    assert "SECRET" not in json.dumps(headers)
    assert "Person" not in headers["x-pathway-reason"]
    rule_copy = next(r for r in rejected if r[1] == bodies[1])
    assert rule_copy[0]["x-pathway-reason"] == "DecisionConflictError: decision_id: already recorded for another person"
    assert any(body == b"{not json" and "(body)" in headers["x-pathway-reason"] for headers, body, _ in rejected)
    unrouted = next(r for r in rejected if r[2] == "courts.record_decision")
    assert "x-pathway-reason" not in (unrouted[0] or {})  # no inbox saw it: kept, without a reason
    remote.settle()
    assert heads(remote) == before  # nothing else affected


def test_an_inbox_killed_mid_stream_applies_every_command_exactly_once_in_order(
    agency: Agency, remote: RemoteSystem, inboxes: Cluster
) -> None:
    agency.purge_rejected()
    people = [f"INK{n}" for n in range(80)]
    lines = [line for person in people for line in pathway_of(person)]
    ids = publish_all(agency, lines, "d")

    before_kill = agency.replies(15)
    inboxes.kill("inbox", "intake")
    inboxes.start("inbox", "intake", index=1)  # a fresh log, so readiness is read from this process
    inboxes.wait_for_log("inbox", "intake", "subscribed to", time.monotonic() + 60, index=1)
    replies = list(before_kill)
    deadline = time.monotonic() + 120
    # Redelivered messages come first, so once every id has a reply the repeats are in too.
    while {c for c, _ in replies} != set(ids) and time.monotonic() < deadline:
        replies += agency.replies(len(ids) - len({c for c, _ in replies}), until=deadline)

    assert len(before_kill) < len(lines) // 2, "the inbox was not killed mid-stream"
    seen = {correlation_id for correlation_id, _ in replies}
    assert seen == set(ids)  # every command answered (some twice: applied before the kill, skipped after)
    assert list(dict.fromkeys(c for c, _ in replies)) == ids  # first answers in publication order
    assert all(reply["ok"] for _, reply in replies), [r for r in replies if not r[1]["ok"]][:3]
    applied = [correlation_id for correlation_id, reply in replies if reply["result"]["status"] == "applied"]
    assert len(applied) == len(set(applied))
    assert agency.rejected(1, timeout=1.0) == []
    remote.settle()
    recorded: dict[str, list[str]] = {}
    for envelope in all_public_events(remote, "intake"):
        if envelope["type"] in ORDERED:
            recorded.setdefault(envelope["subject"], []).append(envelope["type"])  # in the order intake recorded
    for person in people:
        assert recorded[person_id(person)] == ORDERED, person  # once each, in the order published


def pathway_of(person: str) -> list[dict[str, Any]]:
    return [ex.register_person(person), ex.custodial_sentence(person), ex.admit(person)]


def person_id(value: str) -> str:
    return str(person_id_for(NationalId(issuer=ex.ISSUER, value=value)))


def all_public_events(remote: RemoteSystem, service: str) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = []
    after = 0
    while True:
        page = remote.service(service).public_events(after, 1000)
        events.extend(page["events"])
        if page["next_after"] >= page["head"]:
            return events
        after = page["next_after"]


class FlakyApp:
    """A service whose store is unreachable twice, then answers; its command `buggy` always fails."""

    service = "flaky"
    commands: dict[str, Any] = {}  # none with declared roles: the agency's grant alone decides

    def __init__(self) -> None:
        self.outages = 2
        self.calls: list[str] = []

    def handle(self, command: str, data: Any) -> CommandResult:
        self.calls.append(command)
        if self.outages:
            self.outages -= 1
            raise OperationalError("connection refused")
        if command == "buggy":
            raise RuntimeError("a bug")
        return CommandResult("applied", {"echo": data["n"]})


def test_the_loop_requeues_while_the_store_is_down_and_rejects_a_persistent_bug(agency: Agency) -> None:
    agency.purge_rejected()
    app = FlakyApp()
    stop = threading.Event()
    agencies = AgencyPermissions.model_validate(
        {"agencies": {agency.agency: {"broker_user": agency.user, "commands": ["flaky.*"]}}}
    )
    inbox = CommandInbox(app, agencies, max_attempts=3)  # type: ignore[arg-type]
    loop = AmqpCommandInbox(agency.operator_uri, inbox, stop, services=["flaky"])
    with Connection(agency.operator_uri) as connection:
        declare_command_topology(connection.default_channel, ["flaky"])  # the queue exists before we publish
    worker = threading.Thread(target=loop.run, daemon=True)
    worker.start()
    try:
        agency.publish_raw("flaky.fine", b'{"n": 1}', "e-fine")
        agency.publish_raw("flaky.buggy", b'{"n": 2}', "e-buggy")
        replies = dict(agency.replies(2))
        rejected = agency.rejected(1)
    finally:
        stop.set()
        worker.join(timeout=10)

    assert app.calls == ["fine", "fine", "fine", "buggy", "buggy", "buggy"]  # redelivered twice; 3 attempts
    assert replies["e-fine"] == {"ok": True, "result": {"status": "applied", "result": {"echo": 1}}}
    assert replies["e-buggy"] == {"ok": False, "status": 500, "error": "internal error"}
    assert [(headers["x-pathway-reason"], body) for headers, body, _ in rejected] == [
        ("internal error (RuntimeError)", b'{"n": 2}')
    ]
