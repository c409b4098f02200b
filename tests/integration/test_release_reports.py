"""Reoffending and follow-ups over the real RabbitMQ and PostgreSQL: the same figures as the embedded system."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from shared.contracts.base import NationalId, person_id_for
from tests import examples as ex
from tests.embedded.test_reoffending import EXPECTED, cohort
from tests.examples import ISSUER
from tests.integration.cluster import Cluster
from tests.integration.helpers import cli, write_jsonl

pytestmark = pytest.mark.integration

# A duplicate record of C2 with a follow-up of its own, merged into C2: counted once; the merge reaches release.
DUPLICATE = [
    ex.register_person("C2X"),
    ex.custodial_sentence("C2X", decision_id="D-C2X"),
    ex.admit("C2X"),
    ex.release("C2X", release_type="sentence_served", released_on="2026-09-02"),
    ex.record_outcome("C2X", recorded_on="2027-03-01", follow_up_months=6),
]


def report(name: str, *more: str) -> Any:
    code, out, err = cli("report", name, "--on", "2028-06-01", "--format", "json", *more)
    assert code == 0, err
    return json.loads(out)


def http_get(cluster: Cluster, path: str) -> tuple[int, Any]:
    try:
        with urllib.request.urlopen(cluster.url("release", path), timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_reoffending_and_follow_ups_over_rpc_and_http_equal_the_embedded_ones(cluster: Cluster, tmp_path: Path) -> None:
    merged = str(person_id_for(NationalId(issuer=ISSUER, value="C2X")))
    merge = ex.line("intake", "merge_persons", national_id=ex.nid("C2"), merged_person_id=merged, reason="duplicate")
    file = write_jsonl(tmp_path / "cohort.jsonl", [*cohort(), *DUPLICATE, merge])
    embedded = str(tmp_path / "embedded")
    for source in (("--amqp-uri", cluster.amqp_uri), ("--data", embedded)):
        code, out, err = cli("import", str(file), *source)
        assert code == 0, err
        assert "0 failed" in out

    remote = report("reoffending", "--amqp-uri", cluster.amqp_uri)
    assert remote == report("reoffending", "--data", embedded) == EXPECTED  # C2 and C2X are one person
    follow_ups = report("followups-due", "--within", "0", "--amqp-uri", cluster.amqp_uri)
    assert follow_ups == report("followups-due", "--within", "0", "--data", embedded)
    survivor = str(person_id_for(NationalId(issuer=ISSUER, value="C2")))
    assert {row["person_id"] for row in follow_ups if row["recorded_on"] == "2027-03-01"} == {survivor}

    assert http_get(cluster, "/reports/reoffending?on=2028-06-01") == (200, EXPECTED)
    assert http_get(cluster, "/reports/followups-due?on=2028-06-01&within=0") == (200, follow_ups)
    status, body = http_get(cluster, "/reports/followups-due?on=someday")
    assert (status, body["errors"][0]["field"]) == (422, "on")


def test_absurd_report_parameters_answer_422_naming_them(cluster: Cluster) -> None:
    for path, field in [
        ("/reports/releases-due?on=9999-12-31", "on"),
        ("/reports/releases-due?on=2026-01-01&days=99999999999", "days"),
        ("/reports/followups-due?on=2026-01-01&within=99999999999", "within"),
    ]:
        status, body = http_get(cluster, path)
        assert (status, [p["field"] for p in body["errors"]]) == (422, [field]), path
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(cluster.url("intake", "/reports/occupancy?on=9999-12-31"), timeout=30)
    assert (refused.value.code, json.loads(refused.value.read())["errors"][0]["field"]) == (422, "on")
