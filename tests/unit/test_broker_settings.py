"""What a broker URI and the `PATHWAY_AMQP_*` settings give py-amqp, kombu and nameko; and heartbeats serviced."""

from __future__ import annotations

import ssl
import threading
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from shared.messaging.amqp import PENDING_READ_SECONDS, drain_until
from shared.messaging.broker_settings import (
    BrokerSettings,
    BrokerSettingsError,
    amqp_params,
    broker_connection,
    nameko_config,
    ssl_options,
)

TLS_URI = "amqps://relay:secret@broker.example.gov/pathway"
PLAIN_URI = "amqp://guest:guest@127.0.0.1:5672/"


@pytest.fixture(autouse=True)
def no_broker_settings_around(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only what a test sets: not whatever the shell running the tests exported."""
    for name in ("CA_FILE", "CERT_FILE", "KEY_FILE", "HEARTBEAT"):
        monkeypatch.delenv(f"PATHWAY_AMQP_{name}", raising=False)


@pytest.fixture
def pem(tmp_path: Path) -> dict[str, Path]:
    """Files that exist: the settings check that, not what is in them (the TLS handshake does)."""
    files = {name: tmp_path / f"{name}.pem" for name in ("ca", "cert", "key")}
    for path in files.values():
        path.write_text("-----BEGIN CERTIFICATE-----\n")
    return files


def test_amqps_is_verified_tls_against_the_given_ca_and_the_uri_host(pem: dict[str, Path]) -> None:
    options = ssl_options(TLS_URI, BrokerSettings(ca_file=pem["ca"]))

    assert options is not None
    assert options["cert_reqs"] == ssl.CERT_REQUIRED
    assert options["server_hostname"] == "broker.example.gov"  # py-amqp checks the host name only when given one
    assert options["ca_certs"] == str(pem["ca"])
    assert options["tls_minimum_version"] == ssl.TLSVersion.TLSv1_2
    assert "certfile" not in options


def test_without_a_ca_file_the_system_trust_store_verifies(pem: dict[str, Path]) -> None:
    options = ssl_options(TLS_URI, BrokerSettings())

    assert options is not None
    assert "ca_certs" not in options  # py-amqp then loads the default certificates
    assert options["cert_reqs"] == ssl.CERT_REQUIRED
    assert options["server_hostname"] == "broker.example.gov"


def test_a_client_certificate_is_presented_when_given(pem: dict[str, Path]) -> None:
    options = ssl_options(TLS_URI, BrokerSettings(cert_file=pem["cert"], key_file=pem["key"]))

    assert options is not None
    assert (options["certfile"], options["keyfile"]) == (str(pem["cert"]), str(pem["key"]))


def test_plain_amqp_has_no_tls_options() -> None:
    assert ssl_options(PLAIN_URI, BrokerSettings()) is None
    assert broker_connection(PLAIN_URI, BrokerSettings()).ssl is False


@pytest.mark.parametrize("setting", ["ca_file", "cert_file"])
def test_plain_amqp_is_refused_when_tls_is_configured(pem: dict[str, Path], setting: str) -> None:
    settings = BrokerSettings(**{setting: pem["ca"]})  # type: ignore[arg-type]
    with pytest.raises(BrokerSettingsError, match="refusing to connect without TLS"):
        broker_connection(PLAIN_URI, settings)
    with pytest.raises(BrokerSettingsError):
        nameko_config(PLAIN_URI, settings)


@pytest.mark.parametrize("query", ["?ssl=0", "?heartbeat=0", "?SSL=false&x=1"])
def test_a_uri_cannot_turn_tls_or_heartbeats_off(query: str) -> None:
    # kombu would let these override the options given beside the URI.
    with pytest.raises(BrokerSettingsError, match="PATHWAY_AMQP_"):
        broker_connection(TLS_URI + query, BrokerSettings())


def test_heartbeats_are_on_by_default_and_reach_every_client() -> None:
    settings = BrokerSettings()

    assert settings.heartbeat == 30
    assert broker_connection(TLS_URI, settings).heartbeat == 30
    assert amqp_params(TLS_URI, settings)["heartbeat"] == 30
    assert nameko_config(TLS_URI, settings)["HEARTBEAT"] == 30


def test_py_amqp_gets_host_port_credentials_vhost_and_tls_from_the_uri(pem: dict[str, Path]) -> None:
    params = amqp_params(TLS_URI, BrokerSettings(ca_file=pem["ca"], heartbeat=10))

    assert params["host"] == "broker.example.gov:5671"  # the TLS port when the URI names none
    assert (params["userid"], params["password"], params["virtual_host"]) == ("relay", "secret", "pathway")
    assert params["ssl"]["ca_certs"] == str(pem["ca"])
    assert params["heartbeat"] == 10


def test_nameko_gets_amqp_ssl_only_for_tls(pem: dict[str, Path]) -> None:
    settings = BrokerSettings(ca_file=pem["ca"])

    tls = nameko_config(TLS_URI, settings)
    assert tls["AMQP_URI"] == TLS_URI
    assert tls["AMQP_SSL"]["server_hostname"] == "broker.example.gov"
    assert "AMQP_SSL" not in nameko_config(PLAIN_URI, BrokerSettings())


def test_each_connection_gets_options_of_its_own(pem: dict[str, Path]) -> None:
    # kombu writes into the dict it is given; two connections must not share one.
    settings = BrokerSettings(ca_file=pem["ca"])
    assert broker_connection(TLS_URI, settings).ssl is not broker_connection(TLS_URI, settings).ssl


def test_settings_come_from_the_environment(pem: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATHWAY_AMQP_CA_FILE", str(pem["ca"]))
    monkeypatch.setenv("PATHWAY_AMQP_HEARTBEAT", "0")

    settings = BrokerSettings()
    assert (settings.ca_file, settings.heartbeat) == (pem["ca"], 0)
    tls: Any = broker_connection(TLS_URI).ssl
    assert tls["ca_certs"] == str(pem["ca"])


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("PATHWAY_AMQP_CA_FILE", "/no/such/ca.pem"),
        ("PATHWAY_AMQP_HEARTBEAT", "-1"),
        ("PATHWAY_AMQP_HEARTBEAT", "2"),  # too short for nameko's consumer to keep up
        ("PATHWAY_AMQP_HEARTBEAT", "soon"),
    ],
)
def test_bad_settings_are_refused(variable: str, value: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ValidationError):
        BrokerSettings()


def test_a_key_needs_its_certificate(pem: dict[str, Path]) -> None:
    with pytest.raises(ValidationError, match="needs PATHWAY_AMQP_CERT_FILE"):
        BrokerSettings(key_file=pem["key"])


class FakeConnection:
    """Records what a loop asks of a connection; `stop` is set after `drains` drains."""

    def __init__(self, stop: threading.Event | None = None, drains: int = 0) -> None:
        self.stop = stop
        self.drains_left = drains
        self.drained: list[float] = []
        self.heartbeat_checks = 0

    def drain_events(self, timeout: float) -> None:
        self.drained.append(timeout)
        if self.stop is not None:
            self.drains_left -= 1
            if self.drains_left <= 0:
                self.stop.set()
        raise TimeoutError

    def heartbeat_check(self) -> None:
        self.heartbeat_checks += 1


def test_draining_services_heartbeats_on_the_consuming_and_the_publishing_connections() -> None:
    stop = threading.Event()
    consuming = FakeConnection(stop, drains=2)
    publishing = FakeConnection()

    drain_until(stop, consuming, publishing)  # type: ignore[arg-type]

    assert consuming.heartbeat_checks >= 1
    # What the broker sent the idle publishing connection is read, or py-amqp counts its heartbeats as missed.
    assert publishing.drained == [PENDING_READ_SECONDS] * publishing.heartbeat_checks
    assert publishing.heartbeat_checks >= 1
