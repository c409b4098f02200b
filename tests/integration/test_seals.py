"""Seals on the real RabbitMQ and PostgreSQL: each relay process seals what it publishes, each service verifies
its own store over RPC, and `pathway verify --amqp-uri` finds an event changed in PostgreSQL behind its back."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

import psycopg
import pytest

from pathway.cohort import demo_cohort
from pathway.processes import build_postgres
from tests import examples as ex
from tests.integration.cluster import POSTGRES, SERVICES, Cluster
from tests.integration.helpers import cli, write_jsonl

pytestmark = pytest.mark.integration

HEAD = re.compile(r"^\s+head\s+(\w+:\d+:[0-9a-f]{64})$", re.MULTILINE)


def ask_every_service(cluster: Cluster, expected: dict[str, list[list[Any]]] | None = None) -> dict[str, Any]:
    from pathway.remote import RemoteSystem

    with RemoteSystem(cluster.amqp_uri) as remote:
        statuses = remote.statuses()
        reports = {name: remote.service(name).verify_store((expected or {}).get(name, [])) for name in SERVICES}
    return {name: {**reports[name], "head_now": statuses[name]["head"]} for name in SERVICES}


def import_lines(cluster: Cluster, tmp_path: Path, name: str, lines: list[dict[str, Any]]) -> None:
    code, out, err = cli("import", str(write_jsonl(tmp_path / name, lines)), "--amqp-uri", cluster.amqp_uri)
    assert code == 0, err
    assert "0 failed" in out


def test_every_store_is_sealed_up_to_its_head_once_settled(cluster: Cluster, tmp_path: Path) -> None:
    import_lines(cluster, tmp_path, "first.jsonl", ex.catalogue() + ex.custodial_pathway("S1"))
    import_lines(cluster, tmp_path, "second.jsonl", ex.non_custodial_pathway("S2"))  # settled between the two

    reports = ask_every_service(cluster)

    for name, report in reports.items():
        assert report["status"] == "intact", (name, report)
        assert report["events_checked"] == report["sealed_up_to"] == report["head_now"] > 0, (name, report)
        assert report["not_yet_sealed"] == 0
        assert report["seals_checked"] >= 1
        assert report["head"]["notification_id"] == report["head_now"]
    code, out, err = cli("verify", "--amqp-uri", cluster.amqp_uri)
    assert (code, err) == (0, ""), out
    heads = HEAD.findall(out)
    assert heads == [f"{n}:{reports[n]['head']['notification_id']}:{reports[n]['head']['chain']}" for n in SERVICES]
    code, out, err = cli("verify", "--amqp-uri", cluster.amqp_uri, *(f"--expect={head}" for head in heads))
    assert (code, err) == (0, ""), out
    assert out.count("1 kept head checked") == 3


def test_a_relay_killed_mid_stream_seals_on_from_where_it_was(cluster: Cluster, tmp_path: Path) -> None:
    from tests.integration.test_failures import import_in_background, status, wait_until

    loading = import_in_background(cluster, write_jsonl(tmp_path / "cohort.jsonl", demo_cohort(16, prefix="V")))
    start = status(cluster)["intake"]["relay_position"]
    wait_until(lambda: status(cluster)["intake"]["relay_position"] > start + 20 or loading.poll() is not None)
    assert loading.poll() is None, "the import ended before the kill; make the cohort larger"
    cluster.kill("relay", "intake")  # SIGKILL, between any two of its writes
    time.sleep(0.5)
    cluster.start("relay", "intake")
    _out, err = loading.communicate(timeout=600)

    assert loading.returncode == 0, err
    intake = ask_every_service(cluster)["intake"]
    assert intake["status"] == "intact", intake
    assert intake["sealed_up_to"] == intake["head_now"]


def test_an_event_changed_in_postgresql_is_reported_naming_the_service_and_the_range(
    cluster: Cluster, tmp_path: Path
) -> None:
    import_lines(cluster, tmp_path, "third.jsonl", [ex.register_person("S3"), ex.custodial_sentence("S3")])
    kept = ask_every_service(cluster)["release"]["head"]
    app = build_postgres("release", cluster.env())
    table = app.recorder.events_table_name  # type: ignore[attr-defined]
    app.close()
    with psycopg.connect(dbname=cluster.databases["release"], autocommit=True, **POSTGRES) as db:  # type: ignore[arg-type]
        (target,) = db.execute(
            f"SELECT notification_id FROM {table} ORDER BY notification_id OFFSET 2 LIMIT 1"
        ).fetchone()
        db.execute(f"UPDATE {table} SET state = state || '\\x20'::bytea WHERE notification_id = %s", (target,))
        try:
            code, out, err = cli("verify", "--amqp-uri", cluster.amqp_uri)
            release = ask_every_service(cluster, {"release": [[kept["notification_id"], kept["chain"]]]})["release"]
        finally:
            db.execute(
                f"UPDATE {table} SET state = substring(state from 1 for length(state) - 1) WHERE notification_id = %s",
                (target,),
            )

    assert code == 1
    found = re.search(r"pathway verify: release was altered: notifications (\d+) to (\d+): ", err)
    assert found, err
    assert int(found[1]) <= target <= int(found[2])
    assert "changed, removed or added since it was sealed" in err
    assert "intake      intact" in out
    assert release["status"] == "altered"
    assert (release["altered"]["from"], release["altered"]["to"]) == (int(found[1]), int(found[2]))
    assert cli("verify", "--amqp-uri", cluster.amqp_uri)[0] == 0  # put back as it was: intact again
