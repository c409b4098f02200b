"""A recall end to end over the real RabbitMQ and PostgreSQL: release decides and executes, intake admits."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from shared.contracts.base import NationalId, person_id_for
from tests import examples as ex
from tests.examples import ISSUER
from tests.integration.cluster import Cluster
from tests.integration.helpers import assert_same_pathways, cli, replay, write_jsonl

pytestmark = pytest.mark.integration

LOOP = [
    "release.person.released",
    "release.violation.recorded",
    "release.person.heard",
    "release.alternatives.considered",
    "release.violation-response.decided",
    "release.recall.decided",
    "release.recall.executed",
    "intake.person.admitted",
    "intake.admission.recorded",
]


def test_a_violation_a_revocation_and_a_recall_executed_bring_the_person_back_to_intake(
    cluster: Cluster, tmp_path: Path
) -> None:
    released = [ex.register_person("RL1"), ex.custodial_sentence("RL1"), ex.admit("RL1"), ex.release("RL1")]
    file = write_jsonl(tmp_path / "recall.jsonl", released + ex.recall_loop("RL1"))

    code, out, err = cli("import", str(file), "--amqp-uri", cluster.amqp_uri)

    assert code == 0, err
    assert "0 failed" in out
    entries = replay(f"{ISSUER}:RL1", "--amqp-uri", cluster.amqp_uri)
    kinds = [entry["type"] for entry in entries]
    after_release = kinds[kinds.index("release.person.released") :]
    loop = [kind for kind in after_release if kind in LOOP]
    assert loop == LOOP, kinds  # in order: the recall executed, then intake's recall admission
    admitted = [e["data"] for e in entries if e["type"] == "intake.person.admitted"]
    assert [a["facility"] for a in admitted] == ["Test Prison", "Recall Prison"]
    (record,) = [e["data"] for e in entries if e["type"] == "intake.admission.recorded"]
    assert (record["reason"], record["commitment_order"]["kind"]) == ("recall", "recall")
    statuses = [e["data"]["status"] for e in entries if e["type"] == "intake.legal-status.changed"]
    assert statuses[-1] == "recall"

    assert cli("import", str(file), "--data", str(tmp_path / "embedded"))[0] == 0
    assert_same_pathways([f"{ISSUER}:RL1"], cluster, tmp_path / "embedded")


def test_release_reports_over_rpc_match_the_local_stores(cluster: Cluster, tmp_path: Path) -> None:
    released = [ex.register_person("RL2"), ex.custodial_sentence("RL2"), ex.admit("RL2"), ex.release("RL2")]
    file = write_jsonl(tmp_path / "released.jsonl", released)
    assert cli("import", str(file), "--amqp-uri", cluster.amqp_uri)[0] == 0
    assert cli("import", str(file), "--data", str(tmp_path / "embedded"))[0] == 0
    person = str(person_id_for(NationalId(issuer=ISSUER, value="RL2")))

    def rows(report: str, *source: str) -> list[dict[str, Any]]:
        code, out, err = cli("report", report, "--on", "2026-03-01", "--format", "json", *source)
        assert code == 0, err
        found: list[dict[str, Any]] = json.loads(out)
        return found

    for report in ("releases-flagged", "unexplained-conditions"):  # the cluster holds other people too
        remote = [row for row in rows(report, "--amqp-uri", cluster.amqp_uri) if row["person_id"] == person]
        assert remote == rows(report, "--data", str(tmp_path / "embedded")), report
        assert len(remote) == 1, report
    (unassigned,) = [row for row in rows("caseload", "--amqp-uri", cluster.amqp_uri) if row["officer_id"] is None]
    assert person in unassigned["person_ids"]
