"""A private distributed system for integration tests: real PostgreSQL databases and a RabbitMQ vhost.

Each cluster gets its own databases and vhost, so tests never touch an
operator's data, and runs every service's serve, relay and consume processes
as the README says, as separate processes that a test can kill with SIGKILL.
Each service's processes connect as that service's own broker user, and two
test agencies have users of their own (tests/integration/broker_users.py).
"""

from __future__ import annotations

import base64
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg
from kombu import Connection

from tests.integration.broker_users import ClusterUsers

SERVICES = ("intake", "programmes", "release")
POSTGRES = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}
MANAGEMENT = os.environ.get("RABBITMQ_MANAGEMENT_URL", "http://127.0.0.1:15672")


def require_servers() -> None:
    """Fail, never skip: these tests are the proof that nothing is lost on the real servers."""
    try:
        psycopg.connect(dbname="postgres", connect_timeout=5, **POSTGRES).close()  # type: ignore[arg-type]
    except psycopg.Error as error:
        raise RuntimeError(f"PostgreSQL is not reachable on 127.0.0.1:5432 ({error}); run scripts/servers.sh") from None
    try:
        with Connection("amqp://guest:guest@127.0.0.1:5672//", connect_timeout=5) as connection:
            connection.connect()
    except OSError as error:
        raise RuntimeError(f"RabbitMQ is not reachable on 127.0.0.1:5672 ({error}); run scripts/servers.sh") from None


def _management(method: str, path: str, body: Any = None) -> None:
    request = urllib.request.Request(MANAGEMENT + path, method=method, data=json.dumps(body).encode() if body else None)
    request.add_header("Authorization", "Basic " + base64.b64encode(b"guest:guest").decode())
    request.add_header("content-type", "application/json")
    with urllib.request.urlopen(request, timeout=30):
        pass


def _create_database(name: str, server: dict[str, Any] | None = None, attempts: int = 5) -> None:
    """CREATE DATABASE copies template1 and fails while another session uses it: try again shortly."""
    server = POSTGRES if server is None else server
    for attempt in range(attempts):
        try:
            with psycopg.connect(dbname="postgres", autocommit=True, **server) as db:
                db.execute(f'CREATE DATABASE "{name}"')
            return
        except psycopg.errors.ObjectInUse:
            if attempt == attempts - 1:
                raise
            time.sleep(1.0)


def free_ports(count: int) -> list[int]:
    """Ports nothing listens on now, chosen by the system: test sessions running side by side (or a
    leftover process) must not meet on a fixed port."""
    sockets = [socket.socket() for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


class Cluster:
    """By default on the shared servers; a test that restarts a server passes its own broker's port and
    its rabbitmqctl (that broker has no management plugin), and its own PostgreSQL's port."""

    def __init__(
        self,
        workdir: Path,
        http_ports: list[int],
        amqp_port: int = 5672,
        postgres_port: int = 5432,
        rabbitmqctl: Callable[..., str] | None = None,
    ) -> None:
        self.id = uuid.uuid4().hex[:8]
        self.workdir = workdir
        self.vhost = f"pathway-it-{self.id}"
        self.amqp_uri = f"amqp://guest:guest@127.0.0.1:{amqp_port}/{self.vhost}"
        self.postgres: dict[str, Any] = {**POSTGRES, "port": postgres_port}
        self.rabbitmqctl = rabbitmqctl
        self.users = ClusterUsers(self.vhost, SERVICES, MANAGEMENT)
        self.databases = {service: f"it_{self.id}_{service}" for service in SERVICES}
        self.ports = dict(zip(SERVICES, http_ports, strict=True))
        self.processes: dict[tuple[str, str, int], subprocess.Popen[bytes]] = {}

    # --- environment ----------------------------------------------------------

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.endswith(("_POSTGRES_DBNAME", "_HTTP_PORT"))}
        env.update(
            AMQP_URI=self.amqp_uri,
            POSTGRES_HOST="127.0.0.1",
            POSTGRES_PORT=str(self.postgres["port"]),
            POSTGRES_USER="postgres",
            PATHWAY_LOG_LEVEL="INFO",
            PYTHONUNBUFFERED="1",
            # Callers are authenticated in tests/integration/test_authentication.py, behind a real provider.
            PATHWAY_AUTHENTICATION="off",
        )
        env.update(self.users.env(self.amqp_uri, self.workdir))  # each service as its own broker user
        for service in SERVICES:
            env[f"{service.upper()}_POSTGRES_DBNAME"] = self.databases[service]
            env[f"{service.upper()}_HTTP_PORT"] = str(self.ports[service])
        return env

    def create(self) -> None:
        for name in self.databases.values():
            _create_database(name, self.postgres)
        self.users.write_files(self.workdir)
        # The vhost, guest's permissions there (the operator's) and every user, as `pathway broker setup` makes
        # them. From this class's own settings: a subclass may give its processes another agencies file.
        self.users.set_up(Cluster.env(self), self.rabbitmqctl, self.workdir)

    def destroy(self) -> None:
        self.stop_all()
        with psycopg.connect(dbname="postgres", autocommit=True, **self.postgres) as db:
            for name in self.databases.values():
                db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if self.rabbitmqctl is None:  # a private broker goes with its vhosts and users
            _management("DELETE", f"/api/vhosts/{self.vhost}")
            self.users.remove()

    # --- processes ------------------------------------------------------------

    def start(self, kind: str, service: str, index: int = 0) -> subprocess.Popen[bytes]:
        log = (self.workdir / f"{kind}-{service}-{index}.log").open("ab")
        process = subprocess.Popen(
            [sys.executable, "-m", "pathway.cli", kind, service], env=self.env(), stdout=log, stderr=log
        )
        self.processes[(kind, service, index)] = process
        return process

    def start_all(self) -> None:
        for service in SERVICES:
            for kind in ("serve", "relay", "consume"):
                self.start(kind, service)
        self.wait_ready()

    def wait_ready(self, timeout: float = 120.0) -> None:
        deadline = time.monotonic() + timeout
        for service in SERVICES:
            url = f"http://127.0.0.1:{self.ports[service]}/health/live"
            while True:
                try:
                    with urllib.request.urlopen(url, timeout=2):
                        break
                except OSError:
                    if time.monotonic() > deadline:
                        raise RuntimeError(f"{service} did not start:\n{self.logs('serve', service)}") from None
                    time.sleep(0.2)
        for service in SERVICES:
            self.wait_for_log("relay", service, "publishing from notification", deadline)
            self.wait_for_log("consume", service, "subscribed to", deadline)

    def wait_for_log(self, kind: str, service: str, text: str, deadline: float, index: int = 0) -> None:
        while text not in self.logs(kind, service, index):
            if time.monotonic() > deadline:
                raise RuntimeError(f"{kind} {service} not ready:\n{self.logs(kind, service, index)}")
            time.sleep(0.1)

    def logs(self, kind: str, service: str, index: int = 0) -> str:
        path = self.workdir / f"{kind}-{service}-{index}.log"
        return path.read_text(errors="replace")[-4000:] if path.exists() else "(no log)"

    def kill(self, kind: str, service: str, index: int = 0) -> None:
        process = self.processes.pop((kind, service, index))
        process.send_signal(signal.SIGKILL)
        process.wait()

    def stop_all(self) -> None:
        for process in self.processes.values():
            process.terminate()
        for process in self.processes.values():
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
        self.processes.clear()

    def relay_uri(self, service: str) -> str:
        """What the service's processes connect with: its relay's broker user."""
        return self.users.uri(self.amqp_uri, self.users.relays[service])

    def agency_uri(self, agency: str) -> str:
        """An agency's system's broker user (tests/integration/broker_users.py: PRISON, COURTS)."""
        return self.users.uri(self.amqp_uri, self.users.agencies[agency])

    def url(self, service: str, path: str) -> str:
        return f"http://127.0.0.1:{self.ports[service]}{path}"
