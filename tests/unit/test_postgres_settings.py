"""PostgreSQL settings: TLS parameters and table creation reach the event store's pool and the project's own
connections (no server needed: nothing here connects)."""

from __future__ import annotations

from typing import Any

import pytest
from eventsourcing.persistence import Environment

from services.intake.bootstrap import Intake
from shared.eventstore import postgres
from shared.eventstore.settings import creates_tables, postgres_env, tls_connect_options

TLS = {
    "POSTGRES_SSLMODE": "verify-full",
    "POSTGRES_SSLROOTCERT": "/etc/pathway/db-ca.pem",
    "POSTGRES_SSLCERT": "/etc/pathway/client.pem",
    "POSTGRES_SSLKEY": "/etc/pathway/client.key",
}


def test_tls_settings_are_read_per_service_first_then_shared() -> None:
    env = postgres_env("intake", {**TLS, "INTAKE_POSTGRES_SSLMODE": "require", "RELEASE_POSTGRES_SSLMODE": "disable"})

    assert env["POSTGRES_SSLMODE"] == "require"
    assert env["POSTGRES_SSLROOTCERT"] == "/etc/pathway/db-ca.pem"
    assert tls_connect_options(env) == {
        "sslmode": "require",
        "sslrootcert": "/etc/pathway/db-ca.pem",
        "sslcert": "/etc/pathway/client.pem",
        "sslkey": "/etc/pathway/client.key",
    }


def test_unset_tls_settings_leave_libpq_its_defaults() -> None:
    env = postgres_env("intake", {})

    assert not [key for key in env if "SSL" in key]
    assert tls_connect_options(env) == {}


def test_an_unknown_sslmode_is_refused() -> None:
    with pytest.raises(ValueError, match="POSTGRES_SSLMODE"):
        postgres_env("intake", {"POSTGRES_SSLMODE": "verify-fully"})


def test_the_event_stores_pool_connects_with_the_tls_settings() -> None:
    env = Environment("intake", postgres_env("intake", TLS))
    application = Intake.__new__(Intake)  # only its factory is built: the pool opens on first use, not here

    factory: Any = application.construct_factory(env)
    try:
        assert {key: factory.datastore.pool.kwargs[key] for key in ("sslmode", "sslrootcert")} == {
            "sslmode": "verify-full",
            "sslrootcert": "/etc/pathway/db-ca.pem",
        }
        assert factory.datastore.pool.kwargs["user"] == "postgres"  # eventsourcing's own settings are kept
    finally:
        factory.close()


def test_the_relays_own_connections_use_the_tls_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[str, Any] = {}

    def fake_connect(**kwargs: Any) -> str:
        seen.update(kwargs)
        return "connection"

    monkeypatch.setattr(postgres.psycopg, "connect", fake_connect)
    postgres.connect(postgres_env("release", TLS))

    assert (seen["sslmode"], seen["sslrootcert"], seen["sslkey"]) == (
        "verify-full",
        "/etc/pathway/db-ca.pem",
        "/etc/pathway/client.key",
    )


@pytest.mark.parametrize(
    ("environ", "creates"),
    [
        ({}, True),
        ({"POSTGRES_CREATE_TABLES": "n"}, False),
        ({"POSTGRES_CREATE_TABLES": "n", "INTAKE_POSTGRES_CREATE_TABLES": "y"}, True),
        ({"INTAKE_POSTGRES_CREATE_TABLES": "no"}, False),
    ],
)
def test_a_runtime_role_can_be_told_not_to_create_tables(environ: dict[str, str], creates: bool) -> None:
    env = postgres_env("intake", environ)

    assert creates_tables(env) is creates
    assert (env["CREATE_TABLE"] == "y") is creates  # what eventsourcing reads for its own tables
