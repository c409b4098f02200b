"""Killed processes, standbys and dead letters on the real RabbitMQ and PostgreSQL."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from kombu import Connection, Queue

from pathway.cohort import demo_cohort
from pathway.processes import build_postgres
from shared.eventstore.reading import events_of
from shared.messaging.amqp import DEAD_LETTER_QUEUE, AmqpConsumerLoop, dead_letter_exchange
from shared.messaging.consumer import TrackedConsumer
from tests import examples as ex
from tests.integration.cluster import Cluster
from tests.integration.helpers import assert_same_pathways, cli, people_in, replay, write_jsonl

pytestmark = pytest.mark.integration


def status(cluster: Cluster) -> dict[str, Any]:
    from pathway.remote import RemoteSystem

    with RemoteSystem(cluster.amqp_uri) as remote:
        return remote.statuses()


def import_in_background(cluster: Cluster, file: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "pathway.cli", "import", str(file), "--amqp-uri", cluster.amqp_uri],
        env=cluster.env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_until(condition: Any, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def test_killing_a_consumer_and_a_relay_mid_import_loses_nothing_and_repeats_nothing(
    cluster: Cluster, tmp_path: Path
) -> None:
    lines = demo_cohort(16, prefix="K")
    file = write_jsonl(tmp_path / "cohort.jsonl", lines)
    loading = import_in_background(cluster, file)
    wait_until(lambda: status(cluster)["release"]["head"] >= 60 or loading.poll() is not None)
    assert loading.poll() is None, "the import ended before the kill; make the cohort larger"

    cluster.kill("consume", "release")  # SIGKILL, mid-stream
    cluster.kill("relay", "intake")
    time.sleep(1.0)
    cluster.start("consume", "release")
    cluster.start("relay", "intake")
    out, err = loading.communicate(timeout=600)

    assert loading.returncode == 0, err
    assert "0 failed" in out
    assert cli("import", str(file), "--data", str(tmp_path / "embedded"))[0] == 0
    assert_same_pathways(people_in(lines), cluster, tmp_path / "embedded")
    assert all(s["dead_letters"] == 0 for s in status(cluster).values())


def test_a_standby_consumer_takes_over_and_each_persons_order_is_kept(cluster: Cluster, tmp_path: Path) -> None:
    cluster.start("consume", "release", index=1)  # a second instance: single active consumer keeps it standing by
    cluster.wait_for_log("consume", "release", "subscribed to", time.monotonic() + 60, index=1)
    lines = demo_cohort(12, prefix="S")
    file = write_jsonl(tmp_path / "cohort.jsonl", lines)
    loading = import_in_background(cluster, file)
    wait_until(lambda: status(cluster)["release"]["head"] >= 40 or loading.poll() is not None)

    cluster.kill("consume", "release", index=0)  # the active one, or the standby: either way nothing may change
    _, err = loading.communicate(timeout=600)  # only the second instance is left to finish the work
    cluster.start("consume", "release", index=0)
    cluster.kill("consume", "release", index=1)  # back to one instance for the next tests

    assert loading.returncode == 0, err
    assert cli("import", str(file), "--data", str(tmp_path / "embedded"))[0] == 0
    assert_same_pathways(people_in(lines), cluster, tmp_path / "embedded")
    assert_release_applied_intake_events_in_order(cluster, people_in(lines))


def assert_release_applied_intake_events_in_order(cluster: Cluster, people: list[str]) -> None:
    """Release's record of each person follows intake's order: registered, sentenced, then first admitted."""
    expected = ["ReleaseCase.Opened", "ReleaseCase.ReleaseDatesCalculated", "ReleaseCase.CustodyStarted"]
    release = build_postgres("release", cluster.env())
    try:
        for person in people:
            person_id = UUID(replay(person, "--amqp-uri", cluster.amqp_uri)[0]["data"]["person_id"])
            names = [type(e.event).__qualname__ for e in events_of(release, [person_id])]
            seen = [name for name in dict.fromkeys(names) if name in expected]  # first of each: a recall readmits
            assert seen == [name for name in expected if name in seen], (person, names)
    finally:
        release.close()


def test_a_failing_reaction_is_dead_lettered_with_its_reason_and_replayed_after_the_fix(
    cluster: Cluster, tmp_path: Path
) -> None:
    cluster.kill("consume", "release")  # the deployed consumer goes; a broken build takes its place
    stop = threading.Event()
    broken_app = build_postgres("release", cluster.env())
    broken = TrackedConsumer(broken_app)

    def fails(envelope: Any, event: Any) -> Any:
        raise RuntimeError("release rules table missing")

    broken.policies = {**broken.policies, "intake.court-decision.recorded": fails}
    runner = threading.Thread(target=AmqpConsumerLoop(cluster.amqp_uri, broken, stop).run, daemon=True)
    runner.start()
    try:
        lines = [ex.register_person("DL1"), ex.custodial_sentence("DL1"), ex.admit("DL1")]
        code, out, _ = cli("import", str(write_jsonl(tmp_path / "f.jsonl", lines)), "--amqp-uri", cluster.amqp_uri)
        assert code == 1
        assert "set aside as dead letters" in out
    finally:
        stop.set()
        runner.join(timeout=30)
        broken_app.close()

    code, out, _ = cli("dead-letters", "list", "release", "--amqp-uri", cluster.amqp_uri)
    letters = json.loads(out)
    assert [(d["type"], d["state"]) for d in letters] == [
        ("intake.court-decision.recorded", "failed"),
        ("intake.person.admitted", "held"),
    ]
    assert "RuntimeError" in letters[0]["reason"]
    assert_copy_on_the_bus(cluster, "intake.court-decision.recorded")
    assert dead_letters_by_service(cluster) == {"intake": 0, "programmes": 0, "release": 1}  # one person's

    cluster.start("consume", "release")  # the fixed build is deployed
    code, out, _ = cli("dead-letters", "replay", "release", "--amqp-uri", cluster.amqp_uri)

    assert code == 0
    assert "2 dead letters applied, 0 still failing" in out
    assert "release.release-dates.calculated" in [
        e["type"] for e in replay(f"{ex.ISSUER}:DL1", "--amqp-uri", cluster.amqp_uri)
    ]
    assert json.loads(cli("dead-letters", "list", "release", "--amqp-uri", cluster.amqp_uri)[1]) == []
    assert dead_letters_by_service(cluster) == {"intake": 0, "programmes": 0, "release": 0}


def dead_letters_by_service(cluster: Cluster) -> dict[str, int]:
    # Read as figures only: while the deployed consumer is replaced by the test's, status also (rightly)
    # reports the queue without its `pathway consume` process and exits 1.
    _, out, _ = cli("status", "--amqp-uri", cluster.amqp_uri, "--format", "json")
    return {row["service"]: row["dead_letters"] for row in json.loads(out)["services"]}


def test_status_names_a_service_that_does_not_answer(cluster: Cluster) -> None:
    cluster.kill("serve", "programmes")
    try:
        code, out, _ = cli("status", "--amqp-uri", cluster.amqp_uri, "--timeout", "2")
        assert code == 1
        assert "programmes   did not answer" in out
        assert [line.split()[0] for line in out.splitlines()[1:4]] == ["intake", "programmes", "release"]
    finally:
        cluster.start("serve", "programmes")
        cluster.wait_ready()
    code, out, _ = cli("status", "--amqp-uri", cluster.amqp_uri, "--format", "json")
    assert code == 0
    assert all(row["reachable"] for row in json.loads(out)["services"])


def assert_copy_on_the_bus(cluster: Cluster, event_type: str) -> None:
    with Connection(cluster.amqp_uri) as connection:
        queue = Queue(DEAD_LETTER_QUEUE, exchange=dead_letter_exchange, routing_key="#", durable=True)(
            connection.channel()
        )
        message = None
        deadline = time.monotonic() + 10
        while message is None and time.monotonic() < deadline:
            message = queue.get(no_ack=True)
            time.sleep(0.05)
        assert message is not None, "no copy of the dead letter on the bus"
        assert "RuntimeError" in message.headers["x-pathway-reason"]
        assert json.loads(message.body)["type"] == event_type


def test_one_relay_publishes_while_another_stands_by_and_takes_over(cluster: Cluster, tmp_path: Path) -> None:
    cluster.start("relay", "intake", index=1)
    cluster.wait_for_log("relay", "intake", "another instance is active; standing by", time.monotonic() + 60, index=1)

    cluster.kill("relay", "intake", index=0)
    cluster.wait_for_log("relay", "intake", "now the active one", time.monotonic() + 60, index=1)
    lines = [ex.register_person("RL1"), ex.custodial_sentence("RL1")]
    code, _out, err = cli("import", str(write_jsonl(tmp_path / "f.jsonl", lines)), "--amqp-uri", cluster.amqp_uri)
    cluster.start("relay", "intake", index=0)  # back, now as the standby

    assert code == 0, err
    types = [e["type"] for e in replay(f"{ex.ISSUER}:RL1", "--amqp-uri", cluster.amqp_uri)]
    assert types.count("release.release-dates.calculated") == 1
