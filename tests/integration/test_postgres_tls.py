"""PostgreSQL over TLS, on a cluster of the test's own with a certificate made for the test: the TLS settings reach
both the event store's pool and the relay's own connections, and a server the given CA did not sign is refused."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import psycopg
import pytest
from eventsourcing.persistence import PersistenceError

from services.intake.bootstrap import build
from shared.eventstore.postgres import connect
from shared.eventstore.settings import postgres_env
from tests import examples as ex
from tests.integration.certificates import Authority
from tests.integration.private_servers import PrivatePostgres, TlsListener, private_postgres, scratch

pytestmark = pytest.mark.integration

DATABASE = "intake"
ON_TLS = "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()"


@dataclass(frozen=True)
class Server:
    cluster: PrivatePostgres
    ca: Authority
    rogue: Authority

    def env(self, ca: Authority, mode: str = "verify-full") -> dict[str, str]:
        return postgres_env(
            "intake",
            {
                "POSTGRES_HOST": "127.0.0.1",
                "POSTGRES_PORT": str(self.cluster.port),
                "POSTGRES_USER": "postgres",
                "INTAKE_POSTGRES_DBNAME": DATABASE,
                "POSTGRES_POOL_SIZE": "1",
                "INTAKE_POSTGRES_SSLMODE": mode,
                "POSTGRES_SSLROOTCERT": str(ca.cert_file),
            },
        )


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    with scratch("pathway-pg-certificates-") as folder:
        ca = Authority(folder, "pathway-db-test")
        issued = ca.issue("postgres", ("127.0.0.1",))
        with private_postgres(TlsListener(ca.cert_file, issued.cert, issued.key)) as cluster:
            with cluster.connect() as admin:
                admin.execute(f'CREATE DATABASE "{DATABASE}"')
            yield Server(cluster, ca, Authority(folder, "rogue"))


def test_the_event_store_and_the_relays_connections_verify_the_server(server: Server) -> None:
    env = server.env(server.ca)
    app = build(env)
    try:
        assert app.handle("register_person", ex.register_person("TLSDB1")["data"]).status == "applied"
        datastore: Any = app.recorder.datastore  # type: ignore[attr-defined]
        with datastore.transaction(commit=False) as cursor:
            cursor.execute(ON_TLS)
            assert cursor.fetchone()["ssl"] is True
    finally:
        app.close()
    with connect(env) as relays:  # the relay's lock and LISTEN connections
        assert relays.execute(ON_TLS).fetchone() == (True,)


def test_a_server_certificate_not_signed_by_the_given_ca_is_refused(server: Server) -> None:
    with pytest.raises(psycopg.OperationalError, match="certificate verify failed"):
        connect(server.env(server.rogue)).close()
    with pytest.raises(psycopg.OperationalError, match="certificate verify failed"):
        build(server.env(server.rogue))  # it takes its turn to create tables on a connection of its own first
    # A runtime role's process goes straight to the pool, whose attempts fail until it gives up.
    from_the_pool = {**server.env(server.rogue), "CREATE_TABLE": "n", "POSTGRES_CONNECT_TIMEOUT": "2"}
    with pytest.raises(PersistenceError, match="couldn't get a connection"):
        build(from_the_pool)
