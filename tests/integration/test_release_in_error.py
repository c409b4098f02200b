"""A release recorded in error, over the real RabbitMQ and PostgreSQL: intake restores the custody it ended."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests import examples as ex
from tests.examples import ISSUER
from tests.integration.cluster import Cluster
from tests.integration.helpers import assert_same_pathways, cli, replay, write_jsonl

pytestmark = pytest.mark.integration


def occupancy(on: str, *source: str) -> int:
    code, out, err = cli("report", "occupancy", "--on", on, "--format", "json", *source)
    assert code == 0, err
    rows: list[dict[str, Any]] = json.loads(out)
    return sum(row["occupancy"] for row in rows if row["facility"] == "Error Prison")


def test_a_release_recorded_in_error_puts_the_person_back_in_custody_in_intake(
    cluster: Cluster, tmp_path: Path
) -> None:
    lines = [
        ex.register_person("RE1"),
        ex.custodial_sentence("RE1"),
        ex.admit("RE1", facility="Error Prison"),
        ex.release("RE1"),
        ex.line("release", "record_release_in_error", national_id=ex.nid("RE1"), released_on="2026-02-14",
                reason="released on the wrong warrant"),
        ex.release("RE1", release_type="sentence_served", released_on="2026-09-02"),
    ]  # fmt: skip
    file = write_jsonl(tmp_path / "in-error.jsonl", lines)

    code, out, err = cli("import", str(file), "--amqp-uri", cluster.amqp_uri)

    assert code == 0, err
    assert "0 failed" in out
    kinds = [entry["type"] for entry in replay(f"{ISSUER}:RE1", "--amqp-uri", cluster.amqp_uri)]
    assert kinds.index("release.release.recorded-in-error") > kinds.index("release.person.released")
    assert occupancy("2026-03-01", "--amqp-uri", cluster.amqp_uri) == 1  # the stay continued
    assert occupancy("2026-09-02", "--amqp-uri", cluster.amqp_uri) == 0

    assert cli("import", str(file), "--data", str(tmp_path / "embedded"))[0] == 0
    assert occupancy("2026-03-01", "--data", str(tmp_path / "embedded")) == 1
    assert_same_pathways([f"{ISSUER}:RE1"], cluster, tmp_path / "embedded")
