"""PostgreSQL connections, on a server of the test's own left at PostgreSQL's default `max_connections` (100).

Every process of every service, with a standby relay and a second consumer each, holds no more connections than
deploy/README.md's budget says (shared/eventstore/connection_budget.py), at start, at rest and under load; the
counts, by application_name, are printed. And a process started while PostgreSQL refuses it ("too many clients
already", or nothing listening yet) waits, saying why in one line, and comes up once let in; or, never let in,
exits non-zero after PATHWAY_START_TIMEOUT with one line naming the database and the reason: never a traceback.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
import pytest

from pathway.processes import build_postgres
from shared.eventstore.connection_budget import (
    STANDBY_RELAY,
    Instances,
    available,
    deployment_connections,
    process_connections,
    service_connections,
)
from shared.eventstore.seals import create_seals_table
from tests import examples as ex
from tests.integration.cluster import SERVICES, Cluster, free_ports, require_servers
from tests.integration.private_servers import PrivatePostgres, scratch

pytestmark = pytest.mark.integration

# What each service runs here: all four processes, a relay standing by and a second consumer.
DEPLOYMENT = Instances(serve=1, relay=2, consume=2, inbox=1)
KINDS = ("serve", "relay", "consume", "inbox")
SAMPLER = "pathway-test-sampler"
ANSWERS_WITHIN = 120.0  # seconds, for the processes to start on a busy two-core machine
LOADERS = 12  # threads sending requests at once: more than a `serve` pool's five connections
LOAD_SECONDS = 20.0


class DefaultPostgres(PrivatePostgres):
    """A private PostgreSQL whose `max_connections` is left at PostgreSQL's default, which the budget must fit."""

    def _pg_ctl(self, action: str, *extra: str) -> None:
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._as_postgres("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.log), "-w", action, *extra)


@pytest.fixture(scope="module")
def postgres() -> Iterator[DefaultPostgres]:
    require_servers()  # the shared RabbitMQ carries the cluster's messages
    with scratch("pathway-postgres-") as root:
        server = DefaultPostgres(root)
        try:
            server.start()
            yield server
        finally:
            server.stop("immediate")


class TablesMadeFirst(Cluster):
    """Processes that create no tables (POSTGRES_CREATE_TABLES=n), as the compose file runs them: a one-shot makes
    them first, as `pathway database setup` does."""

    def env(self) -> dict[str, str]:
        return {**super().env(), "POSTGRES_CREATE_TABLES": "n"}

    def create(self) -> None:
        super().create()
        for service in SERVICES:
            app = build_postgres(service, Cluster.env(self))  # its own tables, as it opens
            try:
                create_seals_table(app)  # the relay's, which a relay creating no tables expects to find
            finally:
                app.close()


@pytest.fixture
def cluster(request: pytest.FixtureRequest, postgres: DefaultPostgres, tmp_path: Path) -> Iterator[Cluster]:
    kind: type[Cluster] = getattr(request, "param", Cluster)
    system = kind(tmp_path / "processes", free_ports(3), postgres_port=postgres.port)
    (tmp_path / "processes").mkdir()
    system.create()
    try:
        yield system
    finally:
        system.destroy()


class ConnectionSampler:
    """Counts PostgreSQL's client connections by application_name every tenth of a second, keeping each phase's
    peaks (its own connection left out)."""

    QUERY = (
        "SELECT coalesce(nullif(application_name, ''), '(unnamed)') AS name, count(*) AS n FROM pg_stat_activity "
        "WHERE backend_type = 'client backend' AND pid <> pg_backend_pid() GROUP BY 1"
    )

    def __init__(self, server: PrivatePostgres) -> None:
        self.connection = psycopg.connect(
            host="127.0.0.1", port=server.port, user="postgres", dbname="postgres", autocommit=True,
            application_name=SAMPLER,
        )  # fmt: skip
        self.phase = "start"
        self.totals: dict[str, int] = {}
        self.by_name: dict[str, Counter[str]] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> ConnectionSampler:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()
        self.connection.close()

    def _sample(self) -> None:
        while not self._stop.wait(0.1):
            counts = Counter({row[0]: int(row[1]) for row in self.connection.execute(self.QUERY).fetchall()})
            phase = self.phase
            self.totals[phase] = max(self.totals.get(phase, 0), sum(counts.values()))
            peaks = self.by_name.setdefault(phase, Counter())
            for name, n in counts.items():
                peaks[name] = max(peaks[name], n)

    def report(self) -> str:
        names = sorted({name for counts in self.by_name.values() for name in counts})
        phases = list(self.totals)
        rows = [f"{'peak connections':<30}" + "".join(f"{phase:>12}" for phase in phases)]
        rows += [f"{name:<30}" + "".join(f"{self.by_name[p][name]:>12}" for p in phases) for name in names]
        rows.append(f"{'all (at once)':<30}" + "".join(f"{self.totals[p]:>12}" for p in phases))
        return "\n".join(rows)


def start_deployment(cluster: Cluster) -> None:
    for service in SERVICES:
        cluster.start("serve", service)
        for index in range(DEPLOYMENT.relay):
            cluster.start("relay", service, index)
        for index in range(DEPLOYMENT.consume):
            cluster.start("consume", service, index)
        cluster.start("inbox", service)
    deadline = time.monotonic() + ANSWERS_WITHIN
    for service in SERVICES:
        wait_until_live(cluster, service, deadline)
        for index in range(DEPLOYMENT.consume):
            cluster.wait_for_log("consume", service, "subscribed to", deadline, index)
        cluster.wait_for_log("inbox", service, "subscribed to", deadline)
        while not one_relay_leads(cluster, service):
            assert time.monotonic() < deadline, f"{service}'s relays: not one active and the rest standing by"
            time.sleep(0.2)


def one_relay_leads(cluster: Cluster, service: str) -> bool:
    logs = [cluster.logs("relay", service, index) for index in range(DEPLOYMENT.relay)]
    leading = sum("publishing from notification" in log for log in logs)
    return leading == 1 and sum("standing by" in log for log in logs) == DEPLOYMENT.relay - 1


def wait_until_live(cluster: Cluster, service: str, deadline: float) -> None:
    while True:
        try:
            with urllib.request.urlopen(cluster.url(service, "/health/live"), timeout=2):
                return
        except OSError:
            assert time.monotonic() < deadline, f"{service} did not start:\n{cluster.logs('serve', service)}"
            time.sleep(0.2)


def send(cluster: Cluster, service: str, path: str, body: Any = None) -> int:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(cluster.url(service, path), data=data, method="GET" if body is None else "POST")
    request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            return int(answer.status)
    except urllib.error.HTTPError as refused:
        return refused.code


def http_load(cluster: Cluster, stop: threading.Event, answers: Counter[int], thread: int) -> None:
    """Requests at every service, from more threads than a `serve` pool holds connections: people whose court
    decisions reach release through intake's relay and release's consumer, a programme, and reads."""
    number = 0
    while not stop.is_set():
        number += 1
        person = f"CB-{thread}-{number}"
        lines = [ex.register_person(person), ex.custodial_sentence(person), ex.admit(person)]
        lines.append(ex.publish_programme(f"P-{person}"))
        for line in lines:
            answers[send(cluster, line["service"], f"/commands/{line['command']}", line["data"])] += 1
        for service in SERVICES:
            answers[send(cluster, service, "/status")] += 1
            answers[send(cluster, service, "/health/live")] += 1


def status(cluster: Cluster, service: str) -> dict[str, Any]:
    with urllib.request.urlopen(cluster.url(service, "/status"), timeout=30) as answer:
        found: dict[str, Any] = json.loads(answer.read())
        return found


def wait_until_settled(cluster: Cluster, timeout: float) -> None:
    """Every store's events published, and every consumer has applied all its upstreams published."""
    deadline = time.monotonic() + timeout
    while True:
        found = {service: status(cluster, service) for service in SERVICES}
        published = all(row["relay_position"] == row["head"] for row in found.values())
        applied = all(
            at >= found[upstream]["head"] for row in found.values() for upstream, at in row["watermarks"].items()
        )
        if published and applied:
            return
        assert time.monotonic() < deadline, f"not settled after {timeout:.0f}s: {found}"
        time.sleep(0.5)


def every_log(cluster: Cluster) -> str:
    return "\n".join(
        (cluster.workdir / f"{kind}-{service}-{index}.log").read_text(errors="replace")
        for kind, service, index in cluster.processes
    )


def kind_share(service: str, kind: str, environ: dict[str, str]) -> int:
    """The most connections all of one service's processes of one kind hold, by the budget."""
    one = process_connections(service, kind, environ)
    if kind == "relay":
        return one + (DEPLOYMENT.relay - 1) * STANDBY_RELAY
    return int(getattr(DEPLOYMENT, kind)) * one


@pytest.mark.parametrize(
    "cluster", [TablesMadeFirst, Cluster], indirect=True, ids=["tables made first", "tables created at start"]
)
def test_every_process_of_every_service_stays_within_the_connection_budget(
    postgres: DefaultPostgres, cluster: Cluster
) -> None:
    with postgres.connect() as admin:
        assert admin.execute("SHOW max_connections").fetchone() == ("100",)
    budget = deployment_connections(SERVICES, DEPLOYMENT, cluster.env())
    assert budget <= available(100)

    with ConnectionSampler(postgres) as sampler:
        start_deployment(cluster)
        sampler.phase = "rest"
        time.sleep(3.0)

        sampler.phase = "load"
        stop, answers = threading.Event(), Counter[int]()
        loaders = [threading.Thread(target=http_load, args=(cluster, stop, answers, n)) for n in range(LOADERS)]
        for loader in loaders:
            loader.start()
        time.sleep(LOAD_SECONDS)
        stop.set()
        for loader in loaders:
            loader.join()
        wait_until_settled(cluster, timeout=120)

        sampler.phase = "after load"
        time.sleep(3.0)

    print(f"\nbudget {budget} of {available(100)} (max_connections 100 - 3 reserved) for {DEPLOYMENT} per service")
    print(sampler.report())
    print(f"HTTP answers under load: {dict(answers)}")
    assert set(answers) == {200}, "a request waiting for a pooled connection waits; it is not refused"
    assert max(sampler.totals.values()) <= budget, sampler.report()
    for phase, counts in sampler.by_name.items():
        assert set(counts) <= {f"pathway-{s}-{k}" for s in SERVICES for k in KINDS}, counts  # every one named
        for service in SERVICES:
            held = sum(n for name, n in counts.items() if name.startswith(f"pathway-{service}-"))
            assert held <= service_connections(service, DEPLOYMENT, cluster.env()), (phase, service, counts)
            for kind in KINDS:
                assert counts[f"pathway-{service}-{kind}"] <= kind_share(service, kind, cluster.env()), (phase, counts)
    logs = every_log(cluster)
    assert "too many clients" not in logs
    assert "Traceback" not in logs


@contextmanager
def slots_taken(server: PrivatePostgres) -> Iterator[int]:
    """Every connection slot PostgreSQL has, held (as a superuser, so the reserved ones too) until the block ends."""
    held: list[psycopg.Connection[Any]] = []
    try:
        while True:
            try:
                held.append(server.connect())
            except psycopg.OperationalError:
                break
        with pytest.raises(psycopg.OperationalError, match="too many clients"):
            server.connect()
        yield len(held)
    finally:
        for connection in held:
            connection.close()


def test_a_process_started_while_postgresql_has_no_slot_left_waits_and_comes_up_once_one_frees(
    postgres: DefaultPostgres, cluster: Cluster
) -> None:
    deadline = time.monotonic() + ANSWERS_WITHIN
    with slots_taken(postgres) as taken:
        for kind in ("serve", "consume", "relay"):
            cluster.start(kind, "intake")
        for kind in ("serve", "consume", "relay"):
            cluster.wait_for_log(kind, "intake", "too many clients", deadline)
        time.sleep(2.0)  # a retry or two while still refused
        assert all(process.poll() is None for process in cluster.processes.values()), "none gives up before its time"
    print(f"\n{taken} connections held; then released")

    wait_until_live(cluster, "intake", deadline)
    cluster.wait_for_log("consume", "intake", "subscribed to", deadline)
    cluster.wait_for_log("relay", "intake", "publishing from notification", deadline)
    for kind in ("serve", "consume", "relay"):
        log = cluster.logs(kind, "intake")
        refusals = [line for line in log.splitlines() if "refused (" in line]
        print(f"{kind}: {refusals[0]}")
        assert f"intake: database {cluster.databases['intake']} on 127.0.0.1:{postgres.port} refused" in refusals[0]
        assert "FATAL: sorry, too many clients already" in refusals[0]
        assert "Traceback" not in log


def test_a_process_never_let_in_exits_non_zero_after_its_start_timeout_with_one_line(tmp_path: Path) -> None:
    nothing_listens, http_port = free_ports(2)
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("INTAKE_", "POSTGRES_"))},
        "POSTGRES_PORT": str(nothing_listens),
        "PATHWAY_START_TIMEOUT": "4",
        "PATHWAY_AUTHENTICATION": "off",
        "AMQP_URI": "amqp://guest:guest@127.0.0.1:5672/",
        "INTAKE_HTTP_PORT": str(http_port),
    }
    kinds = ("serve", "consume", "inbox", "relay")
    running = {
        kind: subprocess.Popen(
            [sys.executable, "-m", "pathway.cli", kind, "intake"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for kind in kinds
    }
    for kind, process in running.items():
        out, err = process.communicate(timeout=60)
        errors = [line for line in (out + err).splitlines() if "ERROR" in line]
        print(f"{kind}: exit {process.returncode}: {errors}")
        assert process.returncode != 0, kind
        assert len(errors) == 1, err
        assert f"intake: database intake on 127.0.0.1:{nothing_listens} did not let us in within 4s" in errors[0]
        assert "Connection refused" in errors[0]
        assert "Traceback" not in out + err
