"""docker-compose.yml and deploy/ checked against the code that will run in them.

There is no Docker engine here, so the compose file is read, not run: its commands
are parsed by the real `pathway` argument parser, its environment is fed to the
real `postgres_env`, and every variable it sets must be one the code reads.

`pathway.serve` is read with `ast`, never imported: importing it monkey-patches
the whole test process with eventlet.
"""

from __future__ import annotations

import ast
import re
import shlex
import tomllib
from collections.abc import Mapping
from fractions import Fraction
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
import yaml  # PyYAML: fails loudly when missing rather than skipping the deployment checks

from pathway.broker_setup import plan_from
from pathway.cli import _parser
from pathway.database_setup import ServiceDatabase
from services.release.bootstrap import rules_from
from shared.eventstore.settings import creates_tables, postgres_env
from shared.messaging.publishers import Publishers

ROOT = Path(__file__).resolve().parents[1]
COMPOSE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "deploy" / "Dockerfile"
INIT_SQL = ROOT / "deploy" / "postgres-init" / "01-databases.sql"
SERVICES = ("intake", "programmes", "release")
PROCESSES = ("serve", "relay", "consume", "inbox")
INFRASTRUCTURE = ("rabbitmq", "postgres")
BROKER_SETUP = "broker-setup"  # one-shot: `pathway broker setup`, before every pathway process
DATABASE_SETUP = "database-setup"  # one-shot: `pathway database setup`, before every pathway process
ONE_SHOTS = (BROKER_SETUP, DATABASE_SETUP)

# Variables the code reads outside postgres_env, each with the files that read it
# (checked below: the name must appear literally in every one of them).
READ_BY: dict[str, tuple[str, ...]] = {
    "AMQP_URI": ("shared/messaging/publishers.py", "pathway/broker_setup.py"),
    "RABBITMQ_MANAGEMENT_URL": ("pathway/broker_setup.py",),
    "PATHWAY_PUBLISHERS": ("shared/messaging/publishers.py",),
    "PATHWAY_BROKER_PASSWORDS_FILE": ("pathway/broker_setup.py",),
    "PATHWAY_HTTP_HOST": ("pathway/serve.py",),
    "PATHWAY_MAX_WORKERS": ("pathway/serve.py",),
    "PATHWAY_LOG_LEVEL": ("pathway/serve.py", "pathway/cli.py"),
    "PATHWAY_AUTHENTICATION": ("shared/auth/gate.py",),
    "POSTGRES_CREATE_TABLES": ("shared/eventstore/settings.py",),
    "PATHWAY_OIDC_ISSUER": ("shared/auth/gate.py",),
    "PATHWAY_AGENCIES_FILE": ("shared/auth/agencies.py",),
    "RELEASE_RULES_FILE": ("services/release/bootstrap.py",),
    "RELEASE_CONDITIONAL_FRACTION": ("services/release/bootstrap.py",),
    "RELEASE_RULES_VERSION": ("services/release/bootstrap.py",),
}
SERVE_PORT_VARIABLE = 'f"{name.upper()}_HTTP_PORT"'  # how pathway/serve.py names the port variable
# Keys postgres_env fixes itself, whatever the environment says.
FIXED_BY_POSTGRES_ENV = {"PERSISTENCE_MODULE", "SINGLE_ROW_TRACKING"}


# ---- reading the files ---------------------------------------------------------------


def load_compose() -> dict[str, Any]:
    document = yaml.safe_load(COMPOSE.read_text())  # resolves the anchors and `<<` merges
    assert isinstance(document, dict), "docker-compose.yml: not a mapping"
    return document


COMPOSE_DOC = load_compose()
CONTAINERS: dict[str, dict[str, Any]] = COMPOSE_DOC.get("services") or {}


def interpolate(value: Any, environ: Mapping[str, str] | None = None) -> str:
    """Compose's `${VAR}`, `${VAR:-default}`, `${VAR-default}` and `$$`, with `environ` as the shell.

    With no environ: what an operator gets without setting anything (the defaults).
    """
    environ = environ or {}
    text = str(value)

    def substitute(match: re.Match[str]) -> str:
        if match.group(0) == "$$":
            return "$"
        name, operator, default = match.group("name"), match.group("op"), match.group("default") or ""
        if operator == ":-":
            return environ.get(name) or default
        if operator == "-":
            return environ.get(name, default)
        return environ.get(name, "")

    return re.sub(r"\$\$|\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?-)(?P<default>[^}]*))?\}", substitute, text)


def environment(container: Mapping[str, Any]) -> dict[str, str]:
    """A container's environment as the process sees it (mapping or list form, defaults interpolated)."""
    raw = container.get("environment") or {}
    if isinstance(raw, list):
        pairs = [item.split("=", 1) if "=" in item else [item, ""] for item in raw]
        raw = dict(pairs)
    return {str(key): interpolate(value) for key, value in raw.items() if value is not None}


def command(container: Mapping[str, Any]) -> list[str]:
    raw = container.get("command")
    assert raw, "no command"
    return shlex.split(raw) if isinstance(raw, str) else [str(part) for part in raw]


def parse_command(argv: list[str]) -> Any:
    """The real `pathway` parser's reading of a container's command (SystemExit on a bad one)."""
    assert argv[0] == "pathway", f"{argv}: not the `pathway` console script"
    try:
        return _parser().parse_args(argv[1:])
    except SystemExit:
        pytest.fail(f"`{shlex.join(argv)}` is refused by pathway's argument parser")


def default_ports() -> dict[str, int]:
    """`DEFAULT_PORTS` from pathway/serve.py, read without importing it (eventlet would patch us)."""
    tree = ast.parse((ROOT / "pathway" / "serve.py").read_text())
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == "DEFAULT_PORTS" for target in node.targets
        ):
            return ast.literal_eval(node.value)
    raise AssertionError("pathway/serve.py no longer defines DEFAULT_PORTS")


def published(container: Mapping[str, Any]) -> list[tuple[int | None, int]]:
    """(host port, container port) for each published port, short or long syntax."""
    result: list[tuple[int | None, int]] = []
    for entry in container.get("ports") or []:
        if isinstance(entry, Mapping):
            host = entry.get("published")
            result.append((int(interpolate(host)) if host is not None else None, int(entry["target"])))
            continue
        parts = interpolate(entry).split("/")[0].split(":")
        target = int(parts[-1])
        result.append((int(parts[-2]) if len(parts) >= 2 and parts[-2] else None, target))
    return result


def created_databases() -> set[str]:
    text = re.sub(r"--[^\n]*", "", INIT_SQL.read_text())
    return {name.lower() for name in re.findall(r'(?i)\bcreate\s+database\s+"?([A-Za-z_][A-Za-z0-9_]*)"?', text)}


def app_containers() -> dict[str, tuple[str, str]]:
    """Every container that runs `pathway`, with (process, service) from its parsed command."""
    apps = {}
    for name, container in CONTAINERS.items():
        if name in (*INFRASTRUCTURE, *ONE_SHOTS):
            continue
        args = parse_command(command(container))
        apps[name] = (args.command, args.service)
    return apps


def postgres_variables(service: str) -> set[str]:
    """The names postgres_env reads for `service`, found by its behaviour: setting one changes the result."""
    baseline = postgres_env(service, {})
    candidates = {key for key in baseline if key not in FIXED_BY_POSTGRES_ENV}
    candidates |= {f"{service.upper()}_{key}" for key in candidates}
    return {name for name in candidates if postgres_env(service, {name: "probe-value"}) != baseline}


def known_variables(process: str, service: str) -> set[str]:
    known = set(READ_BY) | postgres_variables(service) | {f"{service.upper()}_AMQP_URI"}
    if process == "serve":
        known.add(f"{service.upper()}_HTTP_PORT")
    return known


# ---- the checks --------------------------------------------------------------------------


def test_compose_has_the_infrastructure_with_healthchecks() -> None:
    for name in INFRASTRUCTURE:
        assert name in CONTAINERS, f"docker-compose.yml: no {name} service"
        assert CONTAINERS[name].get("healthcheck", {}).get("test"), f"{name}: no healthcheck"
    assert str(CONTAINERS["rabbitmq"]["image"]).startswith("rabbitmq:3.13-management")
    assert str(CONTAINERS["postgres"]["image"]).startswith("postgres:15")


def test_every_command_is_a_valid_pathway_invocation() -> None:
    for name, container in CONTAINERS.items():
        if name in (*INFRASTRUCTURE, *ONE_SHOTS):
            continue
        args = parse_command(command(container))
        assert args.command in PROCESSES, f"{name}: runs `pathway {args.command}`, not a long-running process"


def test_the_console_script_the_commands_call_is_declared() -> None:
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts.get("pathway") == "pathway.cli:main"


def test_each_service_has_its_serve_relay_consumer_and_inbox_containers() -> None:
    apps = app_containers()
    expected = {
        (process, service): name
        for service in SERVICES
        for process, name in (
            ("serve", service),
            ("relay", f"{service}-relay"),
            ("consume", f"{service}-consumer"),
            ("inbox", f"{service}-inbox"),
        )
    }
    found = {(process, service): name for name, (process, service) in apps.items()}
    assert sorted(apps.values()) == sorted(expected), "one container per process and service, none twice"
    assert found == expected


def test_app_containers_are_built_from_the_dockerfile_and_wait_for_healthy_servers() -> None:
    for name in app_containers():
        container = CONTAINERS[name]
        build = container.get("build")
        assert isinstance(build, Mapping), f"{name}: not built"
        assert (ROOT / build.get("context", ".") / build["dockerfile"]).resolve() == DOCKERFILE.resolve(), name
        assert container.get("restart") == "unless-stopped", name
        depends = container.get("depends_on")
        assert isinstance(depends, Mapping), f"{name}: depends_on needs conditions"
        for server in INFRASTRUCTURE:
            assert depends.get(server, {}).get("condition") == "service_healthy", f"{name}: {server} not awaited"
        setup = depends.get(BROKER_SETUP, {}).get("condition")
        assert setup == "service_completed_successfully", f"{name}: its broker user may not exist yet"
        setup = depends.get(DATABASE_SETUP, {}).get("condition")
        assert setup == "service_completed_successfully", f"{name}: its database role may not exist yet"
        assert "env_file" not in container, f"{name}: env_file would escape these checks; use environment"


def test_every_variable_an_app_container_sets_is_read_by_the_code() -> None:
    for name, (process, service) in app_containers().items():
        unknown = set(environment(CONTAINERS[name])) - known_variables(process, service)
        assert not unknown, f"{name}: sets {sorted(unknown)}, which `pathway {process} {service}` never reads"


def test_the_listed_variable_names_appear_in_the_code_that_reads_them() -> None:
    for variable, files in READ_BY.items():
        for file in files:
            assert variable in (ROOT / file).read_text(), f"{file} no longer reads {variable}"
    assert SERVE_PORT_VARIABLE in (ROOT / "pathway" / "serve.py").read_text()
    settings = (ROOT / "shared" / "eventstore" / "settings.py").read_text()
    for service in SERVICES:
        for variable in postgres_variables(service):
            assert variable.removeprefix(f"{service.upper()}_") in settings


def test_app_containers_reach_the_compose_servers_with_their_credentials() -> None:
    postgres = environment(CONTAINERS["postgres"])
    rabbitmq = environment(CONTAINERS["rabbitmq"])
    database_setup = environment(CONTAINERS[DATABASE_SETUP])
    for name, (_, service) in app_containers().items():
        env = environment(CONTAINERS[name])
        settings = postgres_env(service, env)
        assert settings["POSTGRES_HOST"] == "postgres", f"{name}: PostgreSQL at {settings['POSTGRES_HOST']}"
        assert settings["POSTGRES_PORT"] == "5432", name
        runtime = ServiceDatabase.from_environ(service, database_setup)
        assert settings["POSTGRES_USER"] == runtime.runtime, f"{name}: not its service's runtime role"
        assert settings["POSTGRES_USER"] != postgres.get("POSTGRES_USER", "postgres"), f"{name}: the superuser"
        assert settings["POSTGRES_PASSWORD"] == runtime.runtime_password, f"{name}: not the password set up"
        assert not creates_tables(settings), f"{name}: a runtime role owns no tables and creates none"
        variable = f"{service.upper()}_AMQP_URI"
        assert variable in env, f"{name}: would connect as AMQP_URI's user, or to the default broker on 127.0.0.1"
        assert "AMQP_URI" not in env, f"{name}: the operator's broker credentials do not belong in a service"
        uri = urlsplit(env[variable])
        assert uri.scheme == "amqp", f"{name}: {variable} {env[variable]!r}"
        assert uri.hostname == "rabbitmq", f"{name}: the broker at {uri.hostname}"
        relay_user = Publishers.from_environ(env).relay_user(service)
        assert unquote(uri.username or "") == relay_user, f"{name}: consumers would reject what its relay publishes"
        assert unquote(uri.username or "") != rabbitmq.get("RABBITMQ_DEFAULT_USER", "guest"), name
        assert env[variable] == environment(CONTAINERS[BROKER_SETUP])[variable], f"{name}: not the user set up"


def test_broker_setup_runs_once_as_the_broker_administrator_and_makes_every_services_user() -> None:
    container = CONTAINERS[BROKER_SETUP]
    args = parse_command(command(container))
    assert (args.command, args.broker_command) == ("broker", "setup")
    assert container["build"]["dockerfile"] == "deploy/Dockerfile"
    assert container["depends_on"]["rabbitmq"]["condition"] == "service_healthy"
    assert container.get("restart") in ("no", "on-failure"), "a one-shot container must not restart once it is done"
    env = environment(container)
    rabbitmq = environment(CONTAINERS["rabbitmq"])
    admin = urlsplit(env["AMQP_URI"])
    assert admin.hostname == "rabbitmq"
    assert unquote(admin.username or "") == rabbitmq.get("RABBITMQ_DEFAULT_USER", "guest")
    assert unquote(admin.password or "") == rabbitmq.get("RABBITMQ_DEFAULT_PASS", "guest")
    assert urlsplit(env["RABBITMQ_MANAGEMENT_URL"]).hostname == "rabbitmq"
    assert plan_from(env, SERVICES).users() == [Publishers().relay_user(service) for service in SERVICES]
    unknown = set(env) - set(READ_BY) - {f"{service.upper()}_AMQP_URI" for service in SERVICES}
    assert not unknown, f"{BROKER_SETUP}: sets {sorted(unknown)}, which `pathway broker setup` never reads"


def test_database_setup_runs_once_as_the_superuser_and_gives_each_service_its_roles() -> None:
    container = CONTAINERS[DATABASE_SETUP]
    args = parse_command(command(container))
    assert (args.command, args.database_command, args.services) == ("database", "setup", [])
    assert container["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert container.get("restart") in ("no", "on-failure"), "a one-shot container must not restart once it is done"
    env = environment(container)
    admin = urlsplit(env["PATHWAY_DATABASE_ADMIN_URL"])
    assert (admin.hostname, admin.username) == ("postgres", environment(CONTAINERS["postgres"]).get("POSTGRES_USER"))
    assert env["PGPASSWORD"] == environment(CONTAINERS["postgres"])["POSTGRES_PASSWORD"]
    for service in SERVICES:
        roles = ServiceDatabase.from_environ(service, env)
        assert roles.runtime_password, f"{service}: the runtime role gets no password"
        assert roles.owner_password, f"{service}: the owner role gets no password"


def test_each_service_uses_its_own_database_which_the_init_script_creates() -> None:
    created = created_databases()
    used: dict[str, set[str]] = {}
    for name, (_, service) in app_containers().items():
        database = postgres_env(service, environment(CONTAINERS[name]))["POSTGRES_DBNAME"]
        assert database in created, f"{name}: database {database} is not created by {INIT_SQL.name}"
        used.setdefault(service, set()).add(database)
    assert all(len(databases) == 1 for databases in used.values()), f"a service's processes disagree: {used}"
    owners = [next(iter(databases)) for databases in used.values()]
    assert len(set(owners)) == len(owners), "two services share a database"
    assert created == set(owners), "the init script creates databases no service uses"
    mounts = [str(volume) for volume in CONTAINERS["postgres"].get("volumes") or []]
    assert any(
        mount.split(":")[0] in ("./deploy/postgres-init", "deploy/postgres-init")
        and mount.split(":")[1] == "/docker-entrypoint-initdb.d"
        for mount in mounts
    ), "deploy/postgres-init is not mounted as the postgres image's init folder"


def test_serve_listens_on_all_interfaces_and_publishes_its_default_port() -> None:
    ports = default_ports()
    assert set(ports) == set(SERVICES)
    for name, (process, service) in app_containers().items():
        container = CONTAINERS[name]
        if process != "serve":
            assert not container.get("ports"), f"{name}: `pathway {process}` listens on no port"
            continue
        env = environment(container)
        assert env.get("PATHWAY_HTTP_HOST") == "0.0.0.0", f"{name}: would listen on 127.0.0.1 inside its container"
        listens_on = int(env.get(f"{service.upper()}_HTTP_PORT") or ports[service])
        assert listens_on == ports[service], f"{name}: serves on {listens_on}, not {ports[service]}"
        assert (ports[service], ports[service]) in published(container), f"{name}: port {ports[service]} unpublished"


def test_no_container_enables_the_database_functions_insert_path() -> None:
    for name, container in CONTAINERS.items():
        variables = environment(container)
        assert not [key for key in variables if key.endswith("POSTGRES_ENABLE_DB_FUNCTIONS")], name


def test_release_processes_agree_on_valid_rules() -> None:
    rules = {
        name: rules_from(environment(CONTAINERS[name]))
        for name, (process, service) in app_containers().items()
        if service == "release"
    }
    assert len(set(rules.values())) == 1, f"release processes calculate with different rules: {rules}"
    assert next(iter(rules.values())).conditional_release_fraction == Fraction(2, 3)


def test_the_dockerfile_installs_the_project_as_a_non_root_user() -> None:
    lines = [line.strip() for line in DOCKERFILE.read_text().splitlines() if not line.strip().startswith("#")]
    text = "\n".join(lines)
    assert re.search(r"(?m)^FROM python:3\.11-slim\b", text)
    assert "pip install --no-cache-dir ." in text
    users = re.findall(r"(?m)^USER\s+(\S+)", text)
    assert users, "the image runs as root"
    assert users[-1] not in ("root", "0"), "the image runs as root"
    assert re.search(r'(?m)^CMD \["pathway", "--help"\]', text)
    assert not re.search(r"(?mi)^(ENV|ARG)\s+\S*(PASSWORD|SECRET|TOKEN)", text), "a secret baked into the image"


def test_each_serve_container_is_health_checked_on_its_own_health_endpoint() -> None:
    ports = default_ports()
    for name, (process, service) in app_containers().items():
        if process != "serve":
            continue
        check = " ".join(CONTAINERS[name].get("healthcheck", {}).get("test", []))
        assert f"http://127.0.0.1:{ports[service]}/health" in check, f"{name}: no health check on its /health"
