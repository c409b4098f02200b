"""Whatever is published to a running distributed system, no process dies of it and no person stays frozen.

Poison goes where an outsider with access to the broker could put it: the events exchange, the
watermarks exchange and the command inbox. Each message is set aside or rejected with its reason, the
processes keep running, the next genuine message for the same person is applied, and `pathway status`
and `/health` say what they see — including when a process is missing.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from kombu import Connection, Producer

from shared.messaging.amqp import WATERMARK_EXCHANGE
from shared.messaging.topology import EXCHANGE
from tests import examples as ex
from tests.integration.agency import Agency
from tests.integration.cluster import SERVICES, Cluster
from tests.integration.helpers import cli, replay, write_jsonl

pytestmark = pytest.mark.integration

TOO_DEEP = b"[" * 5000 + b"]" * 5000


@pytest.fixture(scope="module")
def running(cluster: Cluster) -> Cluster:
    for service in SERVICES:
        cluster.start("inbox", service)
    deadline = time.monotonic() + 60
    for service in SERVICES:
        cluster.wait_for_log("inbox", service, "subscribed to", deadline)
    return cluster


@pytest.fixture
def agency(running: Cluster) -> Iterator[Agency]:
    client = Agency(running)
    yield client
    client.close()


def publish(cluster: Cluster, exchange: str, routing_key: str, body: bytes, headers: Any = None) -> None:
    """As intake's relay would, had it gone wrong: from anyone else, consumers reject without reading it
    (tests/integration/test_genuine_publishers.py)."""
    relay = cluster.users.relays["intake"]
    with Connection(cluster.relay_uri("intake"), transport_options={"confirm_publish": True}) as connection:
        Producer(connection.default_channel).publish(
            body, exchange=exchange, routing_key=routing_key, headers=headers, delivery_mode=2, user_id=relay
        )


def load(cluster: Cluster, tmp_path: Path, lines: list[dict[str, Any]]) -> tuple[int, str, str]:
    name = f"{uuid.uuid4().hex[:6]}.jsonl"
    return cli("import", str(write_jsonl(tmp_path / name, lines)), "--amqp-uri", cluster.amqp_uri)


def all_alive(cluster: Cluster) -> dict[str, int | None]:
    return {f"{kind} {service}": process.poll() for (kind, service, _), process in cluster.processes.items()}


def status(cluster: Cluster) -> tuple[int, dict[str, Any], str]:
    code, out, err = cli("status", "--amqp-uri", cluster.amqp_uri, "--format", "json")
    return code, {row["service"]: row for row in json.loads(out)["services"]}, err


def dead_letters(cluster: Cluster, service: str) -> list[dict[str, Any]]:
    code, out, err = cli("dead-letters", "list", service, "--amqp-uri", cluster.amqp_uri)
    assert code == 0, err
    return json.loads(out)


def settle(cluster: Cluster) -> None:
    from pathway.remote import RemoteSystem

    with RemoteSystem(cluster.amqp_uri) as remote:
        remote.settle()


def test_poison_events_and_watermarks_are_set_aside_and_the_consumers_keep_running(
    running: Cluster, tmp_path: Path
) -> None:
    assert load(running, tmp_path, [ex.register_person("PB1")])[0] == 0
    poison = {
        "not JSON": b"not json at all",
        "a JSON array": b"[1, 2]",
        "nested 5,000 deep": TOO_DEEP,
        "larger than 1 MiB": b'{"pad": "' + b"x" * (1024 * 1024 + 10) + b'"}',
        "invalid UTF-8": b'{"type": "\xff\xfe"}',
    }
    for body in poison.values():
        publish(running, EXCHANGE, "intake.court-decision.recorded", body)
    publish(running, WATERMARK_EXCHANGE, "intake", b"{}")  # no headers at all
    publish(running, WATERMARK_EXCHANGE, "intake", b"{}", headers={"source": "intake", "position": "many"})
    publish(running, WATERMARK_EXCHANGE, "intake", b"{}", headers={"source": "outsider", "position": 3})

    code, out, err = load(running, tmp_path, [ex.custodial_sentence("PB1")])

    assert code == 0, out + err
    assert all(code is None for code in all_alive(running).values()), all_alive(running)
    assert "release.release-dates.calculated" in [e["type"] for e in replay(f"{ex.ISSUER}:PB1", "--amqp-uri",
                                                                              running.amqp_uri)]  # fmt: skip
    reasons = [letter["reason"] for letter in dead_letters(running, "release")]
    assert len(reasons) >= len(poison) + 3  # programmes, bound to none of these, may set aside the watermarks too
    assert all(reason.startswith("unreadable") for reason in reasons), reasons
    assert any("headers: missing" in reason for reason in reasons)
    assert any("headers.position" in reason for reason in reasons)
    assert any("headers.source" in reason for reason in reasons)
    code, statuses, _ = status(running)
    assert statuses["release"]["dead_letters"] >= 1  # the unreadable ones, under one subject
    assert code == 0


def test_poison_commands_are_rejected_with_their_reason_and_the_inbox_keeps_running(
    running: Cluster, agency: Agency
) -> None:
    agency.purge_rejected()
    poison = {
        "nested 5,000 deep": TOO_DEEP,
        "not JSON": b"{not json",
        "invalid UTF-8": b'{"national_id": "\xff"}',
        "larger than 1 MiB": b'{"pad": "' + b"x" * (1024 * 1024 + 10) + b'"}',
    }
    for kind, body in poison.items():
        agency.publish_raw("intake.register_person", body, correlation_id=kind)
    agency.publish(ex.register_person("PB2"), correlation_id="good")

    replies = dict(agency.replies(len(poison) + 1))

    assert replies["good"]["ok"] is True
    assert replies["good"]["result"]["status"] == "applied"
    rejected = agency.rejected(len(poison))
    reasons = [headers["x-pathway-reason"] for headers, _, _ in rejected]
    assert len(reasons) == len(poison)
    assert any("(body): nested deeper than 64 levels" in reason for reason in reasons), reasons
    assert any("(body): larger than" in reason for reason in reasons), reasons
    assert any("(body): not valid JSON" in reason for reason in reasons), reasons
    assert any("(body): not valid UTF-8" in reason for reason in reasons), reasons
    assert all(code is None for code in all_alive(running).values()), all_alive(running)
    assert len(json.dumps(replies["nested 5,000 deep"])) < 1000  # nothing of the input comes back


def registered_envelope(cluster: Cluster, value: str) -> dict[str, Any]:
    code, out, err = cli("feed", "intake", "--amqp-uri", cluster.amqp_uri, "--types", "intake.person.registered")
    assert code == 0, err
    envelopes = [json.loads(line) for line in out.splitlines() if line.strip()]
    person_id = replay(f"{ex.ISSUER}:{value}", "--amqp-uri", cluster.amqp_uri)[0]["data"]["person_id"]
    return next(e for e in envelopes if e["subject"] == person_id)


def test_a_person_frozen_by_a_bad_message_flows_again_once_it_is_discarded(running: Cluster, tmp_path: Path) -> None:
    assert load(running, tmp_path, [ex.register_person("PB3")])[0] == 0
    forged = {
        **registered_envelope(running, "PB3"),
        "event_id": str(uuid.uuid4()),
        "type": "intake.court-decision.recorded",
        "notification_id": 10**9,
        "payload": {"person_id": "not-a-uuid"},
    }
    publish(running, EXCHANGE, forged["type"], json.dumps(forged).encode())
    load(running, tmp_path, [ex.custodial_sentence("PB3"), ex.admit("PB3")])
    held = [d for d in dead_letters(running, "release") if d["subject"] == forged["subject"]]
    assert [d["state"] for d in held] == ["failed", "held", "held"]  # the person's genuine events wait behind it
    person = f"{ex.ISSUER}:PB3"
    assert "release.release-dates.calculated" not in [e["type"] for e in replay(person, "--amqp-uri", running.amqp_uri)]

    code, out, err = cli(
        "dead-letters", "discard", "release", forged["event_id"], "--reason", "forged: no such decision",
        "--operator", "ops-lee", "--agency", "national-probation", "--amqp-uri", running.amqp_uri,
    )  # fmt: skip

    assert code == 0, err
    assert "2 held messages applied, 0 still set aside" in out
    entries = replay(person, "--amqp-uri", running.amqp_uri)
    kinds = [e["type"] for e in entries]
    assert kinds.index("release.dead-letter.discarded") < kinds.index("release.release-dates.calculated")
    discarded = next(e for e in entries if e["type"] == "release.dead-letter.discarded")
    assert discarded["actor"] == {"id": "ops-lee", "role": "operator", "agency": "national-probation"}
    assert discarded["data"]["reason"] == "forged: no such decision"
    assert kinds.count("release.dead-letter.replayed") == 2
    assert not [d for d in dead_letters(running, "release") if d["subject"] != "unreadable"]


def health(cluster: Cluster, service: str) -> tuple[int, dict[str, Any]]:
    try:
        with urllib.request.urlopen(cluster.url(service, "/health"), timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def log_count(cluster: Cluster, kind: str, service: str, text: str) -> int:
    path = cluster.workdir / f"{kind}-{service}-0.log"
    return path.read_text(errors="replace").count(text) if path.exists() else 0


def test_a_missing_consumer_or_relay_fails_health_and_status_naming_it(running: Cluster) -> None:
    settle(running)
    assert health(running, "release") == (200, {"service": "release", "status": "ok"})

    subscribed = log_count(running, "consume", "release", "subscribed to")
    publishing = log_count(running, "relay", "intake", "publishing from notification")
    running.kill("consume", "release")
    running.kill("relay", "intake")
    try:
        code, statuses, _ = status(running)
        assert code == 1
        assert statuses["release"]["problems"] == [
            "release: queue pathway.release has no consumer (is `pathway consume release` running?)"
        ]
        assert statuses["intake"]["problems"] == [
            "intake: no relay holds its store (is `pathway relay intake` running?)"
        ]
        code, answer = health(running, "release")
        assert (code, answer["status"]) == (503, "degraded")
        assert "pathway consume release" in answer["problems"][0]
        assert health(running, "intake")[0] == 503
        table = cli("status", "--amqp-uri", running.amqp_uri)[1]
        assert "problem: release: queue pathway.release has no consumer" in table
    finally:
        running.start("consume", "release")
        running.start("relay", "intake")
    deadline = time.monotonic() + 60
    while log_count(running, "consume", "release", "subscribed to") == subscribed or (
        log_count(running, "relay", "intake", "publishing from notification") == publishing
    ):
        assert time.monotonic() < deadline, "the restarted processes did not come back"
        time.sleep(0.2)
    assert status(running)[0] == 0
    assert health(running, "release")[0] == 200
