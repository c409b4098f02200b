"""Snapshots under `pathway database setup` on the real PostgreSQL: the owner makes their table (even with snapshots
off), the runtime role takes and reads them, and can no more change or remove one than a stored event.

Scratch names with a random suffix: the database and both roles are dropped however the test ends.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest

from services.intake.bootstrap import build
from shared.contracts.base import NationalId, person_id_for
from shared.eventstore.aggregate_loader import AggregateLoader
from shared.eventstore.settings import postgres_env
from tests import examples as ex
from tests.integration.cluster import POSTGRES, require_servers
from tests.integration.helpers import cli

pytestmark = pytest.mark.integration

HOST, PORT, SUPERUSER = (str(POSTGRES[key]) for key in ("host", "port", "user"))
REFUSED = "stored records are never changed or removed"


@pytest.fixture
def scratch(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    """The intake service's database and roles, named for this test; what its runtime processes are given."""
    require_servers()
    suffix = uuid.uuid4().hex[:8]
    database, owner, runtime, password = f"it_snap_{suffix}", f"it_snap_{suffix}_owner", f"it_snap_{suffix}_app", suffix
    for variable, value in {
        "PATHWAY_DATABASE_ADMIN_URL": f"postgresql://{SUPERUSER}@{HOST}:{PORT}/postgres",
        "INTAKE_POSTGRES_DBNAME": database,
        "INTAKE_POSTGRES_OWNER": owner,
        "INTAKE_POSTGRES_OWNER_PASSWORD": password,
        "INTAKE_POSTGRES_USER": runtime,
        "INTAKE_POSTGRES_PASSWORD": password,
        "POSTGRES_HOST": HOST,
        "POSTGRES_PORT": PORT,
    }.items():
        monkeypatch.setenv(variable, value)
    try:
        yield {
            "INTAKE_POSTGRES_DBNAME": database,
            "INTAKE_POSTGRES_USER": runtime,
            "INTAKE_POSTGRES_PASSWORD": password,
            "INTAKE_POSTGRES_CREATE_TABLES": "n",
            "POSTGRES_POOL_SIZE": "1",
        }
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **POSTGRES) as db:  # type: ignore[arg-type]
            db.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
            for role in (runtime, owner):
                db.execute(f'DROP ROLE IF EXISTS "{role}"')


def as_runtime(runtime_env: dict[str, str]) -> psycopg.Connection[Any]:
    return psycopg.connect(
        host=HOST,
        port=PORT,
        dbname=runtime_env["INTAKE_POSTGRES_DBNAME"],
        user=runtime_env["INTAKE_POSTGRES_USER"],
        password=runtime_env["INTAKE_POSTGRES_PASSWORD"],
        autocommit=True,
    )


def test_the_runtime_role_takes_and_reads_snapshots_and_cannot_change_them(
    scratch: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SNAPSHOT_INTERVAL", "off")  # the setup makes their table all the same
    code, out, err = cli("database", "setup", "intake")
    assert code == 0, err
    assert "intake_snapshots" in out  # among the tables that refuse UPDATE, DELETE and TRUNCATE
    monkeypatch.delenv("SNAPSHOT_INTERVAL")

    app = build(postgres_env("intake", {**scratch, "INTAKE_SNAPSHOT_INTERVAL": "2"}))
    try:
        for line in (ex.register_person("SNAP1"), ex.custodial_sentence("SNAP1"), ex.admit("SNAP1")):
            assert app.handle(line["command"], line["data"]).status == "applied"
        person = person_id_for(NationalId(**ex.nid("SNAP1")))
        assert app.snapshots is not None
        assert [snapshot.originator_version for snapshot in app.snapshots.get(person)]  # taken by the runtime role
        app.loader.recent.forget(person)
        assert app.get_or_none(person) == AggregateLoader(app.events, None, 0).load(person)  # and read by it
    finally:
        app.close()

    with as_runtime(scratch) as runtime:
        for statement in (
            "UPDATE intake_snapshots SET state = state",
            "DELETE FROM intake_snapshots",
            "TRUNCATE intake_snapshots",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                runtime.execute(statement)
        count = runtime.execute("SELECT count(*) FROM intake_snapshots").fetchone()
        assert count is not None
        assert count[0] >= 1
