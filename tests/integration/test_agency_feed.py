"""An outside agency consumes the public events: its own durable queue bound to the exchange by type pattern,
envelopes that read back into their contracts, one per event, each person's in order, no personal data."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from kombu import Connection, Exchange, Queue

from shared.contracts.envelope import Envelope
from shared.messaging.topology import EXCHANGE
from tests import examples as ex
from tests.integration.cluster import Cluster
from tests.integration.helpers import cli, write_jsonl

pytestmark = pytest.mark.integration


def received(cluster: Cluster, queue_name: str, wanted: int) -> list[Envelope]:
    envelopes: list[Envelope] = []
    with Connection(cluster.amqp_uri) as connection:
        queue = Queue(queue_name, durable=True)(connection.channel())
        deadline = time.monotonic() + 30
        while len(envelopes) < wanted and time.monotonic() < deadline:
            message = queue.get(no_ack=False)
            if message is None:
                time.sleep(0.05)
                continue
            envelopes.append(Envelope.model_validate_json(message.body))
            message.ack()  # after its effect: an agency acks what it has stored
    return envelopes


def test_an_agency_binds_its_own_queue_and_reads_every_release_event_once_in_order(
    cluster: Cluster, tmp_path: Path
) -> None:
    with Connection(cluster.amqp_uri) as connection:
        exchange = Exchange(EXCHANGE, type="topic", durable=True)
        # An agency's queue: durable, its own name, bound before the events it wants are published.
        Queue("agency.probation-service", exchange=exchange, routing_key="release.#", durable=True)(
            connection.channel()
        ).declare()
    lines: list[dict[str, Any]] = [
        *ex.catalogue(), *ex.custodial_pathway("AG1"), ex.register_person("AG2"), ex.non_custodial_measure("AG2"),
    ]  # fmt: skip
    code, out, err = cli("import", str(write_jsonl(tmp_path / "ag.jsonl", lines)), "--amqp-uri", cluster.amqp_uri)
    assert code == 0, err + out
    expected = [e for p in ("AG1", "AG2") for e in json.loads(cli("replay", f"{ex.ISSUER}:{p}", "--format", "json",
                "--amqp-uri", cluster.amqp_uri)[1]) if e["service"] == "release"]  # fmt: skip

    envelopes = received(cluster, "agency.probation-service", len(expected))

    assert len(envelopes) == len(expected)
    assert len({e.event_id for e in envelopes}) == len(envelopes)  # once each
    assert {e.type for e in envelopes} == {e["type"] for e in expected}
    assert all(e.type.startswith("release.") for e in envelopes)
    for envelope in envelopes:
        envelope.event()  # reads back into its public contract
        assert "given_name" not in envelope.payload
        assert "date_of_birth" not in envelope.payload
    for subject in {e.subject for e in envelopes}:
        versions = [e.notification_id for e in envelopes if e.subject == subject]
        assert versions == sorted(versions)  # each person's events in the order release recorded them
