"""AMQP over TLS, on a RabbitMQ node of the test's own with a TLS listener and certificates made for the test.

A real relay, command inbox and nameko service (intake's) and a real consumer (release's) run as the processes an
operator starts, over `amqps://` with the broker's certificate checked against the test's CA, presenting client
certificates, with heartbeats of five seconds (the shortest allowed) kept up through an idle spell. Around them:
plaintext to the TLS port, a CA that did not sign the broker's certificate, and a host name the certificate does
not carry are all refused, never downgraded.
"""

from __future__ import annotations

import os
import ssl
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import amqp.exceptions
import psycopg
import pytest
from nameko.standalone.rpc import ClusterRpcProxy

from pathway.remote import RemoteSystem
from pathway.unanswered import Unanswered
from services.intake.bootstrap import build as build_intake
from services.release.bootstrap import build as build_release
from shared.eventstore.application import PathwayApplication
from shared.eventstore.settings import postgres_env
from shared.messaging.amqp import AmqpPublisher
from shared.messaging.broker_settings import BrokerSettings, BrokerSettingsError, broker_connection, nameko_config
from shared.messaging.consumer import TrackedConsumer
from tests import examples as ex
from tests.integration.certificates import Authority, Issued
from tests.integration.cluster import POSTGRES, _create_database, free_ports, require_servers
from tests.integration.private_servers import PrivateRabbitMQ, TlsListener, private_rabbitmq, scratch

pytestmark = pytest.mark.integration

HEARTBEAT = 5  # seconds: the broker drops a connection silent for about two of them
IDLE_SPELL = 3 * HEARTBEAT + 1.0
VHOST = "pathway-tls"
PASSWORD = uuid.uuid4().hex  # made per run, never kept


@dataclass(frozen=True)
class Certificates:
    ca: Authority
    server: Issued
    client: Issued
    rogue: Authority  # signed nothing the broker presents


@pytest.fixture(scope="module")
def certificates() -> Iterator[Certificates]:
    with scratch("pathway-certificates-") as folder:
        ca = Authority(folder, "pathway-test")
        # Only the name: a client that connects to 127.0.0.1 must find its host missing from the certificate.
        server = ca.issue("broker", ("localhost",))
        yield Certificates(ca, server, ca.issue("client", client=True), Authority(folder, "rogue"))


@pytest.fixture(scope="module")
def broker(certificates: Certificates) -> Iterator[PrivateRabbitMQ]:
    listener = TlsListener(certificates.ca.cert_file, certificates.server.cert, certificates.server.key)
    with private_rabbitmq(listener) as node:
        node.add_vhost(VHOST)
        for service in ("intake", "release"):
            node.add_user(f"pathway-{service}", PASSWORD, VHOST)  # each relay publishes as its own user
        yield node


def verified(certificates: Certificates, **changes: object) -> BrokerSettings:
    """The settings the services get: the test CA, the client certificate, short heartbeats."""
    settings = {
        "ca_file": certificates.ca.cert_file,
        "cert_file": certificates.client.cert,
        "key_file": certificates.client.key,
        "heartbeat": HEARTBEAT,
        **changes,
    }
    return BrokerSettings(**settings)  # type: ignore[arg-type]


class Processes:
    """The distributed mode's processes, started as `pathway relay|consume SERVICE` with an environment of their
    own, logging to files."""

    def __init__(self, folder: Path, env: dict[str, str]) -> None:
        self.folder = folder
        self.env = env
        self.running: dict[str, subprocess.Popen[bytes]] = {}

    def start(self, kind: str, service: str) -> None:
        log = (self.folder / f"{kind}-{service}.log").open("ab")
        command = [sys.executable, "-m", "pathway.cli", kind, service]
        self.running[f"{kind}-{service}"] = subprocess.Popen(command, env=self.env, stdout=log, stderr=log)

    def log(self, name: str) -> str:
        path = self.folder / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def wait_for_log(self, name: str, text: str, timeout: float = 60.0) -> None:
        wait_until(lambda: text in self.log(name), timeout, lambda: f"{name} never logged {text!r}:\n{self.log(name)}")

    def stop(self) -> None:
        for process in self.running.values():
            process.terminate()
        for process in self.running.values():
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()


def wait_until(done: Callable[[], bool], timeout: float, why: Callable[[], str]) -> None:
    deadline = time.monotonic() + timeout
    while not done():
        if time.monotonic() > deadline:
            raise AssertionError(why())
        time.sleep(0.1)


@pytest.fixture
def over_tls(broker: PrivateRabbitMQ, certificates: Certificates, tmp_path: Path) -> Iterator[Processes]:
    """intake's relay, inbox and service and release's consumer over amqps://, on scratch databases of the shared
    PostgreSQL."""
    require_servers()
    suffix = uuid.uuid4().hex[:8]
    databases = {service: f"it_tls_{suffix}_{service}" for service in ("intake", "release")}
    for name in databases.values():
        _create_database(name)
    kept = {k: v for k, v in os.environ.items() if not k.startswith(("PATHWAY_AMQP_", "PATHWAY_PUBLISHERS"))}
    env = {
        **{k: v for k, v in kept.items() if not k.endswith(("_POSTGRES_DBNAME", "_AMQP_URI"))},
        "AMQP_URI": broker.tls_uri(VHOST),
        "PATHWAY_AMQP_CA_FILE": str(certificates.ca.cert_file),
        "PATHWAY_AMQP_CERT_FILE": str(certificates.client.cert),
        "PATHWAY_AMQP_KEY_FILE": str(certificates.client.key),
        "PATHWAY_AMQP_HEARTBEAT": str(HEARTBEAT),
        "POSTGRES_HOST": "127.0.0.1",
        "POSTGRES_PORT": str(POSTGRES["port"]),
        "POSTGRES_USER": "postgres",
        "PATHWAY_LOG_LEVEL": "INFO",
        "PYTHONUNBUFFERED": "1",
        "PATHWAY_AUTHENTICATION": "off",  # who may call is not what this test is about
        "INTAKE_HTTP_PORT": str(free_ports(1)[0]),
    }
    for service, database in databases.items():
        env[f"{service.upper()}_POSTGRES_DBNAME"] = database
        env[f"{service.upper()}_AMQP_URI"] = broker.tls_uri(VHOST, f"pathway-{service}", PASSWORD)
    processes = Processes(tmp_path, env)
    try:
        processes.start("relay", "intake")
        processes.start("consume", "release")
        processes.start("inbox", "intake")
        processes.start("serve", "intake")
        processes.wait_for_log("relay-intake", "publishing from notification")
        processes.wait_for_log("consume-release", "subscribed to")
        processes.wait_for_log("inbox-intake", "subscribed to")
        processes.wait_for_log("serve-intake", "serving RPC and HTTP")
        yield processes
    finally:
        processes.stop()
        with psycopg.connect(dbname="postgres", autocommit=True, **POSTGRES) as db:  # type: ignore[arg-type]
            for name in databases.values():
                db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


Build = Callable[[dict[str, str]], PathwayApplication]


def store(build: Build, service: str, env: dict[str, str]) -> PathwayApplication:
    return build({**postgres_env(service, env), "POSTGRES_POOL_SIZE": "1"})


def connections(broker: PrivateRabbitMQ) -> set[tuple[str, ...]]:
    """The broker's client connections in the vhost: (name, user, over TLS, heartbeat in seconds)."""
    out = broker.ctl("list_connections", "-q", "--no-table-headers", "name", "user", "ssl", "timeout", "vhost")
    rows = {tuple(line.split("\t")) for line in out.splitlines() if line.strip()}
    return {row[:4] for row in rows if row[-1] == VHOST}


def ping(broker: PrivateRabbitMQ, certificates: Certificates) -> str:
    """intake's nameko service, called over RPC from a client connecting as the command line does."""
    with ClusterRpcProxy(nameko_config(broker.tls_uri(VHOST), verified(certificates)), timeout=10) as rpc:
        answer: str = rpc.intake.ping()
    return answer


def test_every_process_works_over_tls_and_keeps_its_connections_through_an_idle_spell(
    over_tls: Processes, broker: PrivateRabbitMQ, certificates: Certificates
) -> None:
    intake = store(build_intake, "intake", over_tls.env)
    release = store(build_release, "release", over_tls.env)
    try:

        def release_has_followed_intake() -> bool:
            head = intake.recorder.max_notification_id() or 0  # type: ignore[attr-defined]
            return TrackedConsumer(release).watermarks().get("intake", 0) >= head > 0

        for line in (ex.register_person("TLS1"), ex.custodial_sentence("TLS1"), ex.admit("TLS1")):
            intake.handle(line["command"], line["data"])
        wait_until(release_has_followed_intake, 60, lambda: over_tls.log("consume-release"))
        reacted = release.recorder.max_notification_id() or 0  # type: ignore[attr-defined]
        assert reacted > 0, "release applied nothing of intake's events"

        assert ping(broker, certificates) == "pong"

        before = connections(broker)
        assert {tls for _, _, tls, _ in before} == {"true"}
        # Heartbeats on: the relay's publisher, the inbox's two (consuming, publishing), the service's consumer
        # and release's consumer (nameko publishes its replies on connections without heartbeats).
        beating = sorted(user for _, user, _, heartbeat in before if heartbeat == str(HEARTBEAT))
        assert beating == ["pathway-intake"] * 4 + ["pathway-release"]

        time.sleep(IDLE_SPELL)  # nothing to publish or consume: only heartbeats keep the connections open

        assert connections(broker) == before, "a connection was dropped (and made again) while idle"
        assert ping(broker, certificates) == "pong"
        intake.handle("register_person", ex.register_person("TLS2")["data"])
        wait_until(release_has_followed_intake, 30, lambda: over_tls.log("consume-release"))
        assert "Connection to broker lost" not in over_tls.log("serve-intake"), over_tls.log("serve-intake")
        for name in ("relay-intake", "consume-release", "inbox-intake"):
            assert "reconnecting" not in over_tls.log(name), over_tls.log(name)
            assert "retrying" not in over_tls.log(name), over_tls.log(name)
    finally:
        intake.close()
        release.close()


def test_nameko_rpc_clients_connect_over_verified_tls_only(
    broker: PrivateRabbitMQ, certificates: Certificates, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATHWAY_AMQP_CA_FILE", str(certificates.ca.cert_file))
    RemoteSystem(broker.tls_uri(VHOST), timeout=5).close()  # its reply queue is declared: connected

    monkeypatch.setenv("PATHWAY_AMQP_CA_FILE", str(certificates.rogue.cert_file))
    with pytest.raises(Unanswered):
        RemoteSystem(broker.tls_uri(VHOST), timeout=5)


def test_plain_amqp_to_the_tls_port_fails(broker: PrivateRabbitMQ, certificates: Certificates) -> None:
    plain = f"amqp://guest:guest@127.0.0.1:{broker.tls_port}/{VHOST}"
    with pytest.raises(BrokerSettingsError), broker_connection(plain, verified(certificates)):
        pass  # TLS is configured: a plaintext URI is refused before anything is sent
    without_tls = broker_connection(plain, BrokerSettings(), connect_timeout=5)
    with pytest.raises((OSError, amqp.exceptions.AMQPError)), without_tls as connection:
        connection.connect()  # the listener speaks TLS only: no AMQP session comes of it


def test_a_broker_certificate_not_signed_by_the_given_ca_is_refused(
    broker: PrivateRabbitMQ, certificates: Certificates, monkeypatch: pytest.MonkeyPatch
) -> None:
    uri = broker.tls_uri(VHOST)
    with broker_connection(uri, verified(certificates)) as connection:
        connection.connect()  # the right CA: accepted

    for refused in (verified(certificates, ca_file=certificates.rogue.cert_file), BrokerSettings()):
        # Another CA, or the system's trust store (which never saw the test CA): no session, no fallback.
        with pytest.raises(ssl.SSLCertVerificationError), broker_connection(uri, refused) as connection:
            connection.connect()

    # The relay's publisher (py-amqp directly) reads the same settings from the environment.
    monkeypatch.setenv("PATHWAY_AMQP_CA_FILE", str(certificates.rogue.cert_file))
    with pytest.raises(ssl.SSLCertVerificationError):
        AmqpPublisher(uri)


def test_a_certificate_for_another_host_is_refused(broker: PrivateRabbitMQ, certificates: Certificates) -> None:
    by_address = broker.tls_uri(VHOST, host="127.0.0.1")  # the certificate names localhost only
    with (
        pytest.raises(ssl.SSLCertVerificationError, match="mismatch"),
        broker_connection(by_address, verified(certificates)) as connection,
    ):
        connection.connect()
