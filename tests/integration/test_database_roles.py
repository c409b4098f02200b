"""`pathway database setup` on the real PostgreSQL: a service's runtime role records and reads, and can never change
or remove what is stored; its owner role owns the database and everything in it.

Scratch names with a random suffix: the database and both roles are dropped however the test ends.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import psycopg
import pytest

from services.intake.bootstrap import build
from shared.eventstore.positions import keep_position
from shared.eventstore.reading import notifications_after
from shared.eventstore.seals import Sealer
from shared.eventstore.settings import postgres_env
from shared.messaging.relay import RELAY_TRACKING_NAME
from tests import examples as ex
from tests.integration.cluster import POSTGRES, _create_database, require_servers
from tests.integration.helpers import cli

pytestmark = pytest.mark.integration

REFUSED = "stored records are never changed or removed"
HOST, PORT, SUPERUSER = (str(POSTGRES[key]) for key in ("host", "port", "user"))


@dataclass(frozen=True)
class Roles:
    database: str
    owner: str
    runtime: str
    password: str  # both roles', made per run

    def runtime_env(self) -> dict[str, str]:
        """What the service's processes are given after the setup."""
        return {
            "INTAKE_POSTGRES_DBNAME": self.database,
            "INTAKE_POSTGRES_USER": self.runtime,
            "INTAKE_POSTGRES_PASSWORD": self.password,
            "INTAKE_POSTGRES_CREATE_TABLES": "n",
            "POSTGRES_POOL_SIZE": "1",
        }

    def connect(self, role: str) -> psycopg.Connection[Any]:
        return psycopg.connect(
            host=HOST,
            port=PORT,
            dbname=self.database,
            user=role,
            password=self.password,
            autocommit=True,
        )


@pytest.fixture
def roles(monkeypatch: pytest.MonkeyPatch) -> Iterator[Roles]:
    require_servers()
    suffix = uuid.uuid4().hex[:8]
    names = Roles(f"it_roles_{suffix}", f"it_roles_{suffix}_owner", f"it_roles_{suffix}_app", uuid.uuid4().hex)
    admin = f"postgresql://{SUPERUSER}@{HOST}:{PORT}/postgres"
    for variable, value in {
        "PATHWAY_DATABASE_ADMIN_URL": admin,
        "INTAKE_POSTGRES_DBNAME": names.database,
        "INTAKE_POSTGRES_OWNER": names.owner,
        "INTAKE_POSTGRES_OWNER_PASSWORD": names.password,
        "INTAKE_POSTGRES_USER": names.runtime,
        "INTAKE_POSTGRES_PASSWORD": names.password,
        "POSTGRES_HOST": HOST,
        "POSTGRES_PORT": PORT,
    }.items():
        monkeypatch.setenv(variable, value)
    try:
        yield names
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **POSTGRES) as db:  # type: ignore[arg-type]
            db.execute(f'DROP DATABASE IF EXISTS "{names.database}" WITH (FORCE)')
            for role in (names.runtime, names.owner):
                db.execute(f'DROP ROLE IF EXISTS "{role}"')


def set_up() -> str:
    code, out, err = cli("database", "setup", "intake")
    assert code == 0, err
    return out


def test_the_runtime_role_records_and_reads_events_but_cannot_change_or_remove_them(roles: Roles) -> None:
    set_up()
    assert roles.runtime in set_up()  # the second run changes nothing and still succeeds

    app = build(postgres_env("intake", roles.runtime_env()))
    try:
        for line in (ex.register_person("ROLE1"), ex.custodial_sentence("ROLE1")):
            assert app.handle(line["command"], line["data"]).status == "applied"  # LOCK TABLE, then INSERT
        stored = notifications_after(app, 0, 100)
        assert len(stored) >= 2
        head = stored[-1].id
        keep_position(app, RELAY_TRACKING_NAME, head)  # moved on in place: the runtime role may UPDATE it
        assert Sealer(app).seal(head).up_to == head  # what the relay does after publishing
    finally:
        app.close()

    with roles.connect(roles.runtime) as runtime:
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match=REFUSED):
            runtime.execute("UPDATE intake_events SET state = state")  # UPDATE is held for the lock only
        for statement in (
            "DELETE FROM intake_events",
            "TRUNCATE intake_events",
            "DELETE FROM intake_seals",
            "DELETE FROM intake_case_reads",
            "ALTER TABLE intake_events DISABLE TRIGGER ALL",
            "DROP TABLE intake_events",
            "CREATE TABLE intake_events_copy (id int)",
            "SET session_replication_role = replica",  # would skip ordinary triggers
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                runtime.execute(statement)
        count = runtime.execute("SELECT count(*) FROM intake_events").fetchone()
        assert count is not None
        assert count[0] == len(stored)

    # The trigger holds whatever the grants: not even the owner removes a stored event without dropping it first.
    with roles.connect(roles.owner) as owner:
        for statement in ("DELETE FROM intake_events", "TRUNCATE intake_events", "UPDATE intake_seals SET chain = ''"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege, match=REFUSED):
                owner.execute(statement)


def test_a_store_the_superuser_made_before_is_adopted_with_its_events(roles: Roles) -> None:
    _create_database(roles.database)
    earlier = build({**postgres_env("intake", {"INTAKE_POSTGRES_DBNAME": roles.database}), "POSTGRES_POOL_SIZE": "1"})
    try:
        earlier.handle("register_person", ex.register_person("OLD1")["data"])
        recorded = len(notifications_after(earlier, 0, 100))
    finally:
        earlier.close()

    set_up()

    with roles.connect(roles.owner) as owner:
        owners = owner.execute(
            "SELECT DISTINCT pg_get_userbyid(relowner) FROM pg_class WHERE relnamespace = 'public'::regnamespace"
        ).fetchall()
        assert owners == [(roles.owner,)]
    app = build(postgres_env("intake", roles.runtime_env()))
    try:
        assert len(notifications_after(app, 0, 100)) == recorded
        assert app.handle("register_person", ex.register_person("NEW1")["data"]).status == "applied"
    finally:
        app.close()


def test_a_superuser_is_never_made_a_runtime_role(roles: Roles, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INTAKE_POSTGRES_USER", SUPERUSER)

    code, _, err = cli("database", "setup", "intake")

    assert code == 1
    assert "superuser" in err
    with psycopg.connect(dbname="postgres", **POSTGRES) as db:  # type: ignore[arg-type]
        assert db.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (roles.owner,)).fetchone() is None  # untouched
