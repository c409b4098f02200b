"""How every process reaches RabbitMQ: TLS for `amqps://`, and heartbeats, from `PATHWAY_AMQP_*` settings.

One place decides, for the three clients pathway uses (py-amqp for the relay's publisher, kombu for the consumer,
the inbox and queue checks, nameko for `serve` and the command line's RPC), what a broker URI means:

- `amqps://` is TLS with the broker's certificate verified: it must chain to `PATHWAY_AMQP_CA_FILE` (the system's
  trust store when unset) and name the URI's host. There is no unverified mode and no fallback to plaintext.
- `amqp://` is plaintext, and is refused when any TLS file is configured, so a URI left over from development
  cannot silently send credentials and records in the clear where TLS was meant.
- A client certificate (`PATHWAY_AMQP_CERT_FILE`, with `PATHWAY_AMQP_KEY_FILE` unless the certificate file holds
  the key too) is presented when given, for brokers that verify peers or use the EXTERNAL mechanism.
- `PATHWAY_AMQP_HEARTBEAT` (seconds, default 30, at least 5; 0 turns heartbeats off) is proposed to the
  broker, which uses the lower of its own and ours. A dead broker or a half-open connection (a NAT or firewall
  that silently dropped it) is then noticed within about two intervals. A connection with heartbeats must be
  serviced: see `keep_alive` in shared/messaging/amqp.py.

TLS and heartbeats are settings, never URI query parameters: kombu lets `?ssl=` and `?heartbeat=` in a URI
override what is passed beside it, so such URIs are refused.
"""

from __future__ import annotations

import ssl
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from kombu import Connection
from pydantic import Field, FilePath, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

TLS_SCHEME = "amqps"
# nameko's consumer (kombu's ConsumerMixin) sends heartbeats only when a one-second wait for frames times out,
# and the broker sends its own every half interval: at 2 s those keep every wait busy, ours are never sent and
# the broker drops the connection (docs/STACK.md, trap 13). From 5 s on there is room.
SHORTEST_HEARTBEAT = 5
PLAIN_SCHEME = "amqp"
# URI query parameters kombu would let override the TLS options and the heartbeat given beside the URI.
OVERRIDING_PARAMETERS = frozenset({"ssl", "heartbeat"})


class BrokerSettingsError(ValueError):
    """A broker URI and the TLS settings disagree, or the URI tries to set what only settings may."""


class BrokerSettings(BaseSettings):
    """`PATHWAY_AMQP_CA_FILE`, `_CERT_FILE`, `_KEY_FILE` (PEM files that must exist) and `_HEARTBEAT` (seconds)."""

    model_config = SettingsConfigDict(env_prefix="PATHWAY_AMQP_", frozen=True, extra="forbid")

    ca_file: FilePath | None = None
    cert_file: FilePath | None = None
    key_file: FilePath | None = None
    heartbeat: int = Field(default=30, ge=0, le=3600)

    @model_validator(mode="after")
    def _key_with_its_certificate(self) -> BrokerSettings:
        if self.key_file is not None and self.cert_file is None:
            raise ValueError("PATHWAY_AMQP_KEY_FILE needs PATHWAY_AMQP_CERT_FILE (the certificate it belongs to)")
        if 0 < self.heartbeat < SHORTEST_HEARTBEAT:
            raise ValueError(f"PATHWAY_AMQP_HEARTBEAT: 0 (off) or at least {SHORTEST_HEARTBEAT} seconds")
        return self

    @property
    def names_tls_files(self) -> bool:
        return any(path is not None for path in (self.ca_file, self.cert_file, self.key_file))


def uses_tls(uri: str, settings: BrokerSettings | None = None) -> bool:
    """Whether connections made with `uri` are TLS; refuses a URI that contradicts the settings."""
    settings = BrokerSettings() if settings is None else settings
    parts = urlsplit(uri)
    overriding = sorted({key.lower() for key, _ in parse_qsl(parts.query)} & OVERRIDING_PARAMETERS)
    if overriding:
        raise BrokerSettingsError(
            f"the broker URI sets {', '.join(overriding)}: use an amqps:// URI and PATHWAY_AMQP_* settings instead"
        )
    tls = parts.scheme.lower() == TLS_SCHEME
    if not tls and settings.names_tls_files:
        raise BrokerSettingsError(
            f"PATHWAY_AMQP_CA_FILE/CERT_FILE/KEY_FILE are set but the broker URI is {parts.scheme}://, not "
            "amqps://: refusing to connect without TLS"
        )
    return tls


def ssl_options(uri: str, settings: BrokerSettings | None = None) -> dict[str, Any] | None:
    """py-amqp's `ssl` options for `uri` (kombu and nameko pass them through), or None for plaintext.

    A fresh dict each time: kombu writes into the one it is given.
    """
    settings = BrokerSettings() if settings is None else settings
    if not uses_tls(uri, settings):
        return None
    host = urlsplit(uri).hostname
    if not host:
        raise BrokerSettingsError("an amqps:// URI must name the broker's host: its certificate is checked against it")
    # py-amqp builds a client context (certificate required) and checks the host name only when it is given one.
    options: dict[str, Any] = {
        "server_hostname": host,
        "cert_reqs": ssl.CERT_REQUIRED,
        "tls_minimum_version": ssl.TLSVersion.TLSv1_2,
    }
    if settings.ca_file is not None:
        options["ca_certs"] = str(settings.ca_file)  # otherwise py-amqp loads the system's trust store
    if settings.cert_file is not None:
        options["certfile"] = str(settings.cert_file)
        options["keyfile"] = str(settings.key_file) if settings.key_file is not None else None
    return options


def broker_connection(uri: str, settings: BrokerSettings | None = None, **options: Any) -> Connection:
    """A kombu connection (not yet connected) with this deployment's TLS and heartbeat."""
    settings = BrokerSettings() if settings is None else settings
    tls = ssl_options(uri, settings)
    return Connection(uri, ssl=tls if tls is not None else False, heartbeat=settings.heartbeat, **options)


def amqp_params(uri: str, settings: BrokerSettings | None = None) -> dict[str, Any]:
    """Keyword arguments for a py-amqp `amqp.Connection`, which takes no URI: kombu parses it for us."""
    info = broker_connection(uri, settings).info()
    return {
        "host": f"{info['hostname']}:{info['port']}",
        "userid": info["userid"],
        "password": info["password"],
        "virtual_host": info["virtual_host"] or "/",
        "ssl": info["ssl"] or False,
        "heartbeat": info["heartbeat"] or 0,
        "connect_timeout": info["connect_timeout"],
    }


def nameko_config(uri: str, settings: BrokerSettings | None = None) -> dict[str, Any]:
    """nameko's broker keys: `AMQP_URI`, `AMQP_SSL` (its connections pass it to kombu as `ssl`) and `HEARTBEAT`
    (its consumers' heartbeat, which nameko services itself)."""
    settings = BrokerSettings() if settings is None else settings
    config: dict[str, Any] = {"AMQP_URI": uri, "HEARTBEAT": settings.heartbeat}
    tls = ssl_options(uri, settings)
    if tls is not None:
        config["AMQP_SSL"] = tls
    return config
