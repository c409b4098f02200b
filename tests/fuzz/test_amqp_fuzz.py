"""Fuzzed messages on the bus of a running distributed system: commands to the inboxes, envelopes to the
consumers, headers to the watermarks exchange. No process exits; every command is applied, skipped or
rejected with a reason naming the field and the problem; every reply is JSON; every dead letter has a reason;
and afterwards a genuine person's commands still flow through to the other services' reactions."""

from __future__ import annotations

import json
import re
import time
import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from kombu import Connection, Producer, Queue

from shared.contracts.commands import COMMANDS
from shared.messaging.amqp import WATERMARK_EXCHANGE
from shared.messaging.command_inbox import COMMANDS_EXCHANGE, REASON_HEADER, REJECTED_QUEUE
from shared.messaging.topology import EXCHANGE
from tests import examples as ex
from tests.fuzz.conftest import exited
from tests.fuzz.strategies import (
    EDGE_DATES,
    EVENT_TYPES,
    POISON_BODIES,
    SERVICES,
    command_bodies,
    fuzz_settings,
    json_values,
    mutated,
    text,
    wrong_values,
)
from tests.fuzz.tally import Tally, tally
from tests.integration.broker_users import PRISON
from tests.integration.cluster import Cluster
from tests.integration.helpers import cli, replay, write_jsonl

pytestmark = pytest.mark.integration

WAIT = 60.0  # seconds for one message's outcome; the machine may be busy, the inbox is not slow
# "<ErrorType>: <field>: <problem>", as the inbox words a refusal (shared/messaging/consumer.py, describe).
NAMED_REASON = re.compile(r"^\w+: [^:\s][^:]*: \S")

# Values the AMQP field-table encoding can carry: anything else the client refuses before it is sent.
header_values = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(2**63), max_value=2**63 - 1),
        st.floats(allow_nan=False, allow_infinity=False),
        text,
        st.binary(max_size=20),
        st.sampled_from(["intake", "-1", "9" * 30, "x" * 5000]),
        st.datetimes(min_value=datetime(1970, 1, 2), max_value=datetime(2100, 1, 1)),
    ),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=10), inner, max_size=3)),
    max_leaves=8,
)
header_tables = st.one_of(
    st.none(),
    st.just({}),
    st.dictionaries(st.one_of(st.text(max_size=20), st.sampled_from(["source", "position", REASON_HEADER])),
                    header_values, max_size=4),
)  # fmt: skip
content_types = st.one_of(
    st.none(), st.sampled_from(["application/json", "text/plain", "application/octet-stream", ""]), text
)
short_text = st.text(max_size=60)
junk_routing_keys = st.text(st.sampled_from("abcz.#*-_0é"), max_size=30)


class Sender:
    """One broker user's connection with publisher confirms, stamping its user on every message."""

    def __init__(self, uri: str, user: str | None) -> None:
        self.connection = Connection(uri, transport_options={"confirm_publish": True})
        self.channel = self.connection.channel()
        self.producer = Producer(self.channel)
        self.user = {"user_id": user} if user else {}

    def publish(self, exchange: str, routing_key: str, body: bytes, **properties: Any) -> None:
        self.producer.publish(
            body, exchange=exchange, routing_key=routing_key, delivery_mode=2, **properties, **self.user
        )


class Bus:
    """Each message from whoever may genuinely publish it, so that the fuzz reaches past the publisher checks
    (forged publishers: tests/integration/test_genuine_publishers.py): commands from an agency granted all of
    them, with a reply queue of its own; events and watermarks from the relay of the service their routing key
    names (the only keys its topic permissions let it publish), anything else as the operator."""

    def __init__(self, cluster: Cluster) -> None:
        self.agency = Sender(cluster.agency_uri(PRISON), cluster.users.agencies[PRISON])
        self.relays = {
            service: Sender(cluster.relay_uri(service), cluster.users.relays[service]) for service in SERVICES
        }
        self.operator = Sender(cluster.amqp_uri, None)
        self.reply_to = f"{cluster.users.agencies[PRISON]}.replies.{uuid.uuid4().hex[:8]}"
        self.replies = Queue(self.reply_to, durable=False, auto_delete=False)(self.agency.channel)
        self.replies.declare()
        self.rejected = Queue(REJECTED_QUEUE, durable=True)(self.operator.channel)

    def close(self) -> None:
        for sender in (self.agency, self.operator, *self.relays.values()):
            sender.connection.close()

    def publish(self, exchange: str, routing_key: str, body: bytes, **properties: Any) -> None:
        if exchange == COMMANDS_EXCHANGE:
            sender = self.agency
        elif exchange == WATERMARK_EXCHANGE:
            sender = self.relays.get(routing_key, self.operator)
        else:
            sender = self.relays.get(routing_key.split(".")[0], self.operator)
        sender.publish(exchange, routing_key, body, **properties)

    def until(self, queue: Queue, correlation_id: str) -> list[Any]:
        """Messages taken from `queue` up to and including the one with `correlation_id`."""
        taken: list[Any] = []
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            message = queue.get(no_ack=True)
            if message is None:
                time.sleep(0.01)
                continue
            taken.append(message)
            if message.properties.get("correlation_id") == correlation_id:
                return taken
        raise AssertionError(f"nothing with correlation id {correlation_id} on {queue.name} within {WAIT}s")


@pytest.fixture(scope="module")
def bus(fuzzed_cluster: Cluster) -> Iterator[Bus]:
    client = Bus(fuzzed_cluster)
    client.rejected.declare()
    client.rejected.purge()
    yield client
    client.close()


def still_running(cluster: Cluster, counted: Tally) -> None:
    gone = exited(cluster)
    counted.crashes = len(gone)
    assert gone == {}, {name: cluster.logs(*name.split()) for name in gone}


# --- commands to the inboxes ----------------------------------------------------------------------------


@st.composite
def command_messages(draw: st.DrawFn) -> dict[str, Any]:
    """A command message as any AMQP client could publish it: routing key, body and properties all fuzzed."""
    service = draw(st.sampled_from(SERVICES))
    names = sorted(COMMANDS[service])
    command = draw(st.one_of(st.sampled_from(names), st.sampled_from(names), st.text(max_size=20)))
    routing_key = draw(st.one_of(st.just(f"{service}.{command}"), st.just(f"{service}.{command}"), junk_routing_keys))
    if command in names:
        kind, body = draw(command_bodies(service, command))
        body = as_the_senders(body)
    else:
        kind, body = "bytes", draw(st.one_of(st.binary(max_size=100), st.sampled_from(POISON_BODIES)))
    return {
        "kind": kind,
        "routing_key": routing_key.encode()[:200].decode(errors="ignore"),
        "body": body,
        "reply_to": draw(st.one_of(st.just("ours"), st.just("ours"), st.none(), short_text)),
        "correlation_id": draw(st.one_of(st.none(), short_text)),
        "content_type": draw(content_types),
        "headers": draw(header_tables),
    }


def as_the_senders(body: bytes) -> bytes:
    """The body with its actor, where it has one, of the sending agency: one naming another agency is refused before
    the command is read (tests/unit/test_command_inbox.py), and the fuzz is after what lies past that."""
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):  # not JSON, or nested past the parser's depth
        return body
    if not (isinstance(data, dict) and isinstance(data.get("actor"), dict)):
        return body
    return json.dumps({**data, "actor": {**data["actor"], "agency": PRISON}}).encode()


def routed_to(routing_key: str) -> str | None:
    """The service whose inbox queue (bound `<service>.#`) gets this key, or None: the alternate exchange."""
    first = routing_key.split(".")[0]
    return first if first in SERVICES else None


def check_reason(headers: dict[str, Any] | None, counted: Tally, what: str) -> None:
    reason = (headers or {}).get(REASON_HEADER)
    assert isinstance(reason, str), f"{what}: rejected without a reason: {headers!r}"
    assert reason, f"{what}: rejected with an empty reason"
    if reason.startswith("internal error"):
        counted.server_errors += 1
    assert not reason.startswith("internal error"), f"{what}: {reason}"
    if NAMED_REASON.match(reason) is None:
        counted.unnamed_rejections += 1
    assert NAMED_REASON.match(reason), f"{what}: reason does not name a field and a problem: {reason!r}"


@given(message=command_messages())
@fuzz_settings(600)
def test_fuzzed_commands_are_applied_or_rejected_with_a_reason_and_every_inbox_keeps_running(
    fuzzed_cluster: Cluster, bus: Bus, message: dict[str, Any]
) -> None:
    counted = tally("amqp commands")
    reply_to = bus.reply_to if message["reply_to"] == "ours" else message["reply_to"]
    properties = {
        key: value
        for key, value in (
            ("reply_to", reply_to),
            ("correlation_id", message["correlation_id"]),
            ("content_type", message["content_type"]),
            ("headers", message["headers"]),
        )
        if value is not None
    }
    bus.publish(COMMANDS_EXCHANGE, message["routing_key"], message["body"], **properties)
    # The inbox takes its queue in order: once a sentinel published after the message is answered (and its
    # rejected copy is on the queue), the message has been decided and its own copy and reply came first.
    service = routed_to(message["routing_key"])
    sentinel = f"sentinel-{uuid.uuid4()}"
    bus.publish(COMMANDS_EXCHANGE, f"{service or 'intake'}.fuzz_sentinel", b"{}", reply_to=bus.reply_to,
                correlation_id=sentinel, content_type="application/json")  # fmt: skip
    replies = bus.until(bus.replies, sentinel)[:-1]
    copies = bus.until(bus.rejected, sentinel)[:-1]
    what = f"{message['kind']} to {message['routing_key']!r}"

    still_running(fuzzed_cluster, counted)
    assert len(copies) <= 1, (what, copies)
    assert len(replies) <= 1, (what, replies)
    if service is None:  # no inbox saw it: the broker set it aside, as it came
        counted.tried("unrouted")
        assert len(copies) == 1, what
        assert not replies, what
        return
    for reply in replies:
        answer = json.loads(reply.body)
        assert isinstance(answer, dict), (what, answer)
        assert isinstance(answer.get("ok"), bool), (what, answer)
        if not answer["ok"] and answer.get("status", 0) >= 500:
            counted.server_errors += 1
        assert answer["ok"] or answer["status"] < 500, (what, answer)
        assert bool(copies) is not answer["ok"], (what, answer, copies)
    if message["reply_to"] == "ours":
        assert len(replies) == 1, f"{what}: no reply"
    if copies:
        counted.tried("rejected")
        check_reason(copies[0].headers, counted, what)
    else:
        counted.tried("applied or skipped")


# --- envelopes to the consumers, headers to the watermarks -----------------------------------------------


@pytest.fixture(scope="module")
def real_envelopes(fuzzed_cluster: Cluster, tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    """Envelopes as the relays publish them, to bend: a person registered and sentenced, and the reactions."""
    lines = [ex.register_person("FZSEED"), ex.custodial_sentence("FZSEED"), ex.admit("FZSEED")]
    file = write_jsonl(tmp_path_factory.mktemp("seed") / "seed.jsonl", lines)
    code, out, err = cli("import", str(file), "--amqp-uri", fuzzed_cluster.amqp_uri)
    assert code == 0, out + err
    envelopes = []
    for service in SERVICES:
        code, out, err = cli("feed", service, "--all", "--amqp-uri", fuzzed_cluster.amqp_uri)
        assert code == 0, err
        envelopes += [json.loads(line) for line in out.splitlines() if line.strip()]
    assert envelopes
    return envelopes


# Notification ids no relay will reach in this run: a forged envelope with a real one would be tracked as that
# notification, and the genuine event, arriving later, taken for a duplicate.
unreachable_positions = st.one_of(st.integers(min_value=10**9, max_value=2**63 - 1), wrong_values)


@st.composite
def envelopes(draw: st.DrawFn, real: list[dict[str, Any]]) -> tuple[str, bytes]:
    """(routing key, body): a real envelope about a fresh subject, bent in a few places; or any bytes."""
    if draw(st.integers(0, 5)) == 0:
        body = draw(st.one_of(st.binary(max_size=200), st.sampled_from(POISON_BODIES), json_values.map(json.dumps)))
        return draw(st.sampled_from(EVENT_TYPES)), body if isinstance(body, bytes) else body.encode()
    envelope = dict(draw(st.sampled_from(real)))
    envelope["subject"] = str(draw(st.uuids()))
    envelope["event_id"] = str(draw(st.uuids()))
    envelope["notification_id"] = draw(unreachable_positions)
    for _ in range(draw(st.integers(0, 3))):
        field = draw(st.sampled_from(sorted(envelope)))
        if field == "payload" and isinstance(envelope["payload"], dict):
            envelope["payload"] = draw(mutated(envelope["payload"]))
        elif field == "notification_id":
            continue
        elif field in ("occurred_at", "recorded_at"):
            envelope[field] = draw(st.sampled_from(EDGE_DATES)) + draw(st.sampled_from(["T00:00:00+00:00", "", "Z"]))
        elif field == "type":
            envelope[field] = draw(st.one_of(st.sampled_from(EVENT_TYPES), text))
        else:
            envelope[field] = draw(wrong_values)
    if draw(st.integers(0, 8)) == 0:
        del envelope[draw(st.sampled_from(sorted(envelope)))]
    declared = envelope.get("type")
    known = isinstance(declared, str) and declared in EVENT_TYPES
    routing_key = declared if known else draw(st.sampled_from(EVENT_TYPES))
    return routing_key, json.dumps(envelope).encode()


@given(data=st.data())
@fuzz_settings(800)
def test_fuzzed_envelopes_never_stop_a_consumer(
    fuzzed_cluster: Cluster, bus: Bus, real_envelopes: list[dict[str, Any]], data: st.DataObject
) -> None:
    counted = tally("event envelopes")
    routing_key, body = data.draw(envelopes(real_envelopes), label="envelope")
    properties = {"content_type": data.draw(content_types), "headers": data.draw(header_tables)}

    bus.publish(EXCHANGE, routing_key, body, **{k: v for k, v in properties.items() if v is not None})

    counted.tried("published")
    still_running(fuzzed_cluster, counted)


@given(
    routing_key=st.one_of(st.sampled_from(SERVICES), junk_routing_keys),
    headers=st.one_of(
        header_tables,
        st.fixed_dictionaries(
            {
                "source": st.one_of(st.sampled_from(SERVICES), header_values),
                "position": st.one_of(st.integers(min_value=-(2**63), max_value=2**63 - 1), header_values),
            },
            optional={"extra": header_values},
        ),
    ),
    body=st.one_of(st.just(b"{}"), st.binary(max_size=50)),
)
@fuzz_settings(300)
def test_fuzzed_watermarks_never_stop_a_consumer(
    fuzzed_cluster: Cluster, bus: Bus, routing_key: str, headers: dict[str, Any] | None, body: bytes
) -> None:
    counted = tally("watermark headers")

    bus.publish(WATERMARK_EXCHANGE, routing_key, body, **({"headers": headers} if headers is not None else {}))

    counted.tried("published")
    still_running(fuzzed_cluster, counted)


def test_after_the_fuzz_a_genuine_person_still_flows_and_every_dead_letter_says_why(
    fuzzed_cluster: Cluster, bus: Bus, tmp_path: Path
) -> None:
    # A fresh person: the fuzz forged envelopes about random subjects, never about this one.
    value = f"FZ-{uuid.uuid4().hex[:8]}"
    file = write_jsonl(tmp_path / "final.jsonl", [ex.register_person(value), ex.custodial_sentence(value)])

    code, out, err = cli("import", str(file), "--amqp-uri", fuzzed_cluster.amqp_uri)

    assert code == 0, out + err
    # Polled rather than settled on: a forged watermark far ahead can make the system look settled early.
    deadline = time.monotonic() + WAIT
    kinds: list[str] = []
    while "release.release-dates.calculated" not in kinds and time.monotonic() < deadline:
        kinds = [e["type"] for e in replay(f"{ex.ISSUER}:{value}", "--amqp-uri", fuzzed_cluster.amqp_uri)]
        time.sleep(0.5)
    assert "release.release-dates.calculated" in kinds, kinds
    for service in SERVICES:
        code, out, err = cli("dead-letters", "list", service, "--amqp-uri", fuzzed_cluster.amqp_uri)
        assert code == 0, err
        letters = json.loads(out)
        unexplained = [letter for letter in letters if not str(letter.get("reason") or "").strip()]
        assert unexplained == [], (service, unexplained[:3])
        tally("event envelopes").outcomes[f"dead letters in {service}"] = len(letters)
    still_running(fuzzed_cluster, tally("event envelopes"))
