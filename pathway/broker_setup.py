"""`pathway broker setup`: the deployment's vhost, one RabbitMQ user per service and per agency, and what each may do.

Run once before the services start, and again whenever the agencies file or a password changes: every step is a
create-or-update, so running it twice changes nothing. It reads what the processes themselves read:

- `AMQP_URI`: the operator's user, which must be a broker administrator; its vhost is the one set up, and the
  management API is asked with its credentials (at `--management-url`, default `RABBITMQ_MANAGEMENT_URL`, else port
  15672 of AMQP_URI's host);
- `<SERVICE>_AMQP_URI` for every service (INTAKE_AMQP_URI, ...): the user and password its processes connect with,
  which must be the relay user `PATHWAY_PUBLISHERS` names for it (shared/messaging/publishers.py);
- `PATHWAY_AGENCIES_FILE`: the agencies, their broker users and grants (shared/auth/agencies.py), with each
  agency user's password in the TOML file `PATHWAY_BROKER_PASSWORDS_FILE` (`"<broker user>" = "<password>"`).

Passwords never live in the repository; a missing one stops the setup before anything is changed, naming it.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import tomllib
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TextIO

from kombu import Connection

from pathway.broker_permissions import UserPermissions, agency_permissions, operator_permissions, service_permissions
from pathway.services import SERVICES
from shared.auth.agencies import AgencyPermissions
from shared.errors import PathwayError
from shared.messaging.publishers import DEFAULT_AMQP_URI, Publishers

PASSWORDS_FILE_VARIABLE = "PATHWAY_BROKER_PASSWORDS_FILE"
MANAGEMENT_URL_VARIABLE = "RABBITMQ_MANAGEMENT_URL"


class BrokerSetupError(PathwayError):
    """The setup cannot go on: a setting or password is missing, or the broker refused."""


@dataclass(frozen=True)
class Account:
    """A user to create or update, with its password and permissions."""

    password: str
    permissions: UserPermissions


@dataclass(frozen=True)
class BrokerPlan:
    vhost: str
    operator: UserPermissions  # already exists: it is who runs the setup
    accounts: tuple[Account, ...]

    def users(self) -> list[str]:
        return [account.permissions.user for account in self.accounts]


class BrokerAdmin(Protocol):
    """What the setup asks of the broker: the management API here; rabbitmqctl serves as well."""

    def add_vhost(self, vhost: str) -> None: ...

    def put_user(self, user: str, password: str) -> None: ...

    def set_permissions(self, vhost: str, permissions: UserPermissions) -> None: ...


def _uri_parts(uri: str) -> dict[str, Any]:
    return dict(Connection(uri).info())


def plan_from(environ: Mapping[str, str], services: Iterable[str] = tuple(SERVICES)) -> BrokerPlan:
    """Everything to set up, from the settings the processes read; BrokerSetupError naming what is missing."""
    operator = _uri_parts(environ.get("AMQP_URI") or DEFAULT_AMQP_URI)
    vhost = operator["virtual_host"] or "/"
    try:
        publishers = Publishers.from_environ(environ)
    except ValueError as invalid:
        raise BrokerSetupError(f"PATHWAY_PUBLISHERS: {invalid}") from None
    accounts = [_service_account(service, environ, publishers, vhost) for service in services]
    agencies = AgencyPermissions.from_environ(environ)
    passwords = _passwords(environ) if agencies.agencies else {}
    for agency, user, grant in agencies.broker_users():
        if not passwords.get(user):
            raise BrokerSetupError(
                f"agency {agency}: no password for its broker user {user!r} in {PASSWORDS_FILE_VARIABLE}"
            )
        accounts.append(Account(passwords[user], agency_permissions(user, grant)))
    users = [account.permissions.user for account in accounts]
    clash = sorted({user for user in users if users.count(user) > 1 or user == operator["userid"]})
    if clash:
        raise BrokerSetupError(f"broker users used twice (a service, an agency or the operator): {', '.join(clash)}")
    return BrokerPlan(vhost, operator_permissions(operator["userid"]), tuple(accounts))


def _service_account(service: str, environ: Mapping[str, str], publishers: Publishers, vhost: str) -> Account:
    variable = f"{service.upper()}_AMQP_URI"
    expected = publishers.relay_user(service)
    if not environ.get(variable):
        raise BrokerSetupError(f"{service}: set {variable} (amqp://{expected}:<password>@host:port/vhost)")
    parts = _uri_parts(environ[variable])
    if parts["userid"] != expected:
        raise BrokerSetupError(
            f"{service}: {variable} connects as {parts['userid']!r}, but its relay user is {expected!r} "
            "(PATHWAY_PUBLISHERS): consumers would reject its events"
        )
    if not parts["password"]:
        raise BrokerSetupError(f"{service}: {variable} has no password")
    if (parts["virtual_host"] or "/") != vhost:
        raise BrokerSetupError(f"{service}: {variable} names vhost {parts['virtual_host']!r}, AMQP_URI {vhost!r}")
    return Account(parts["password"], service_permissions(service, expected))


def _passwords(environ: Mapping[str, str]) -> dict[str, str]:
    named = environ.get(PASSWORDS_FILE_VARIABLE)
    if not named:
        raise BrokerSetupError(f"the agencies' broker users need passwords: set {PASSWORDS_FILE_VARIABLE}")
    try:
        data = tomllib.loads(Path(named).read_text(encoding="utf-8"))
    except OSError as unreadable:
        raise BrokerSetupError(f"{named}: cannot be read ({unreadable.strerror})") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as malformed:
        raise BrokerSetupError(f"{named}: is not TOML ({malformed})") from None
    return {str(user): password for user, password in data.items() if isinstance(password, str)}


def apply(plan: BrokerPlan, admin: BrokerAdmin) -> None:
    """Create or update the vhost, then every user and its permissions (the operator's first, to keep access)."""
    admin.add_vhost(plan.vhost)
    admin.set_permissions(plan.vhost, plan.operator)
    for account in plan.accounts:
        admin.put_user(account.permissions.user, account.password)
        admin.set_permissions(plan.vhost, account.permissions)


class ManagementApi:
    """RabbitMQ's management HTTP API, as an administrator."""

    def __init__(self, url: str, user: str, password: str, timeout: float = 30.0) -> None:
        if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
            raise BrokerSetupError(f"the management URL must be http(s), not {url[:80]!r}")
        self.url = url.rstrip("/")
        self.authorization = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
        self.timeout = timeout

    def _call(self, method: str, path: str, body: Any = None) -> None:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.url + path, method=method, data=data)  # noqa: S310 - http(s) only
        request.add_header("Authorization", self.authorization)
        request.add_header("content-type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout):  # noqa: S310 - http(s) only
                pass
        except urllib.error.HTTPError as refused:
            if refused.code == 404 and method == "DELETE":
                return  # already gone
            raise BrokerSetupError(
                f"the management API refused {method} {path} ({refused.code} {refused.reason})"
            ) from None
        except OSError as unreachable:
            raise BrokerSetupError(f"cannot reach the management API at {self.url} ({unreachable})") from None

    @staticmethod
    def _quoted(name: str) -> str:
        return urllib.parse.quote(name, safe="")

    def add_vhost(self, vhost: str) -> None:
        self._call("PUT", f"/api/vhosts/{self._quoted(vhost)}")

    def put_user(self, user: str, password: str) -> None:
        self._call("PUT", f"/api/users/{self._quoted(user)}", {"password": password, "tags": ""})

    def delete_user(self, user: str) -> None:
        self._call("DELETE", f"/api/users/{self._quoted(user)}")

    def set_permissions(self, vhost: str, permissions: UserPermissions) -> None:
        where = f"{self._quoted(vhost)}/{self._quoted(permissions.user)}"
        regexes = {"configure": permissions.configure, "write": permissions.write, "read": permissions.read}
        self._call("PUT", f"/api/permissions/{where}", regexes)
        for topic in permissions.topics:
            body = {"exchange": topic.exchange, "write": topic.write, "read": topic.read}
            self._call("PUT", f"/api/topic-permissions/{where}", body)


def management_api(environ: Mapping[str, str], url: str | None = None) -> ManagementApi:
    """The management API, asked as AMQP_URI's user."""
    operator = _uri_parts(environ.get("AMQP_URI") or DEFAULT_AMQP_URI)
    url = url or environ.get(MANAGEMENT_URL_VARIABLE) or f"http://{operator['hostname']}:15672"
    return ManagementApi(url, operator["userid"], operator["password"])


def add_broker_arguments(commands: Any) -> None:
    broker = commands.add_parser("broker", help="set up RabbitMQ: the vhost, each service's and agency's user")
    actions = broker.add_subparsers(dest="broker_command", required=True)
    setup = actions.add_parser(
        "setup",
        help="create or update the vhost, users and permissions (idempotent); reads AMQP_URI, <SERVICE>_AMQP_URI, "
        f"PATHWAY_PUBLISHERS, PATHWAY_AGENCIES_FILE and {PASSWORDS_FILE_VARIABLE}",
    )
    setup.add_argument(
        "--management-url", help=f"the management API (default: ${MANAGEMENT_URL_VARIABLE}, else AMQP_URI's host:15672)"
    )


def cmd_broker(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    plan = plan_from(os.environ)
    apply(plan, management_api(os.environ, args.management_url))
    print(f"vhost {plan.vhost}: set up {len(plan.accounts)} users ({', '.join(plan.users())})", file=out)
    return 0
