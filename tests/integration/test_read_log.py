"""The read log on the distributed system: reads over RPC and HTTP recorded by the running services, listed by
`pathway reads --amqp-uri`."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from tests import examples as ex
from tests.embedded.test_programme_learning_record import lines
from tests.integration.cluster import Cluster
from tests.integration.helpers import cli, write_jsonl

pytestmark = pytest.mark.integration


def get(cluster: Cluster, service: str, path: str, headers: dict[str, str]) -> tuple[int, Any]:
    request = urllib.request.Request(cluster.url(service, path), headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def reads(cluster: Cluster, person: str) -> list[dict[str, Any]]:
    code, out, err = cli("reads", person, "--format", "json", "--amqp-uri", cluster.amqp_uri, "--reader", "auditor-1")
    assert code == 0, err
    listed: list[dict[str, Any]] = json.loads(out)
    return listed


def test_reads_over_rpc_and_http_are_recorded_and_listed(cluster: Cluster, tmp_path: Path) -> None:
    a1 = f"{ex.ISSUER}:A1"
    code, out, err = cli("import", str(write_jsonl(tmp_path / "c.jsonl", lines())), "--amqp-uri", cluster.amqp_uri)
    assert code == 0, err + out
    assert reads(cluster, a1) == []  # imported, never read

    code, out, err = cli(
        "replay", a1, "--format", "json", "--amqp-uri", cluster.amqp_uri, "--reader", "ivy", "--purpose", "audit 9"
    )
    assert code == 0, err
    person_id = next(e["data"]["person_id"] for e in json.loads(out) if e["type"] == "intake.person.registered")
    headers = {"X-Pathway-Reader": "jo", "X-Pathway-Purpose": "appeal", "X-Pathway-Agency": "court"}
    status, events = get(cluster, "intake", f"/persons/{person_id}/events", headers)
    assert (status, events[0]["type"]) == (200, "intake.person.registered")
    assert get(cluster, "programmes", f"/persons/{person_id}/learning-record", {})[0] == 200

    listed = reads(cluster, a1)

    assert [(r["service"], r["what"], r["how"], r["reader"], r["purpose"], r["agency"]) for r in listed] == [
        ("intake", "reads", "rpc", "auditor-1", None, None),  # the first listing, above
        ("programmes", "reads", "rpc", "auditor-1", None, None),
        ("release", "reads", "rpc", "auditor-1", None, None),
        ("intake", "replay", "rpc", "ivy", "audit 9", None),
        ("programmes", "replay", "rpc", "ivy", "audit 9", None),
        ("release", "replay", "rpc", "ivy", "audit 9", None),
        ("intake", "replay", "http", "jo", "appeal", "court"),
        ("programmes", "learning-record", "http", "unstated", None, None),
    ]
    assert {r["person_id"] for r in listed} == {person_id}
    assert [r["read_at"] for r in listed] == sorted(r["read_at"] for r in listed)
    replayed = cli("replay", a1, "--format", "json", "--amqp-uri", cluster.amqp_uri)[1]
    assert not any("read" in entry["type"] for entry in json.loads(replayed))
