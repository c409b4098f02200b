"""An agency that subscribes late catches up from the HTTP feed, then follows its queue: it ends with exactly
what an agency bound from the start received, each service's events in the order it recorded them."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from kombu import Connection, Exchange, Queue

from shared.messaging.topology import EXCHANGE
from tests import examples as ex
from tests.integration.cluster import SERVICES, Cluster
from tests.integration.helpers import cli, write_jsonl

pytestmark = pytest.mark.integration


def bind(cluster: Cluster, name: str) -> None:
    """An agency's durable queue, bound to every public event type."""
    with Connection(cluster.amqp_uri) as connection:
        exchange = Exchange(EXCHANGE, type="topic", durable=True)
        Queue(name, exchange=exchange, routing_key="#", durable=True)(connection.channel()).declare()


def drain(cluster: Cluster, name: str) -> list[dict[str, Any]]:
    """Everything in the queue, in delivery order, acked as stored. Called once the system has settled:
    the relays had the broker confirm every message before their position moved, so all are in the queue."""
    bodies = []
    with Connection(cluster.amqp_uri) as connection:
        queue = Queue(name, durable=True)(connection.channel())
        while (message := queue.get(no_ack=False)) is not None:
            bodies.append(json.loads(message.body))
            message.ack()
    return bodies


def get(cluster: Cluster, service: str, **query: Any) -> tuple[int, Any]:
    url = cluster.url(service, "/events?" + urllib.parse.urlencode(query))
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def catch_up(cluster: Cluster, service: str, limit: int) -> tuple[list[dict[str, Any]], int]:
    """Page the service's feed from the start to its head: the envelopes, and the number of pages."""
    envelopes: list[dict[str, Any]] = []
    after, pages = 0, 0
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        status, page = get(cluster, service, after=after, limit=limit)
        assert status == 200, page
        envelopes += page["events"]
        pages += 1
        if page["next_after"] >= page["head"]:
            return envelopes, pages
        assert page["next_after"] > after, "the cursor moves while short of the head"
        after = page["next_after"]
    raise AssertionError(f"{service}: the feed did not reach its head")


def by_source(envelopes: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    return {service: [e for e in envelopes if e["source"] == service] for service in SERVICES}


def imported(cluster: Cluster, tmp_path: Path, name: str, lines: list[dict[str, Any]]) -> None:
    code, out, err = cli("import", str(write_jsonl(tmp_path / f"{name}.jsonl", lines)), "--amqp-uri", cluster.amqp_uri)
    assert code == 0, err + out  # and settled: every relay published its head, every consumer caught up


def test_a_late_agency_catches_up_from_the_feed_then_follows_its_queue_losing_and_doubling_nothing(
    cluster: Cluster, tmp_path: Path
) -> None:
    bind(cluster, "agency.early")
    imported(cluster, tmp_path, "before", ex.catalogue() + ex.custodial_pathway("LT1"))
    bind(cluster, "agency.late")  # first bind, then page: nothing can fall between the two
    imported(cluster, tmp_path, "between", ex.non_custodial_pathway("LT2"))
    fed = {service: catch_up(cluster, service, limit=5) for service in SERVICES}
    imported(cluster, tmp_path, "after", ex.left_early_pathway("LT3"))

    early = by_source(drain(cluster, "agency.early"))
    late_queue = drain(cluster, "agency.late")

    # The late agency: the feed's history first, then its queue, dropping what it already has by event_id.
    stored: dict[str, list[dict[str, Any]]] = {service: list(fed[service][0]) for service in SERVICES}
    seen = {e["event_id"] for found in stored.values() for e in found}
    repeats = 0
    for envelope in late_queue:
        if envelope["event_id"] in seen:
            repeats += 1
            continue
        seen.add(envelope["event_id"])
        stored[envelope["source"]].append(envelope)

    for service in SERVICES:
        ids = [e["event_id"] for e in early[service]]
        assert ids, f"{service} published something"
        assert len(set(ids)) == len(ids), f"{service}: the early queue got each event once"
        assert [e["event_id"] for e in stored[service]] == ids, f"{service}: same events, same order"
        history, pages = fed[service]
        assert history == early[service][: len(history)], f"{service}: the feed's envelopes are the queue's"
        assert pages > 1, f"{service}: paged"
    assert repeats > 0, "the events published between binding and paging came both ways"
    assert len(late_queue) < sum(len(found) for found in early.values()), "the queue alone missed the history"


def test_the_feed_over_rpc_from_the_command_line_and_its_refusals_over_http(cluster: Cluster, tmp_path: Path) -> None:
    imported(cluster, tmp_path, "cli", ex.catalogue() + ex.custodial_pathway("LT9"))
    history, _ = catch_up(cluster, "release", limit=1000)

    code, out, err = cli("feed", "release", "--all", "--limit", "3", "--amqp-uri", cluster.amqp_uri)

    assert code == 0, err
    assert [json.loads(line) for line in out.splitlines()] == history
    assert err.startswith("next_after=")
    refused = {"errors": [{"field": "limit", "problem": "must be a whole number from 1 to 1000"}]}
    assert get(cluster, "release", limit=0) == (422, refused)
    status, body = get(cluster, "intake", after="soon")
    assert (status, [p["field"] for p in body["errors"]]) == (422, ["after"])
