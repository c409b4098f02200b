"""A person's learning record, served by the programmes service over HTTP and RPC and on the command line."""

from __future__ import annotations

import json
from pathlib import Path
from uuid import uuid4

import pytest

from tests import examples as ex
from tests.embedded.test_programme_learning_record import lines
from tests.integration.cluster import Cluster
from tests.integration.helpers import cli, write_jsonl
from tests.integration.test_programme_reports import get

pytestmark = pytest.mark.integration


def test_the_learning_record_over_http_rpc_and_the_command_line(cluster: Cluster, tmp_path: Path) -> None:
    code, out, err = cli("import", str(write_jsonl(tmp_path / "c.jsonl", lines())), "--amqp-uri", cluster.amqp_uri)
    assert code == 0, err + out
    code, out, err = cli(
        "report", "learning-record", f"{ex.ISSUER}:A1", "--format", "json", "--amqp-uri", cluster.amqp_uri
    )
    assert code == 0, err
    record = json.loads(out)
    assert [c["certificate_no"] for c in record["certificates"]] == ["CERT-A1"]

    assert get(cluster, f"/persons/{record['person_id']}/learning-record") == (200, record)
    assert get(cluster, f"/persons/{uuid4()}/learning-record")[0] == 404
    assert get(cluster, "/persons/not-an-id/learning-record")[0] == 422
