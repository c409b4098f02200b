"""`pathway database setup`: each service's database owned by a role of its own, and a runtime role that can add
records and read them but never change or remove them.

For each service (all three unless some are named):

- the owner role (`<SERVICE>_POSTGRES_OWNER`, default `pathway_<service>_owner`) owns the database, its schema
  and every table in it, and creates them: the setup builds the service's application signed in as the owner;
- the runtime role (`<SERVICE>_POSTGRES_USER`, default `pathway_<service>`), which the service's processes sign
  in as, may connect to that database only, read every table and insert into it. It owns nothing and may create
  nothing, so its processes run with `<SERVICE>_POSTGRES_CREATE_TABLES=n`;
- every table but the tracking table and the kept positions (bookkeeping: the ids of processed messages, and
  positions moved on in place, so the runtime role may also UPDATE the latter) refuses UPDATE, DELETE and
  TRUNCATE with a trigger owned by the owner role. Grants alone cannot do it: eventsourcing locks the events
  table IN EXCLUSIVE MODE for every insert, which PostgreSQL allows only to a role that may UPDATE, DELETE or
  TRUNCATE it, so the runtime role holds UPDATE on that table and the trigger refuses every use of it. The
  trigger is enabled ALWAYS, so a session in replica mode does not skip it either. The snapshot table is one
  of them: eventsourcing only ever inserts snapshots, and a later one is simply read first. It is made even
  where `SNAPSHOT_INTERVAL` turns snapshots off, so that turning them on needs no new setup.

From the environment (passwords are never in the repository):

- `PATHWAY_DATABASE_ADMIN_URL`: a libpq URL or conninfo of a superuser, e.g.
  `postgresql://postgres@db.internal:5432/postgres` (with its password in `PGPASSWORD` or a `.pgpass` file);
- `<SERVICE>_POSTGRES_OWNER_PASSWORD` and `<SERVICE>_POSTGRES_PASSWORD`: the roles' passwords. Each is set when
  given, as a SCRAM verifier computed here (the password itself never reaches the server or its logs), and left
  as it is when not;
- `<SERVICE>_POSTGRES_DBNAME`, `POSTGRES_HOST`, `POSTGRES_PORT` and the TLS settings, as the processes read them
  (shared/eventstore/settings.py): the owner signs in there to create the tables.

Every step is create-or-update. Run it before the first start and again after each upgrade (new tables get their
grants and trigger then). A store made earlier by another role (the superuser, before this setup existed) is
adopted: its tables, types and functions are given to the owner role.
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TextIO

import psycopg
from psycopg import sql

from pathway.services import SERVICES
from shared.errors import PathwayError
from shared.eventstore.positions import positions_table
from shared.eventstore.postgres import connect
from shared.eventstore.seals import create_seals_table
from shared.eventstore.settings import CREATE_TABLE, postgres_env
from shared.eventstore.snapshots import create_snapshot_table

ADMIN_URL_VARIABLE = "PATHWAY_DATABASE_ADMIN_URL"
REFUSING_FUNCTION = "pathway_refuse_change"
APPEND_ONLY_TRIGGER = "pathway_append_only"
SCHEMA = "public"
LONGEST_NAME = 63  # PostgreSQL's identifier limit: a longer name would be cut silently


class DatabaseSetupError(PathwayError):
    """The setup cannot go on: a setting is missing or contradicts another, or a role would not be confined."""


@dataclass(frozen=True)
class ServiceDatabase:
    """One service's database and its two roles, as the environment names them."""

    service: str
    database: str
    owner: str
    runtime: str
    owner_password: str | None
    runtime_password: str | None

    @classmethod
    def from_environ(cls, service: str, environ: Mapping[str, str]) -> ServiceDatabase:
        prefix = service.upper() + "_"
        target = cls(
            service=service,
            database=environ.get(prefix + "POSTGRES_DBNAME") or service,
            owner=environ.get(prefix + "POSTGRES_OWNER") or f"pathway_{service}_owner",
            runtime=environ.get(prefix + "POSTGRES_USER") or f"pathway_{service}",
            owner_password=environ.get(prefix + "POSTGRES_OWNER_PASSWORD") or None,
            runtime_password=environ.get(prefix + "POSTGRES_PASSWORD") or None,
        )
        if target.owner == target.runtime:
            raise DatabaseSetupError(f"{service}: the owner and runtime roles must differ (both {target.owner!r})")
        for name in (target.database, target.owner, target.runtime):
            if not 0 < len(name) <= LONGEST_NAME:
                problem = f"names are 1 to {LONGEST_NAME} characters"
                raise DatabaseSetupError(f"{service}: {name[:LONGEST_NAME]!r}: {problem}")
        return target

    def owner_env(self, environ: Mapping[str, str]) -> dict[str, str]:
        """The service's store settings, signed in as the owner, creating the tables."""
        return {
            **postgres_env(self.service, environ),
            "POSTGRES_DBNAME": self.database,
            "POSTGRES_USER": self.owner,
            "POSTGRES_PASSWORD": self.owner_password or "",
            "POSTGRES_POOL_SIZE": "1",
            "POSTGRES_MAX_OVERFLOW": "0",
            CREATE_TABLE: "y",
        }


def add_database_arguments(commands: Any) -> None:
    database = commands.add_parser("database", help="set up PostgreSQL: each service's owner and runtime roles")
    actions = database.add_subparsers(dest="database_command", required=True)
    setup = actions.add_parser(
        "setup",
        help=f"create or update each service's database, roles, grants and append-only trigger (idempotent); reads "
        f"{ADMIN_URL_VARIABLE}, <SERVICE>_POSTGRES_OWNER[_PASSWORD], <SERVICE>_POSTGRES_USER, _PASSWORD, _DBNAME",
    )
    # No `choices`: argparse checks an empty list against them and refuses the default, all services.
    setup.add_argument("services", nargs="*", metavar="SERVICE", help="the services to set up (default: all)")


def cmd_database(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    unknown = sorted(set(args.services) - set(SERVICES))
    if unknown:
        print(
            f"pathway database setup: no service {', '.join(unknown)} (services: {', '.join(sorted(SERVICES))})",
            file=err,
        )
        return 2
    admin_url = os.environ.get(ADMIN_URL_VARIABLE)
    if not admin_url:
        raise DatabaseSetupError(f"{ADMIN_URL_VARIABLE} is not set: the setup needs a superuser to create roles")
    targets = [ServiceDatabase.from_environ(name, os.environ) for name in (args.services or sorted(SERVICES))]
    for target in targets:
        protected = set_up(admin_url, target, os.environ)
        prefix = target.service.upper()
        print(
            f"{target.service}: database {target.database} owned by {target.owner}; runtime role {target.runtime} "
            f"reads and inserts; {', '.join(protected)} refuse UPDATE, DELETE and TRUNCATE. Run its processes with "
            f"{prefix}_POSTGRES_USER={target.runtime} {prefix}_POSTGRES_CREATE_TABLES=n",
            file=out,
        )
    return 0


def set_up(admin_url: str, target: ServiceDatabase, environ: Mapping[str, str]) -> list[str]:
    """Set one service's database up; returns the tables made append-only."""
    with psycopg.connect(admin_url, autocommit=True) as admin:
        refuse_superusers(admin, (target.owner, target.runtime))  # before anything is changed
        for role, password in ((target.owner, target.owner_password), (target.runtime, target.runtime_password)):
            ensure_role(admin, role, password)
        ensure_database(admin, target)
    with psycopg.connect(admin_url, dbname=target.database, autocommit=True) as admin:
        adopt_schema(admin, target)
    owner_env = target.owner_env(environ)
    app = SERVICES[target.service].build(owner_env)  # creates the store's tables, as the owner
    try:
        create_seals_table(app)  # the relay makes it on first use otherwise, which a runtime role cannot
        create_snapshot_table(app)  # with snapshots on, building the application made it already
        events: str = app.recorder.events_table_name  # type: ignore[attr-defined]
        tracking: str = app.recorder.tracking_table_name  # type: ignore[attr-defined]
        positions = positions_table(app.recorder)
    finally:
        app.close()
    with connect(owner_env) as owner, owner.transaction():
        return confine_runtime(owner, target.runtime, events, tracking, positions)


def refuse_superusers(admin: psycopg.Connection, roles: tuple[str, ...]) -> None:
    for role in roles:
        found = admin.execute("SELECT rolsuper FROM pg_roles WHERE rolname = %s", (role,)).fetchone()
        if found is not None and found[0]:
            raise DatabaseSetupError(f"role {role!r} is a superuser: choose another name, it could never be confined")


def ensure_role(admin: psycopg.Connection, role: str, password: str | None) -> None:
    found = admin.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone()
    statement = sql.SQL("{} ROLE {} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS").format(
        sql.SQL("ALTER" if found is not None else "CREATE"), sql.Identifier(role)
    )
    if password:
        verifier = admin.pgconn.encrypt_password(password.encode(), role.encode(), b"scram-sha-256").decode()
        statement += sql.SQL(" PASSWORD {}").format(sql.Literal(verifier))
    admin.execute(statement)


def ensure_database(admin: psycopg.Connection, target: ServiceDatabase, attempts: int = 5) -> None:
    database, owner = sql.Identifier(target.database), sql.Identifier(target.owner)
    if admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (target.database,)).fetchone() is None:
        for attempt in range(attempts):
            try:  # CREATE DATABASE copies template1, and fails while another session is connected to it
                admin.execute(sql.SQL("CREATE DATABASE {} OWNER {}").format(database, owner))
                break
            except psycopg.errors.ObjectInUse:
                if attempt == attempts - 1:
                    raise
                time.sleep(1.0)
    else:
        admin.execute(sql.SQL("ALTER DATABASE {} OWNER TO {}").format(database, owner))
    # Nobody else connects (or makes temporary tables) there: the runtime role connects, the owner owns it.
    admin.execute(sql.SQL("REVOKE ALL ON DATABASE {} FROM PUBLIC").format(database))
    admin.execute(sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(database, sql.Identifier(target.runtime)))


# What the owner must own in the schema, found in the catalogue: tables and views (their sequences follow),
# then any sequence left, standalone composite types, and functions.
_NOT_OWNED = {
    "TABLE": "SELECT c.oid::regclass::text FROM pg_class c WHERE c.relnamespace = %(schema)s::regnamespace "
    "AND c.relkind IN ('r', 'p', 'v', 'm') AND c.relowner <> %(owner)s::regrole",
    "SEQUENCE": "SELECT c.oid::regclass::text FROM pg_class c WHERE c.relnamespace = %(schema)s::regnamespace "
    "AND c.relkind = 'S' AND c.relowner <> %(owner)s::regrole",
    "TYPE": "SELECT c.oid::regclass::text FROM pg_class c WHERE c.relnamespace = %(schema)s::regnamespace "
    "AND c.relkind = 'c' AND c.relowner <> %(owner)s::regrole",
    "FUNCTION": "SELECT p.oid::regprocedure::text FROM pg_proc p WHERE p.pronamespace = %(schema)s::regnamespace "
    "AND p.proowner <> %(owner)s::regrole",
}


def adopt_schema(admin: psycopg.Connection, target: ServiceDatabase) -> None:
    """Give the schema and what is in it to the owner; only the owner creates there."""
    owner, runtime = sql.Identifier(target.owner), sql.Identifier(target.runtime)
    schema = sql.Identifier(SCHEMA)
    admin.execute(sql.SQL("ALTER SCHEMA {} OWNER TO {}").format(schema, owner))
    admin.execute(sql.SQL("REVOKE CREATE ON SCHEMA {} FROM PUBLIC").format(schema))
    admin.execute(sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(schema, runtime))
    names = {"schema": SCHEMA, "owner": target.owner}
    for kind, query in _NOT_OWNED.items():
        for (name,) in admin.execute(query, names).fetchall():
            # regclass and regprocedure texts are already quoted, with their argument types for a function.
            admin.execute(sql.SQL("ALTER {} {} OWNER TO {}").format(sql.SQL(kind), sql.SQL(name), owner))


def confine_runtime(owner: psycopg.Connection, runtime: str, events: str, tracking: str, positions: str) -> list[str]:
    """As the owner, in one transaction: the runtime role's grants, and the trigger on every table but tracking
    and the kept positions."""
    role, schema, function = sql.Identifier(runtime), sql.Identifier(SCHEMA), sql.Identifier(REFUSING_FUNCTION)
    owner.execute(
        sql.SQL(
            "CREATE OR REPLACE FUNCTION {}.{}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            "RAISE EXCEPTION '% on %: stored records are never changed or removed', TG_OP, TG_TABLE_NAME "
            "USING ERRCODE = 'insufficient_privilege'; END $$"
        ).format(schema, function)
    )
    for statement in (
        "REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {role}",
        "REVOKE ALL ON ALL SEQUENCES IN SCHEMA {schema} FROM {role}",
        "GRANT SELECT, INSERT ON ALL TABLES IN SCHEMA {schema} TO {role}",
        "GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {role}",
    ):
        owner.execute(sql.SQL(statement).format(schema=schema, role=role))
    # Only for eventsourcing's LOCK TABLE ... IN EXCLUSIVE MODE on insert: the trigger refuses every UPDATE.
    owner.execute(sql.SQL("GRANT UPDATE ON {}.{} TO {}").format(schema, sql.Identifier(events), role))
    # Kept positions (a relay's, watermarks, counters) are moved on in place: bookkeeping, like tracking.
    owner.execute(sql.SQL("GRANT UPDATE ON {}.{} TO {}").format(schema, sql.Identifier(positions), role))
    tables = [
        name
        for (name,) in owner.execute(
            "SELECT relname FROM pg_class WHERE relnamespace = %s::regnamespace AND relkind IN ('r', 'p') "
            "ORDER BY relname",
            (SCHEMA,),
        ).fetchall()
        if name not in (tracking, positions)  # processed ids and positions: bookkeeping rather than the record
    ]
    for table in tables:
        refuse_changes(owner, table)
    return tables


def refuse_changes(owner: psycopg.Connection, table: str) -> None:
    names = {
        "table": sql.SQL("{}.{}").format(sql.Identifier(SCHEMA), sql.Identifier(table)),
        "trigger": sql.Identifier(APPEND_ONLY_TRIGGER),
        "function": sql.SQL("{}.{}").format(sql.Identifier(SCHEMA), sql.Identifier(REFUSING_FUNCTION)),
    }
    for statement in (
        "DROP TRIGGER IF EXISTS {trigger} ON {table}",
        "CREATE TRIGGER {trigger} BEFORE UPDATE OR DELETE OR TRUNCATE ON {table} "
        "FOR EACH STATEMENT EXECUTE FUNCTION {function}()",
        "ALTER TABLE {table} ENABLE ALWAYS TRIGGER {trigger}",
    ):
        owner.execute(sql.SQL(statement).format(**names))
