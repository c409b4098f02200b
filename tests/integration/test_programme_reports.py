"""The programmes report and a waiting list, served by the programmes service over HTTP and RPC."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from tests import examples as ex
from tests.embedded.test_programme_places import cohort
from tests.integration.cluster import Cluster
from tests.integration.helpers import cli, write_jsonl

pytestmark = pytest.mark.integration


def get(cluster: Cluster, path: str) -> tuple[int, Any]:
    try:
        with urllib.request.urlopen(cluster.url("programmes", path), timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_places_waiting_and_completion_over_http_rpc_and_the_command_line(cluster: Cluster, tmp_path: Path) -> None:
    code, out, err = cli("import", str(write_jsonl(tmp_path / "c.jsonl", cohort())), "--amqp-uri", cluster.amqp_uri)
    assert code == 0, err + out
    status, before = get(cluster, "/reports/programmes")  # the service keeps this read model from here on
    assert (status, before[0]["completed"], before[0]["completion_rate"]) == (200, 0, None)
    completing = [ex.attend("A1", "2025-02-08"), ex.attend("A1", "2025-02-15"), ex.complete_programme("A1")]
    code, out, err = cli("import", str(write_jsonl(tmp_path / "d.jsonl", completing)), "--amqp-uri", cluster.amqp_uri)
    assert code == 0, err + out
    expected = {
        "programme_id": "P-WELD",
        "capacity": 1,
        "enrolled": 1,
        "waiting": 2,
        "completed": 1,
        "dropped_out": 0,
        "completion_rate": 1.0,
    }

    assert get(cluster, "/reports/programmes") == (200, [expected])
    status, waiting = get(cluster, "/programmes/P-WELD/waiting-list")
    assert status == 200
    assert [(row["position"], row["referral_id"]) for row in waiting] == [(1, "R-C1-P-WELD"), (2, "R-D1-P-WELD")]
    assert get(cluster, "/programmes/NOPE/waiting-list")[0] == 404
    code, out, _ = cli("report", "programmes", "--format", "json", "--amqp-uri", cluster.amqp_uri)
    assert code == 0
    assert json.loads(out) == [expected]
