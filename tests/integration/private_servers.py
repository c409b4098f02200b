"""A RabbitMQ node and a PostgreSQL cluster of a test's own, which it may stop and start at will.

The servers on 5672 and 5432 are shared by everything on the machine: a test
that restarts a broker or a database does it to these instead, and nothing
else is disturbed. Both live in a scratch folder under /tmp (the postgres OS
user must be able to reach it, which pytest's own temporary folders do not
allow) and are stopped, and their folder removed, however the test ends.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import psycopg
from kombu import Connection

from tests.integration.cluster import free_ports

# The real scripts, not /usr/sbin's wrappers: those switch to the rabbitmq user and its HOME, whose
# Erlang cookie is the shared node's.
RABBITMQ_BIN = Path("/usr/lib/rabbitmq/bin")
POSTGRES_OS_USER = "postgres"


def postgres_bin() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    if not found:
        raise RuntimeError("no PostgreSQL server binaries under /usr/lib/postgresql/*/bin")
    return Path(found[-1]).parent


@dataclass(frozen=True)
class TlsListener:
    """What a TLS listener presents (its certificate and key) and trusts (the CA of the clients' certificates).

    Clients are asked for a certificate but may connect without one (`fail_if_no_peer_cert = false`); one they
    present must be signed by `ca_file`.
    """

    ca_file: Path
    cert_file: Path
    key_file: Path

    def config(self, port: int) -> str:
        return (
            f"listeners.ssl.default = 127.0.0.1:{port}\n"
            f"ssl_options.cacertfile = {self.ca_file}\n"
            f"ssl_options.certfile = {self.cert_file}\n"
            f"ssl_options.keyfile = {self.key_file}\n"
            "ssl_options.verify = verify_peer\n"
            "ssl_options.fail_if_no_peer_cert = false\n"
        )


class PrivateRabbitMQ:
    """One RabbitMQ node with its own name, ports, data, logs and Erlang cookie; no plugins; a TLS listener on
    `tls_port` as well as the plain one when given `tls`."""

    def __init__(self, root: Path, tls: TlsListener | None = None) -> None:
        self.root = root
        self.node = f"pathway-it-{uuid.uuid4().hex[:8]}@localhost"
        self.port, self.dist_port, self.tls_port = free_ports(3)
        self.home = root / "home"
        self.home.mkdir(parents=True)
        cookie = self.home / ".erlang.cookie"
        cookie.write_text(uuid.uuid4().hex)
        cookie.chmod(0o400)
        (root / "enabled_plugins").write_text("[].")
        config = f"listeners.tcp.local = 127.0.0.1:{self.port}\nloopback_users = none\n"
        (root / "rabbitmq.conf").write_text(config + (tls.config(self.tls_port) if tls is not None else ""))

    def uri(self, vhost: str = "") -> str:
        return f"amqp://guest:guest@127.0.0.1:{self.port}/{vhost}"

    def tls_uri(self, vhost: str = "", user: str = "guest", password: str = "guest", host: str = "localhost") -> str:
        return f"amqps://{user}:{password}@{host}:{self.tls_port}/{vhost}"

    def _env(self) -> dict[str, str]:
        return {
            **os.environ,
            "HOME": str(self.home),
            "RABBITMQ_NODENAME": self.node,
            "RABBITMQ_NODE_PORT": str(self.port),
            "RABBITMQ_NODE_IP_ADDRESS": "127.0.0.1",
            "RABBITMQ_DIST_PORT": str(self.dist_port),
            "RABBITMQ_MNESIA_BASE": str(self.root / "mnesia"),
            "RABBITMQ_LOG_BASE": str(self.root / "log"),
            "RABBITMQ_PID_FILE": str(self.root / "node.pid"),
            "RABBITMQ_ENABLED_PLUGINS_FILE": str(self.root / "enabled_plugins"),
            "RABBITMQ_CONFIG_FILE": str(self.root / "rabbitmq.conf"),
        }

    def ctl(self, *args: str, timeout: float = 60.0) -> str:
        done = subprocess.run(
            [str(RABBITMQ_BIN / "rabbitmqctl"), "-n", self.node, *args],
            env=self._env(),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"rabbitmqctl {' '.join(args)}: {done.stdout}{done.stderr}")
        return done.stdout

    def start(self, timeout: float = 90.0) -> None:
        subprocess.run([str(RABBITMQ_BIN / "rabbitmq-server"), "-detached"], env=self._env(), check=True, timeout=30)
        # `wait` waits for the pid file, then for the node to boot; `await_startup` would fail at once
        # when asked before the node has registered its name.
        self.ctl("wait", str(self.root / "node.pid"), "--timeout", str(int(timeout)), timeout=timeout + 10)
        self._await_listener(timeout)

    def _await_listener(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with Connection(self.uri(), connect_timeout=2) as connection:
                    connection.connect()
                return
            except Exception:  # anything until it answers: refused, reset, not yet accepting logins
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

    def stop(self) -> None:
        """Stop the node and wait until its Erlang VM has gone (what an operator's restart does)."""
        try:
            self.ctl("stop", str(self.root / "node.pid"), timeout=60)
        except (RuntimeError, subprocess.TimeoutExpired):
            self.kill()

    def kill(self) -> None:
        pid_file = self.root / "node.pid"
        if pid_file.exists():
            with suppress(ValueError, ProcessLookupError):
                os.kill(int(pid_file.read_text().strip()), 9)

    def restart(self, down_for: float = 0.0) -> None:
        self.stop()
        time.sleep(down_for)
        self.start()

    def add_vhost(self, vhost: str) -> None:
        self.ctl("add_vhost", vhost)
        self.ctl("set_permissions", "-p", vhost, "guest", ".*", ".*", ".*")

    def add_user(self, user: str, password: str, vhost: str) -> None:
        """A user allowed everything in `vhost` (each service's relay publishes as a user of its own)."""
        self.ctl("add_user", user, password)
        self.ctl("set_permissions", "-p", vhost, user, ".*", ".*", ".*")


class PrivatePostgres:
    """One PostgreSQL cluster on a free port, trusting local connections, its socket in its own folder; accepting
    TLS with `tls`'s certificate and key when given (plaintext too: clients choose with their sslmode)."""

    def __init__(self, root: Path, tls: TlsListener | None = None) -> None:
        self.root = root
        self.data = root / "data"
        self.log = root / "server.log"
        self.port = free_ports(1)[0]
        self.bin = postgres_bin()
        shutil.chown(root, user=POSTGRES_OS_USER)
        self.tls_options = ""
        if tls is not None:  # the server reads its key only when the postgres user owns it, unreadable to others
            for source, target in ((tls.cert_file, root / "server.crt"), (tls.key_file, root / "server.key")):
                shutil.copyfile(source, target)
                target.chmod(0o600)
                shutil.chown(target, user=POSTGRES_OS_USER)
            self.tls_options = f" -c ssl=on -c ssl_cert_file={root}/server.crt -c ssl_key_file={root}/server.key"
        self._as_postgres("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "--no-sync")

    def _as_postgres(self, program: str, *args: str, timeout: float = 120.0) -> None:
        done = subprocess.run(
            ["runuser", "-u", POSTGRES_OS_USER, "--", str(self.bin / program), *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            cwd=self.root,
        )
        if done.returncode != 0:
            raise RuntimeError(f"{program} {' '.join(args)}: {done.stdout}{done.stderr}")

    def _pg_ctl(self, action: str, *extra: str) -> None:
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off"
        options += self.tls_options
        self._as_postgres("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.log), "-w", action, *extra)

    def start(self) -> None:
        self._pg_ctl("start")

    def stop(self, mode: str = "fast") -> None:
        self._pg_ctl("stop", "-m", mode)

    def restart(self, mode: str = "fast", down_for: float = 0.0) -> None:
        """Stop (`fast`: sessions are ended) and start again, `down_for` seconds later."""
        self.stop(mode)
        time.sleep(down_for)
        self.start()

    def connect(self, dbname: str = "postgres") -> psycopg.Connection:
        return psycopg.connect(host="127.0.0.1", port=self.port, user="postgres", dbname=dbname, autocommit=True)


@contextmanager
def scratch(prefix: str) -> Iterator[Path]:
    root = Path(tempfile.mkdtemp(prefix=prefix))
    root.chmod(0o755)
    try:
        yield root
    finally:
        shutil.rmtree(root, ignore_errors=True)


@contextmanager
def private_rabbitmq(tls: TlsListener | None = None) -> Iterator[PrivateRabbitMQ]:
    with scratch("pathway-rabbitmq-") as root:
        node = PrivateRabbitMQ(root, tls)
        try:
            node.start()
            yield node
        finally:
            node.stop()


@contextmanager
def private_postgres(tls: TlsListener | None = None) -> Iterator[PrivatePostgres]:
    with scratch("pathway-postgres-") as root:
        cluster = PrivatePostgres(root, tls)
        try:
            cluster.start()
            yield cluster
        finally:
            with suppress(RuntimeError):  # already stopped
                cluster.stop("immediate")
