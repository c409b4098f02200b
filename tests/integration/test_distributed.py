"""The same services as separate processes over the real RabbitMQ and PostgreSQL."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import psycopg
import pytest

from pathway.cohort import demo_cohort
from tests import examples as ex
from tests.integration.cluster import POSTGRES, Cluster
from tests.integration.helpers import assert_same_pathways, cli, people_in, write_jsonl

pytestmark = pytest.mark.integration


def test_a_cohort_gives_the_same_pathways_as_the_embedded_run(cluster: Cluster, tmp_path: Path) -> None:
    lines = ex.catalogue() + ex.custodial_pathway("A1") + ex.non_custodial_pathway("B1") + ex.left_early_pathway("C1")
    lines += demo_cohort(12, prefix="M")
    file = write_jsonl(tmp_path / "cohort.jsonl", lines)

    code, out, err = cli("import", str(file), "--amqp-uri", cluster.amqp_uri)
    assert code == 0, err
    assert "0 failed" in out
    assert cli("import", str(file), "--data", str(tmp_path / "embedded"))[0] == 0

    assert_same_pathways(people_in(lines), cluster, tmp_path / "embedded")
    again = cli("import", str(file), "--amqp-uri", cluster.amqp_uri)
    assert again[0] == 0
    assert " 0 applied" in again[1]  # the same file twice changes nothing


def post(cluster: Cluster, service: str, command: str, body: Any) -> tuple[int, Any]:
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    request = urllib.request.Request(cluster.url(service, f"/commands/{command}"), data=data, method="POST")
    request.add_header("Content-Type", "application/json")  # urllib would say it is a form, which is refused
    return _send(request)


def get(cluster: Cluster, service: str, path: str) -> tuple[int, Any]:
    return _send(urllib.request.Request(cluster.url(service, path)))


def _send(request: urllib.request.Request) -> tuple[int, Any]:
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_http_commands_answer_with_the_documented_statuses(cluster: Cluster) -> None:
    registration = ex.register_person("H1")["data"]

    status, body = post(cluster, "intake", "register_person", registration)
    assert status == 200
    assert body["status"] == "applied"
    person_id = body["result"]["person_id"]
    assert post(cluster, "intake", "register_person", registration) == (
        200,
        {"status": "skipped", "result": {"person_id": person_id}},
    )

    status, body = post(cluster, "intake", "register_person", {**registration, "sex": "robot", "extra": 1})
    assert status == 422
    assert {e["field"] for e in body["errors"]} == {"sex", "(command)"}  # an unknown key is not echoed
    assert "robot" not in json.dumps(body)

    assert post(cluster, "intake", "admit", ex.admit("H1")["data"])[0] == 409
    unknown = {**ex.admit("H1")["data"], "national_id": None, "person_id": "00000000-0000-0000-0000-000000000000"}
    assert post(cluster, "intake", "admit", unknown) == (404, {"error": "person_id: unknown person"})
    assert post(cluster, "intake", "teleport", {})[0] == 404
    assert post(cluster, "intake", "admit", b"{not json")[0] == 422

    status, events = get(cluster, "intake", f"/persons/{person_id}/events")
    assert status == 200
    assert [e["type"] for e in events] == ["intake.person.registered"]
    assert get(cluster, "intake", "/persons/00000000-0000-0000-0000-000000000000/events")[0] == 404


def test_the_occupancy_report_is_served_over_http_and_rpc(cluster: Cluster) -> None:
    facility = ex.line("intake", "declare_facility", facility="OCC-1", name="Occupancy test", capacity=2)["data"]
    assert post(cluster, "intake", "declare_facility", facility)[0] == 200

    status, rows = get(cluster, "intake", "/reports/occupancy?on=2025-02-15")
    assert status == 200
    assert {"facility": "OCC-1", "capacity": 2, "occupancy": 0}.items() <= next(
        row for row in rows if row["facility"] == "OCC-1"
    ).items()
    assert get(cluster, "intake", "/reports/occupancy?on=someday")[0] == 422
    code, out, _ = cli("report", "occupancy", "--on", "2025-02-15", "--format", "json", "--amqp-uri", cluster.amqp_uri)
    assert code == 0
    assert "average_pretrial_days" not in out
    assert any(row["facility"] == "OCC-1" for row in json.loads(out))

    status, trend = get(cluster, "intake", "/reports/occupancy-trend?from=2025-02-01&to=2025-02-15&every=7")
    assert status == 200
    assert [row["on"] for row in trend if row["facility"] == "OCC-1"] == ["2025-02-01", "2025-02-08", "2025-02-15"]
    status, refused = get(cluster, "intake", "/reports/occupancy-trend?from=2025-02-15&to=2025-02-01")
    assert (status, refused) == (422, {"errors": [{"field": "to", "problem": "must be on or after from"}]})
    argv = ("--from", "2025-02-01", "--to", "2025-02-15", "--every", "7", "--format", "json")
    code, out, _ = cli("report", "occupancy-trend", *argv, "--amqp-uri", cluster.amqp_uri)
    assert code == 0
    assert json.loads(out) == trend


def test_a_redelivered_event_has_no_second_effect(cluster: Cluster, tmp_path: Path) -> None:
    from pathway.processes import build_postgres
    from pathway.services import SERVICES
    from shared.eventstore.reading import NumberedEvent, notifications_after
    from shared.messaging.amqp import AmqpPublisher
    from shared.messaging.translation import envelope_for

    lines = [ex.register_person("R1"), ex.custodial_sentence("R1"), ex.admit("R1")]
    assert cli("import", str(write_jsonl(tmp_path / "r.jsonl", lines)), "--amqp-uri", cluster.amqp_uri)[0] == 0
    before = _heads(cluster)

    intake = build_postgres("intake", cluster.env())
    try:
        envelopes = []
        for notification in notifications_after(intake, 0, 10_000):
            numbered = NumberedEvent(notification.id, intake.mapper.to_domain_event(notification))
            envelope = envelope_for("intake", numbered, SERVICES["intake"].translate)
            if envelope is not None:
                envelopes.append(envelope)
    finally:
        intake.close()
    publisher = AmqpPublisher(cluster.relay_uri("intake"))  # as intake's relay: genuine, only repeated
    try:
        publisher.publish(envelopes)  # every intake event delivered a second time
    finally:
        publisher.close()
    _settle(cluster)

    assert _heads(cluster) == before


def _remote(cluster: Cluster) -> Any:
    from pathway.remote import RemoteSystem

    return RemoteSystem(cluster.amqp_uri)


def _settle(cluster: Cluster) -> None:
    with _remote(cluster) as remote:
        remote.settle()


def _heads(cluster: Cluster) -> dict[str, int]:
    with _remote(cluster) as remote:
        remote.settle()
        return {name: status["head"] for name, status in remote.statuses().items()}


def test_two_concurrent_calls_into_one_service_do_not_block_each_other(cluster: Cluster) -> None:
    """A worker waiting on PostgreSQL must not stall the others (psycopg under eventlet, docs/STACK.md, trap 3)."""
    outcome: dict[str, Any] = {}
    with psycopg.connect(dbname=cluster.databases["intake"], **POSTGRES) as blocker:  # type: ignore[arg-type]
        blocker.execute("LOCK TABLE intake_events IN ACCESS EXCLUSIVE MODE")  # held until the block ends

        def blocked_command() -> None:
            outcome["command"] = post(cluster, "intake", "register_person", ex.register_person("LOCK1")["data"])

        worker = threading.Thread(target=blocked_command)
        worker.start()
        worker.join(timeout=1.0)
        assert worker.is_alive(), "the command should be waiting for the table lock"

        assert get(cluster, "intake", "/health")[0] == 200  # answered while the other worker waits
        assert worker.is_alive()
    worker.join(timeout=30)
    assert outcome["command"][0] == 200
