"""Only genuine publishers on the real broker: each service's relay publishes as its own RabbitMQ user, with the
`user_id` the broker validates, and a consumer applies an event only when that user is the relay user of the
event's source. Forged events and watermarks are rejected, counted and never applied; the genuine events whose
notification ids they claimed are applied all the same. The command inbox takes the sending agency from the same
property, and the broker itself refuses an agency's user a routing key it was not granted.
"""

from __future__ import annotations

import json
import re
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import amqp.exceptions
import pytest
from kombu import Connection, Producer, Queue

from pathway.processes import build_postgres
from pathway.remote import RemoteSystem
from pathway.roles import operations
from shared.messaging.amqp import DEAD_LETTER_QUEUE, WATERMARK_EXCHANGE
from shared.messaging.command_inbox import COMMANDS_EXCHANGE
from shared.messaging.consumer import TrackedConsumer
from shared.messaging.topology import EXCHANGE
from shared.registry.roles import AGENCY_CLIENT
from tests import examples as ex
from tests.integration.agency import Agency
from tests.integration.broker_users import COURTS, PRISON
from tests.integration.cluster import SERVICES, Cluster
from tests.integration.helpers import cli, replay, write_jsonl

pytestmark = pytest.mark.integration

CLAIMED = 20  # envelopes claiming intake's next notification ids


@pytest.fixture(scope="module")
def running(cluster: Cluster) -> Cluster:
    for service in SERVICES:
        cluster.start("inbox", service)
    deadline = time.monotonic() + 60
    for service in SERVICES:
        cluster.wait_for_log("inbox", service, "subscribed to", deadline)
    return cluster


@pytest.fixture(scope="module")
def remote(cluster: Cluster) -> Iterator[RemoteSystem]:
    with RemoteSystem(cluster.amqp_uri) as system:
        yield system


def publish(uri: str, exchange: str, routing_key: str, body: bytes, **properties: Any) -> None:
    """With publisher confirms: a message the broker refuses raises here, with the broker's reason."""
    with Connection(uri, transport_options={"confirm_publish": True}) as connection:
        Producer(connection.default_channel).publish(
            body, exchange=exchange, routing_key=routing_key, delivery_mode=2, content_type="application/json",
            **properties,
        )  # fmt: skip


def load(cluster: Cluster, path: Path, lines: list[dict[str, Any]]) -> None:
    code, out, err = cli("import", str(write_jsonl(path, lines)), "--amqp-uri", cluster.amqp_uri)
    assert code == 0, out + err


def envelope_of(cluster: Cluster, value: str, event_type: str) -> dict[str, Any]:
    """The public envelope intake published of this person's event of this type."""
    person_id = replay(f"{ex.ISSUER}:{value}", "--amqp-uri", cluster.amqp_uri)[0]["data"]["person_id"]
    code, out, err = cli("feed", "intake", "--all", "--amqp-uri", cluster.amqp_uri, "--types", event_type)
    assert code == 0, err
    envelopes = [json.loads(line) for line in out.splitlines() if line.strip()]
    return next(e for e in envelopes if e["subject"] == person_id)


def forged_from(envelope: dict[str, Any], notification_id: int, subject: str | None = None) -> bytes:
    subject = subject or str(uuid.uuid4())
    payload = {**envelope["payload"], "person_id": subject}
    forged = {**envelope, "event_id": str(uuid.uuid4()), "notification_id": notification_id, "subject": subject}
    return json.dumps({**forged, "payload": payload}).encode()


def kinds(cluster: Cluster, value: str) -> list[str]:
    return [e["type"] for e in replay(f"{ex.ISSUER}:{value}", "--amqp-uri", cluster.amqp_uri)]


def rejected_in_store(cluster: Cluster, service: str) -> int:
    app = build_postgres(service, cluster.env())
    try:
        return TrackedConsumer(app).rejected_count()
    finally:
        app.close()


def test_forged_events_are_never_applied_and_the_genuine_events_they_claimed_are(
    running: Cluster, remote: RemoteSystem, tmp_path: Path
) -> None:
    load(running, tmp_path / "seed.jsonl", [ex.register_person("GP0"), ex.custodial_sentence("GP0"),
                                            ex.register_person("GP1")])  # fmt: skip
    remote.settle()
    decision = envelope_of(running, "GP0", "intake.court-decision.recorded")
    registered = envelope_of(running, "GP0", "intake.person.registered")
    gp1 = envelope_of(running, "GP1", "intake.person.registered")["subject"]
    intake_head = remote.statuses()["intake"]["head"]
    before = rejected_in_store(running, "release")

    # A court decision for GP1, whom intake never sentenced: as the operator (no user_id), and by programmes'
    # relay, under a routing key release also binds (its topic permissions allow only programmes' own keys).
    court_decision = forged_from(decision, 10**9, subject=gp1)
    publish(running.amqp_uri, EXCHANGE, "intake.court-decision.recorded", court_decision)
    programmes_relay = running.users.relays["programmes"]
    publish(running.relay_uri("programmes"), EXCHANGE, "programmes.programme.completed", court_decision,
            user_id=programmes_relay)  # fmt: skip
    # Envelopes claiming intake's next notification ids, about people nobody registered.
    claimed = range(intake_head + 1, intake_head + 1 + CLAIMED)
    for number in claimed:
        template = registered if number % 2 else decision
        publish(running.amqp_uri, EXCHANGE, template["type"], forged_from(template, number))
    # Then the genuine events that take those ids: people registered and sentenced.
    people = [f"GPN{n}" for n in range(CLAIMED // 2)]
    load(running, tmp_path / "genuine.jsonl",
         [line for value in people for line in (ex.register_person(value), ex.custodial_sentence(value))])  # fmt: skip
    remote.settle()

    assert remote.statuses()["intake"]["head"] >= claimed[-1]  # the genuine events took every claimed id
    for value in people:
        assert "release.release-dates.calculated" in kinds(running, value), value
    assert "release.release-dates.calculated" not in kinds(running, "GP1")
    assert rejected_in_store(running, "release") - before == CLAIMED + 2
    code, out, err = cli("status", "--amqp-uri", running.amqp_uri, "--format", "json")
    assert code == 0, out + err  # forgeries are counted, and the system works on
    statuses = {row["service"]: row for row in json.loads(out)["services"]}
    assert statuses["release"]["rejected_messages"] >= CLAIMED + 2, out + err
    assert statuses["release"]["dead_letters"] == 0  # nobody's later events are held behind a forgery
    table = cli("status", "--amqp-uri", running.amqp_uri)[1]
    assert re.search(r"(?m)^rejected as not genuine: .*\brelease \d+", table), table
    copies = dead_letter_copies(running)
    reasons = [headers["x-pathway-reason"] for headers in copies if headers.get("x-pathway-outcome") == "rejected"]
    assert any("published by no user_id" in reason for reason in reasons), reasons
    assert any(f"published by user {programmes_relay!r}, not" in reason for reason in reasons), reasons


def dead_letter_copies(cluster: Cluster) -> list[dict[str, Any]]:
    """The headers of the copies waiting on the dead-letter queue (taken off it)."""
    found = []
    with Connection(cluster.amqp_uri) as connection:
        queue = Queue(DEAD_LETTER_QUEUE, durable=True)(connection.channel())
        while (message := queue.get(no_ack=True)) is not None:
            found.append(message.headers or {})
    return found


def test_a_forged_watermark_is_not_believed(running: Cluster, remote: RemoteSystem) -> None:
    remote.settle()
    before = remote.statuses()["release"]["watermarks"]["intake"]
    rejected = rejected_in_store(running, "release")
    headers = {"source": "intake", "position": 10**9}

    publish(running.amqp_uri, WATERMARK_EXCHANGE, "intake", b"{}", headers=headers)  # the operator's user
    publish(running.relay_uri("programmes"), WATERMARK_EXCHANGE, "programmes", b"{}", headers=headers,
            user_id=running.users.relays["programmes"])  # programmes' relay, claiming intake's  # fmt: skip
    remote.settle()

    assert remote.statuses()["release"]["watermarks"]["intake"] == before
    assert rejected_in_store(running, "release") == rejected + 2
    assert remote.statuses()["intake"]["head"] < 10**9


def test_the_broker_refuses_a_user_id_that_is_not_the_publishers_own(running: Cluster) -> None:
    with pytest.raises(amqp.exceptions.PreconditionFailed, match="user_id"):
        publish(running.amqp_uri, EXCHANGE, "intake.person.registered", b"{}", user_id=running.users.relays["intake"])


def test_the_inbox_takes_the_agency_from_the_broker_user_and_applies_only_what_it_may_send(
    running: Cluster,
) -> None:
    courts, prison = Agency(running, COURTS), Agency(running, PRISON)
    try:
        courts.purge_rejected()
        # Nobody's agency: the operator's user, with no user_id and with its own.
        body = json.dumps(ex.register_person("GPX")["data"]).encode()
        publish(running.amqp_uri, COMMANDS_EXCHANGE, "intake.register_person", body, reply_to=courts.replies_to,
                correlation_id="no-user-id")  # fmt: skip
        publish(running.amqp_uri, COMMANDS_EXCHANGE, "intake.register_person", body, reply_to=courts.replies_to,
                correlation_id="guest", user_id="guest")  # fmt: skip
        # A command the prison service's grant names, but which no agency's system may send.
        prison.publish(ex.line("intake", "propose_classification"), "classification")
        # The courts' own: granted, with no actor of its own in the body.
        granted = {key: value for key, value in ex.register_person("GPC")["data"].items() if key != "actor"}
        courts.publish({"service": "intake", "command": "register_person", "data": granted}, "granted")

        replies = dict(courts.replies(3)) | dict(prison.replies(1))
        rejected = {headers["x-pathway-reason"] for headers, _, _ in courts.rejected(3)}
    finally:
        courts.close()
        prison.close()

    assert replies["granted"]["ok"] is True, replies["granted"]
    assert [r["status"] for k, r in sorted(replies.items()) if k != "granted"] == [403, 403, 403]
    assert rejected == {
        "NotPermitted: no agency: the message carries no user_id",
        "NotPermitted: no agency: broker user 'guest' sends for no agency",
        "NotPermitted: agency Test Prison Service may not send intake.propose_classification: "
        "not a command for an agency's system",
    }
    (registration,) = [e for e in replay(f"{ex.ISSUER}:GPC", "--amqp-uri", running.amqp_uri)
                       if e["type"] == "intake.person.registered"]  # fmt: skip
    assert registration["actor"] == {"id": running.users.agencies[COURTS], "role": "agency-client", "agency": COURTS}
    code, _, _ = cli("replay", f"{ex.ISSUER}:GPX", "--amqp-uri", running.amqp_uri)
    assert code != 0  # never registered


def test_the_broker_refuses_an_agency_a_routing_key_it_was_not_granted(running: Cluster) -> None:
    courts = running.agency_uri(COURTS)
    user = running.users.agencies[COURTS]

    with pytest.raises(amqp.exceptions.AccessRefused, match="topic"):
        publish(courts, COMMANDS_EXCHANGE, "intake.admit", b"{}", user_id=user)
    with pytest.raises(amqp.exceptions.AccessRefused):  # events are the relays' to publish
        publish(courts, EXCHANGE, "intake.person.registered", b"{}", user_id=user)
    with Connection(courts) as connection:  # and it binds a queue of its own only to the events it may read
        queue = f"{user}.events"
        channel = connection.channel()
        channel.queue_declare(queue=queue, durable=False, auto_delete=True)
        channel.queue_bind(queue=queue, exchange=EXCHANGE, routing_key="intake.person.*")
        with pytest.raises(amqp.exceptions.AccessRefused, match="topic"):
            connection.channel().queue_bind(queue=queue, exchange=EXCHANGE, routing_key="release.#")


def test_every_command_over_the_inbox_as_an_agencys_system(
    running: Cluster, capsys: pytest.CaptureFixture[str]
) -> None:
    """The inbox's part of the role x operation matrix. Over AMQP the only callers are agencies' systems, each
    known by its broker user and holding the agency-client role: a command that role may send gets past the
    gate (an empty body is then refused as invalid input, 422); any other is refused (403), nothing recorded.
    Staff, auditors, operators and the importer have no broker user and cannot reach the inbox at all."""
    ops = [op for op in operations() if op.kind == "command"]
    prison = Agency(running, PRISON)
    try:
        for op in ops:
            prison.publish_raw(f"{op.service}.{op.name}", b"{}", f"{op.service}.{op.name}")
        replies = dict(prison.replies(len(ops), timeout=120))
    finally:
        prison.close()

    lines, wrong = [], []
    for op in ops:
        reply = replies.get(f"{op.service}.{op.name}")
        status = None if reply is None else (200 if reply["ok"] else int(reply["status"]))
        let_in = status not in (None, 401, 403)
        if let_in != (AGENCY_CLIENT in op.roles) or status is None or status >= 500:
            wrong.append(f"{op.service} {op.name}: {status}")
        lines.append(f"{op.service:<10} command {op.name:<32} {status}")
    with capsys.disabled():
        print(f"\nrole x command over the AMQP inbox (status for {AGENCY_CLIENT}; no other role has a broker user)")
        print("\n".join(lines))
    assert not wrong, "\n".join(wrong)
