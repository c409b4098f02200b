"""The distributed import under outages, on the real RabbitMQ and PostgreSQL: a service that does not answer,
a consumer never started; and the same counts as the embedded import of the same file."""

from __future__ import annotations

import re
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from pathway.cohort import demo_cohort
from tests import examples as ex
from tests.integration.cluster import SERVICES, Cluster, free_ports, require_servers
from tests.integration.helpers import cli, write_jsonl

pytestmark = pytest.mark.integration

COUNTS = re.compile(r"(\d+) lines: (\d+) applied, (\d+) skipped, (\d+) failed")


def counts(summary: str) -> tuple[int, ...]:
    found = COUNTS.search(summary)
    assert found is not None, summary
    return tuple(int(n) for n in found.groups())


def import_distributed(cluster: Cluster, file: Path, *options: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pathway.cli", "import", str(file), "--amqp-uri", cluster.amqp_uri, *options],
        env=cluster.env(),
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_the_demo_cohort_imported_distributed_and_embedded_reports_the_same_counts(
    cluster: Cluster, tmp_path: Path
) -> None:
    lines = demo_cohort(10, prefix="N")
    commands = Counter(line["command"] for line in lines)
    assert min(commands["refer"], commands["change_referral_status"]) > 0  # the lines whose result has a status
    file = write_jsonl(tmp_path / "cohort.jsonl", lines)

    distributed = import_distributed(cluster, file)
    embedded = cli("import", str(file), "--data", str(tmp_path / "embedded"))

    assert distributed.returncode == embedded[0] == 0, distributed.stderr
    assert counts(distributed.stdout) == counts(embedded[1]) == (len(lines), len(lines), 0, 0)
    again = import_distributed(cluster, file)
    assert counts(again.stdout) == (len(lines), 0, len(lines), 0)  # known by the lines' receipts


def test_a_service_that_does_not_answer_is_one_line_naming_it_with_the_summary(
    cluster: Cluster, tmp_path: Path
) -> None:
    file = write_jsonl(tmp_path / "f.jsonl", [ex.register_person("O1"), ex.custodial_sentence("O1")])
    cluster.kill("serve", "programmes")
    try:
        loading = import_distributed(cluster, file, "--timeout", "3")
    finally:
        cluster.start("serve", "programmes")
        cluster.wait_ready()

    assert loading.returncode == 3
    assert "Traceback" not in loading.stderr
    assert loading.stderr.splitlines() == [
        f"{file}: programmes did not answer which reactions it has within 3s (is `pathway serve programmes` "
        "running?); stopped before the first line"
    ]
    assert counts(loading.stdout) == (0, 0, 0, 0)
    assert "stopped before the first line" in loading.stdout


@pytest.fixture
def without_release_consumer(tmp_path: Path) -> Iterator[Cluster]:
    require_servers()
    (tmp_path / "cluster").mkdir()
    cluster = Cluster(tmp_path / "cluster", free_ports(3))
    cluster.create()
    try:
        for service in SERVICES:
            for kind in ("serve", "relay", "consume"):
                if (kind, service) != ("consume", "release"):
                    cluster.start(kind, service)
        deadline = time.monotonic() + 120
        for service in SERVICES:
            wait_until_serving(cluster, service, deadline)
            cluster.wait_for_log("relay", service, "publishing from notification", deadline)
        for service in ("intake", "programmes"):
            cluster.wait_for_log("consume", service, "subscribed to", deadline)
        yield cluster
    finally:
        cluster.destroy()


def wait_until_serving(cluster: Cluster, service: str, deadline: float) -> None:
    while True:
        try:
            with urllib.request.urlopen(cluster.url(service, "/health/live"), timeout=2):
                return
        except OSError:
            assert time.monotonic() < deadline, cluster.logs("serve", service)
            time.sleep(0.2)


def test_reactions_that_cannot_arrive_stop_the_import_in_bounded_time_naming_queue_and_process(
    without_release_consumer: Cluster, tmp_path: Path
) -> None:
    file = write_jsonl(tmp_path / "f.jsonl", [*ex.catalogue(), *ex.custodial_pathway("W1")])
    started = time.monotonic()

    loading = import_distributed(without_release_consumer, file, "--settle-timeout", "8")

    assert time.monotonic() - started < 60
    assert loading.returncode == 3, loading.stderr
    assert "Traceback" not in loading.stderr
    assert "`pathway consume release` is missing: queue pathway.release " in loading.stderr
    assert "later lines read so far not sent" in loading.stdout
