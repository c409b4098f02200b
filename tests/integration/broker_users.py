"""A test cluster's own RabbitMQ users, set up by `pathway broker setup`'s own code: one per service (the user its
relay publishes as) and one per test agency, named after the cluster, so that clusters running side by side never
share a user or fight over its password.

On the shared broker they are made through the management API and deleted with the cluster. A private broker has
no management plugin: there the same plan is imported as a definitions file with one rabbitmqctl call (each call
boots an Erlang VM), and its users go when the node does.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

from kombu import Connection

from pathway.broker_permissions import UserPermissions
from pathway.broker_setup import ManagementApi, apply, plan_from

PRISON = "Test Prison Service"  # the agency of the examples' clerk (tests/examples.py): granted every command
COURTS = "Test Courts"  # granted only what a court sends
GRANTS: dict[str, dict[str, list[str]]] = {
    PRISON: {"commands": ["#"], "events": ["#"]},
    COURTS: {
        "commands": ["intake.register_person", "intake.record_court_decision"],
        "events": ["intake.person.*", "intake.court-decision.*"],
    },
}
AGENCY_SUFFIXES = {PRISON: "prison", COURTS: "courts"}


class DefinitionsAdmin:
    """Collects what `apply` asks for as a RabbitMQ definitions document, for `rabbitmqctl import_definitions`."""

    def __init__(self) -> None:
        self.document: dict[str, list[dict[str, Any]]] = {
            "vhosts": [],
            "users": [],
            "permissions": [],
            "topic_permissions": [],
        }

    def add_vhost(self, vhost: str) -> None:
        self.document["vhosts"].append({"name": vhost})

    def put_user(self, user: str, password: str) -> None:
        self.document["users"].append({"name": user, "password": password, "tags": ""})

    def set_permissions(self, vhost: str, permissions: UserPermissions) -> None:
        regexes = {"configure": permissions.configure, "write": permissions.write, "read": permissions.read}
        self.document["permissions"].append({"user": permissions.user, "vhost": vhost, **regexes})
        for topic in permissions.topics:
            self.document["topic_permissions"].append(
                {
                    "user": permissions.user,
                    "vhost": vhost,
                    "exchange": topic.exchange,
                    "write": topic.write,
                    "read": topic.read,
                }
            )


class ClusterUsers:
    def __init__(self, prefix: str, services: Iterable[str], management: str) -> None:
        self.management = management
        self.relays = {service: f"{prefix}-{service}" for service in services}
        self.agencies = {agency: f"{prefix}-{suffix}" for agency, suffix in AGENCY_SUFFIXES.items()}
        self.passwords = {user: uuid.uuid4().hex for user in [*self.relays.values(), *self.agencies.values()]}

    def uri(self, base_uri: str, user: str) -> str:
        """`base_uri` (the operator's) with `user` and its password in place of the operator's."""
        parts = urlsplit(base_uri)
        where = f"{parts.hostname}:{parts.port}" if parts.port else str(parts.hostname)
        netloc = f"{quote(user, safe='')}:{self.passwords[user]}@{where}"
        return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))

    def env(self, base_uri: str, workdir: Path) -> dict[str, str]:
        env = {
            "PATHWAY_PUBLISHERS": ",".join(f"{service}={user}" for service, user in self.relays.items()),
            "PATHWAY_AGENCIES_FILE": str(workdir / "broker-agencies.toml"),
            "PATHWAY_BROKER_PASSWORDS_FILE": str(workdir / "broker-passwords.toml"),
        }
        for service, user in self.relays.items():
            env[f"{service.upper()}_AMQP_URI"] = self.uri(base_uri, user)
        return env

    def write_files(self, workdir: Path) -> None:
        workdir.mkdir(parents=True, exist_ok=True)
        grants = [
            f"[agencies.{json.dumps(agency)}]\nbroker_user = {json.dumps(self.agencies[agency])}\n"
            f"commands = {json.dumps(grant['commands'])}\nevents = {json.dumps(grant['events'])}\n"
            for agency, grant in GRANTS.items()
        ]
        (workdir / "broker-agencies.toml").write_text("\n".join(grants))
        passwords = "".join(
            f"{json.dumps(user)} = {json.dumps(self.passwords[user])}\n" for user in self.agencies.values()
        )
        (workdir / "broker-passwords.toml").write_text(passwords)

    def set_up(self, env: Mapping[str, str], rabbitmqctl: Callable[..., str] | None, workdir: Path) -> None:
        plan = plan_from(env)
        if rabbitmqctl is None:
            apply(plan, ManagementApi(self.management, "guest", "guest"))
            return
        definitions = DefinitionsAdmin()
        apply(plan, definitions)
        path = workdir / "broker-definitions.json"
        path.write_text(json.dumps(definitions.document))
        rabbitmqctl("import_definitions", str(path))
        self._wait_until_they_log_in(env["AMQP_URI"])  # the import finishes after rabbitmqctl returns

    def _wait_until_they_log_in(self, base_uri: str, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        for user in self.passwords:
            while True:
                try:
                    with Connection(self.uri(base_uri, user), connect_timeout=2) as connection:
                        connection.connect()
                    break
                except Exception:  # refused until the import has made the user
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.2)

    def remove(self) -> None:
        """From the shared broker (a private one goes with its node)."""
        api = ManagementApi(self.management, "guest", "guest")
        for user in self.passwords:
            api.delete_user(user)
