"""A broker and a database restarted under a running system, on servers of the test's own.

After each outage every process is either working again or has exited non-zero
and been restarted, as docker compose's `restart: unless-stopped` would; none
lives on without working, and SIGTERM stops each within seconds, also while the
broker is away.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from pathway.cohort import demo_cohort
from tests import examples as ex
from tests.integration.agency import Agency
from tests.integration.cluster import SERVICES, Cluster, free_ports
from tests.integration.helpers import assert_same_pathways, cli, people_in, write_jsonl
from tests.integration.private_servers import PrivatePostgres, PrivateRabbitMQ, private_postgres, private_rabbitmq

pytestmark = pytest.mark.integration

KINDS = ("serve", "relay", "consume", "inbox")
COHORT = 24  # people: enough lines (~500) for an outage to land mid-import, few enough for CI
STOPPED_WITHIN = 10.0  # seconds, from SIGTERM to exit, for every process
Key = tuple[str, str, int]
FAST = ("--timeout", "5")  # a service that does not answer in 5s counts as not answering


@pytest.fixture(scope="module")
def rabbitmq() -> Iterator[PrivateRabbitMQ]:
    with private_rabbitmq() as node:
        yield node


@pytest.fixture(scope="module")
def postgres() -> Iterator[PrivatePostgres]:
    with private_postgres() as cluster:
        yield cluster


@pytest.fixture
def running(rabbitmq: PrivateRabbitMQ, postgres: PrivatePostgres, tmp_path: Path) -> Iterator[Cluster]:
    """A system of its own for each test, on the module's servers: the demo cohorts share programme places,
    so one test's people would change another's pathways."""
    system = Cluster(
        tmp_path / "processes",
        free_ports(3),
        amqp_port=rabbitmq.port,
        postgres_port=postgres.port,
        rabbitmqctl=rabbitmq.ctl,
    )
    (tmp_path / "processes").mkdir()
    system.create()
    try:
        start_everything(system)
        yield system
    finally:
        system.destroy()


def start_everything(cluster: Cluster) -> None:
    cluster.start_all()
    for service in SERVICES:
        cluster.start("inbox", service)
    settled(cluster, timeout=120)


class Supervisor:
    """Restarts a process that exits, as `restart: unless-stopped` does, and remembers how each ended."""

    def __init__(self, cluster: Cluster) -> None:
        self.cluster = cluster
        self.exits: list[tuple[Key, int]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def __enter__(self) -> Supervisor:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    def _watch(self) -> None:
        while not self._stop.wait(0.5):
            for key, process in list(self.cluster.processes.items()):
                code = process.poll()
                if code is not None:
                    self.exits.append((key, code))
                    self.cluster.start(*key)


def import_in_background(cluster: Cluster, file: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "pathway.cli", "import", str(file), "--amqp-uri", cluster.amqp_uri],
        env=cluster.env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def status(cluster: Cluster) -> tuple[int, dict[str, Any] | None]:
    """`pathway status --amqp-uri` in a process of its own, so that a broker outage cannot hang the test."""
    try:
        done = subprocess.run(
            [sys.executable, "-m", "pathway.cli", "status", "--amqp-uri", cluster.amqp_uri, "--format", "json", *FAST],
            env=cluster.env(),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return -1, None
    try:
        return done.returncode, json.loads(done.stdout)
    except json.JSONDecodeError:
        return done.returncode, None


def is_settled(code: int, found: dict[str, Any] | None) -> bool:
    if code != 0 or found is None:
        return False
    return all(
        row["reachable"]
        and not row["problems"]
        and row["unpublished"] == 0
        and row["unhandled"] == 0
        and not row.get("commands_waiting")
        for row in found["services"]
    )


def settled(cluster: Cluster, timeout: float) -> dict[str, Any]:
    """Wait until every service answers, has published everything and has handled everything sent to it."""
    deadline = time.monotonic() + timeout
    code, found = status(cluster)
    while not is_settled(code, found):
        assert time.monotonic() < deadline, f"not settled after {timeout:.0f}s: {found}\n{all_logs(cluster)}"
        time.sleep(1.0)
        code, found = status(cluster)
    assert found is not None
    return found


def intake_head(cluster: Cluster) -> int:
    _, found = status(cluster)
    rows = {row["service"]: row for row in (found or {}).get("services", [])}
    return int(rows.get("intake", {}).get("head") or 0)


def all_logs(cluster: Cluster) -> str:
    return "\n".join(
        f"--- {kind} {service}\n{cluster.logs(kind, service)[-1500:]}" for kind in KINDS for service in SERVICES
    )


def import_until_complete(cluster: Cluster, file: Path, attempts: int = 4) -> str:
    """Re-run the import, as an operator would after an outage, until no line fails."""
    out = err = ""
    for _ in range(attempts):
        loading = import_in_background(cluster, file)
        out, err = loading.communicate(timeout=300)
        if loading.returncode == 0 and " 0 failed" in out:
            return out
    raise AssertionError(f"the import did not complete in {attempts} runs:\n{out}\n{err[-3000:]}")


def assert_every_process_works(cluster: Cluster, probe: str, tmp_path: Path) -> None:
    """Alive is not enough: each kind of process shows it does its work again."""
    for key, process in cluster.processes.items():
        assert process.poll() is None, f"{key} is not running:\n{cluster.logs(*key)}"
    # serve answers RPC (status, above and below) and HTTP; relays and consumers carry a new cohort's reactions.
    for service in SERVICES:
        with urllib.request.urlopen(cluster.url(service, "/health"), timeout=10) as answer:
            assert answer.status == 200, service
    # A person of their own, whose court decision reaches release through intake's relay and release's
    # consumer: no programme places, which would change the outage's cohort's pathways.
    lines = [ex.register_person(probe), ex.custodial_sentence(probe), ex.admit(probe)]
    import_until_complete(cluster, write_jsonl(tmp_path / f"{probe}.jsonl", lines), attempts=1)
    settled(cluster, timeout=60)
    # Each inbox takes a command from the bus and replies.
    agency = Agency(cluster)
    try:
        commands = [
            ex.register_person(f"{probe}-INBOX"),
            ex.publish_programme(f"P-{probe}"),
            ex.record_outcome(f"{probe}-NOBODY"),  # refused (an unknown person), but answered all the same
        ]
        for number, command in enumerate(commands):
            agency.publish(command, f"{probe}-{number}")
        replies = dict(agency.replies(len(commands), timeout=60))
        assert sorted(replies) == [f"{probe}-{n}" for n in range(len(commands))], replies
        agency.purge_rejected()
    finally:
        agency.close()


def assert_sigterm_stops_everything(cluster: Cluster) -> dict[Key, float]:
    """SIGTERM every process at once; each must be gone within STOPPED_WITHIN seconds."""
    sent = time.monotonic()
    for process in cluster.processes.values():
        process.terminate()
    took: dict[Key, float] = {}
    while len(took) < len(cluster.processes) and time.monotonic() < sent + STOPPED_WITHIN:
        for key, process in cluster.processes.items():
            if key not in took and process.poll() is not None:
                took[key] = round(time.monotonic() - sent, 1)
        time.sleep(0.05)
    hung = [key for key in cluster.processes if key not in took]
    for key in hung:
        cluster.processes[key].kill()
        cluster.processes[key].wait()
    logs = {key: cluster.logs(*key)[-1500:] for key in hung}
    cluster.processes.clear()
    assert not hung, f"still running {STOPPED_WITHIN:.0f}s after SIGTERM: {hung}\n{logs}"
    return took


def outage_mid_import(cluster: Cluster, tmp_path: Path, prefix: str, outage: Callable[[], None]) -> Path:
    """Import a cohort, run `outage()` once the import is under way, and see every process recover."""
    file = write_jsonl(tmp_path / "cohort.jsonl", demo_cohort(COHORT, prefix=prefix))
    with Supervisor(cluster) as supervisor:
        loading = import_in_background(cluster, file)
        deadline = time.monotonic() + 120
        while intake_head(cluster) < 40 and loading.poll() is None:
            assert time.monotonic() < deadline, "the import made no progress"
            time.sleep(0.5)
        assert loading.poll() is None, "the import ended before the outage; make the cohort larger"
        outage()
        try:
            out, err = loading.communicate(timeout=300)  # its exactness is checked apart; it must end, though
        except subprocess.TimeoutExpired:
            loading.kill()
            raise AssertionError("the import did not end within 300s of the outage") from None
        print(f"the import through the outage: exit {loading.returncode}\n{out[-300:]}\n{err[-1000:]}")
        settled(cluster, timeout=120)
        assert_every_process_works(cluster, f"{prefix}P", tmp_path)
        exits = list(supervisor.exits)
    print(f"exited (and restarted): {exits}")
    # Exiting is allowed, as long as it is non-zero, so that a supervisor restarts the process.
    assert all(code != 0 for _, code in exits), exits
    return file


def assert_import_is_exact(cluster: Cluster, file: Path, tmp_path: Path) -> None:
    """What the importer (pathway/importer.py) must do under failure: a re-run completes the file, and
    every person's history equals the embedded import's, in order."""
    import_until_complete(cluster, file)
    assert cli("import", str(file), "--data", str(tmp_path / "embedded"))[0] == 0
    lines = [json.loads(line) for line in file.read_text().splitlines()]
    assert_same_pathways(people_in(lines), cluster, tmp_path / "embedded")


def test_a_rabbitmq_restart_mid_import_is_survived_without_a_hand(
    running: Cluster, rabbitmq: PrivateRabbitMQ, tmp_path: Path
) -> None:
    file = outage_mid_import(running, tmp_path, "ORQ", lambda: rabbitmq.restart(down_for=3.0))
    print(f"stopped on SIGTERM after (s): {assert_sigterm_stops_everything(running)}")
    start_everything(running)
    assert_import_is_exact(running, file, tmp_path)


def test_a_postgresql_restart_mid_import_is_survived_without_a_hand(
    running: Cluster, postgres: PrivatePostgres, tmp_path: Path
) -> None:
    file = outage_mid_import(running, tmp_path, "OPG", lambda: postgres.restart("fast", down_for=3.0))
    print(f"stopped on SIGTERM after (s): {assert_sigterm_stops_everything(running)}")
    start_everything(running)
    assert_import_is_exact(running, file, tmp_path)


@pytest.mark.parametrize("server", ["broker", "database"])
def test_sigterm_stops_every_process_while_a_server_is_down(
    running: Cluster, rabbitmq: PrivateRabbitMQ, postgres: PrivatePostgres, server: str
) -> None:
    down: PrivateRabbitMQ | PrivatePostgres = rabbitmq if server == "broker" else postgres
    down.stop()
    try:
        time.sleep(3.0)  # every process has noticed, and is reconnecting or waiting for the server
        print(f"stopped on SIGTERM, the {server} down, after (s): {assert_sigterm_stops_everything(running)}")
    finally:
        down.start()
