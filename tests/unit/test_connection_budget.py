"""Pool sizes per kind of process, and the connection budget they add up to (deploy/README.md, "Connections"):
read from settings, with defaults that fit a default PostgreSQL. No server needed: nothing here connects."""

from __future__ import annotations

from typing import Any

import pytest
from eventsourcing.persistence import Environment

from services.intake.bootstrap import Intake
from shared.eventstore.connection_budget import Instances, available, deployment_connections, process_connections
from shared.eventstore.postgres import OVERFLOW_IDLE_SECONDS
from shared.eventstore.settings import POOLS, connect_options, postgres_env

SERVICES = ("intake", "programmes", "release")
KINDS = ("serve", "relay", "consume", "inbox", "cli")


def pool_of(env: dict[str, str]) -> tuple[str, str]:
    return env["POSTGRES_POOL_SIZE"], env["POSTGRES_MAX_OVERFLOW"]


@pytest.mark.parametrize(
    ("process", "pool"),
    [("serve", ("2", "3")), ("relay", ("1", "1")), ("consume", ("1", "1")), ("inbox", ("1", "1")), ("cli", ("1", "1"))],
)
def test_each_kind_of_process_has_its_own_default_pool(process: str, pool: tuple[str, str]) -> None:
    assert pool_of(postgres_env("intake", {}, process)) == pool


def test_the_shared_pool_settings_still_set_every_kind() -> None:
    environ = {"POSTGRES_POOL_SIZE": "4", "POSTGRES_MAX_OVERFLOW": "0"}

    assert {pool_of(postgres_env("release", environ, kind)) for kind in KINDS} == {("4", "0")}
    assert pool_of(postgres_env("release", {**environ, "RELEASE_POSTGRES_POOL_SIZE": "6"}, "relay")) == ("6", "0")


def test_a_setting_for_one_kind_wins_over_the_shared_one_and_leaves_the_other_kinds_alone() -> None:
    environ = {
        "POSTGRES_POOL_SIZE": "4",
        "POSTGRES_SERVE_POOL_SIZE": "3",
        "INTAKE_POSTGRES_SERVE_MAX_OVERFLOW": "7",
        "POSTGRES_SERVE_MAX_OVERFLOW": "5",
    }

    assert pool_of(postgres_env("intake", environ, "serve")) == ("3", "7")
    assert pool_of(postgres_env("programmes", environ, "serve")) == ("3", "5")
    assert pool_of(postgres_env("intake", environ, "consume")) == ("4", "1")


def test_an_unknown_kind_of_process_is_refused() -> None:
    with pytest.raises(ValueError, match="kind of process"):
        postgres_env("intake", {}, "worker")


def test_connections_are_named_after_the_service_and_the_kind_of_process() -> None:
    options = connect_options(postgres_env("programmes", {}, "relay"))

    assert options["application_name"] == "pathway-programmes-relay"
    assert options["connect_timeout"] == "10"  # one attempt to connect is bounded


def test_the_event_stores_pool_is_named_bounded_and_lets_its_overflow_go() -> None:
    env = Environment("intake", postgres_env("intake", {"POSTGRES_POOL_TIMEOUT": "12"}, "consume"))
    application = Intake.__new__(Intake)  # only its factory is built: the pool opens on first use, not here

    factory: Any = application.construct_factory(env)
    try:
        pool = factory.datastore.pool
        assert pool.kwargs["application_name"] == "pathway-intake-consume"
        assert (pool.min_size, pool.max_size) == (1, 2)
        assert pool.timeout == 12  # a busy pool is waited for, this long, rather than refusing at once
        assert pool.max_idle == OVERFLOW_IDLE_SECONDS
    finally:
        factory.close()


TABLES_MADE = {"POSTGRES_CREATE_TABLES": "n"}  # by `pathway database setup`, as the compose file runs it


def test_a_process_is_counted_at_its_largest_pool_and_its_own_connections() -> None:
    assert {kind: process_connections("intake", kind, TABLES_MADE) for kind in KINDS} == {
        "serve": 5,
        "relay": 4,  # its pool, its leadership lock and its LISTEN
        "consume": 2,
        "inbox": 2,
        "cli": 2,
    }


def test_a_process_creating_its_tables_is_counted_with_the_schema_locks_connection() -> None:
    assert {kind: process_connections("intake", kind, {}) for kind in KINDS} == {
        "serve": 6,
        "relay": 5,
        "consume": 3,
        "inbox": 3,
        "cli": 3,
    }


@pytest.mark.parametrize(("environ", "today", "grown"), [(TABLES_MADE, 39, 60), ({}, 51, 81)])
def test_the_default_deployment_and_its_planned_growth_fit_a_default_postgresql(
    environ: dict[str, str], today: int, grown: int
) -> None:
    # The numbers deploy/README.md works out; change both together.
    assert deployment_connections(SERVICES, Instances(), environ) == today
    assert deployment_connections(SERVICES, Instances(relay=2, consume=3, cli=1), environ) == grown
    assert grown <= available() == 97


def test_the_budget_follows_the_settings() -> None:
    bigger = deployment_connections(SERVICES, Instances(), {**TABLES_MADE, "POSTGRES_SERVE_MAX_OVERFLOW": "8"})

    assert bigger == 39 + 3 * 5


def test_every_kind_has_a_spare_connection_under_load() -> None:
    """A single-threaded loop needs one at a time; the spare keeps a use that needs two from waiting forever."""
    for kind, pool in POOLS.items():
        assert pool.size + pool.overflow >= 2, kind
