"""A real OpenID Connect provider for the tests: panva's oidc-provider (Node.js, tests/identity/provider/) in a
subprocess on 127.0.0.1, issuing RS256-signed JWT access tokens by the client-credentials grant.

No token is ever made here or by production code: a test asks the provider, as a client would, with
`provider.token("records-officer")`. One confidential client per role, its client_id the role's name and its secret
made afresh for each provider (never written down); `agency-client-other` is a second agency's system. Each token
carries the claims `roles` (a list) and `agency`.

    with IdentityProvider() as provider:            # or the session fixture `identity_provider`
        bearer = provider.token("auditor")
        provider.rotate_keys()                      # a new signing key, its kid not yet seen by any verifier

Node and the locked npm packages come from scripts/identity.sh (run by .ci/run); `install_node_packages()` runs
`npm ci` here when they are missing or the lock file has changed since.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Self

import pytest
import requests

from shared.registry.roles import AGENCY_CLIENT, CLASSIFICATION_APPROVER, RECORDS_OFFICER, ROLES

PACKAGE_DIR = Path(__file__).resolve().parent / "provider"
NODE_MODULES = PACKAGE_DIR / "node_modules"
# Shared with scripts/identity.sh: the sha256 of package-lock.json that node_modules was installed from.
STAMP = NODE_MODULES / ".pathway-lock.sha256"

AUDIENCE = "pathway"
RESOURCE = "urn:pathway"  # the provider's resource indicator for the audience "pathway" (the default)
OTHER_RESOURCE = "urn:elsewhere"  # gives tokens for audience "elsewhere": meant for another service
SCOPE = "pathway"
STAFF_AGENCY = "ministry-of-justice"


@dataclass(frozen=True)
class Client:
    """A confidential client of the provider; every token it gets carries these roles and agency."""

    client_id: str
    roles: tuple[str, ...]
    agency: str


CLIENTS: tuple[Client, ...] = (
    *(Client(role, (role,), STAFF_AGENCY) for role in sorted(ROLES - {AGENCY_CLIENT})),
    Client(AGENCY_CLIENT, (AGENCY_CLIENT,), "agency-a"),
    Client("agency-client-other", (AGENCY_CLIENT,), "agency-b"),
    # One person holding two roles whose work must be done by two people: proposing and deciding a classification.
    Client("officer-and-approver", (RECORDS_OFFICER, CLASSIFICATION_APPROVER), STAFF_AGENCY),
)


class ProviderError(RuntimeError):
    """The provider could not be installed, started or asked."""


def _lock_sum() -> str:
    return hashlib.sha256((PACKAGE_DIR / "package-lock.json").read_bytes()).hexdigest()


def _require(program: str) -> str:
    path = shutil.which(program)
    if path is None:
        raise ProviderError(f"{program} is not installed; run scripts/identity.sh (it installs Node.js and npm)")
    return path


def install_node_packages() -> None:
    """`npm ci` into tests/identity/provider/node_modules, unless done already from the same package-lock.json.

    Serialised with other test processes (and scripts/identity.sh) by a lock on the package directory."""
    _require("node")
    fd = os.open(PACKAGE_DIR, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        wanted = _lock_sum()
        if STAMP.is_file() and STAMP.read_text().strip() == wanted:
            return
        done = subprocess.run(
            [_require("npm"), "ci", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=PACKAGE_DIR,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        if done.returncode != 0:
            raise ProviderError(f"npm ci failed in {PACKAGE_DIR} (exit {done.returncode}):\n{done.stdout}{done.stderr}")
        STAMP.write_text(wanted + "\n")
    finally:
        os.close(fd)  # releases the lock


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class IdentityProvider:
    """One provider process; start() it (or use `with`), then ask it for tokens. stop() ends it."""

    def __init__(self, clients: Sequence[Client] = CLIENTS, *, startup_timeout: float = 30.0) -> None:
        self.clients = {client.client_id: client for client in clients}
        self._secrets = {client_id: secrets.token_urlsafe(32) for client_id in self.clients}
        self._admin_secret = secrets.token_urlsafe(32)
        self._startup_timeout = startup_timeout
        self._process: subprocess.Popen[bytes] | None = None
        self._log: Any = None
        self.port = 0
        self._http = requests.Session()

    # ---- the provider's addresses ----------------------------------------------------------------------------------

    @property
    def issuer(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def discovery_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"

    @property
    def jwks_uri(self) -> str:
        return f"{self.issuer}/jwks"

    @property
    def token_endpoint(self) -> str:
        return f"{self.issuer}/token"

    # ---- running -----------------------------------------------------------------------------------------------------

    def start(self) -> Self:
        if self._process is not None:
            return self
        install_node_packages()
        environment = {
            **os.environ,
            "IDP_CLIENTS": json.dumps(
                [
                    {
                        "client_id": client.client_id,
                        "client_secret": self._secrets[client.client_id],
                        "roles": list(client.roles),
                        "agency": client.agency,
                    }
                    for client in self.clients.values()
                ]
            ),
            "IDP_ADMIN_SECRET": self._admin_secret,
            "IDP_EXIT_WITH_STDIN": "1",
            "NODE_ENV": "test",
        }
        for attempt in range(3):  # the free port may be taken between probing it and the provider binding it
            self.port = _free_port()
            self._log = tempfile.TemporaryFile()  # noqa: SIM115 - kept open for the life of the process
            self._process = subprocess.Popen(
                [_require("node"), "server.js", str(self.port)],
                cwd=PACKAGE_DIR,
                env=environment,
                stdin=subprocess.PIPE,  # closed when this process dies: the provider then exits too
                stdout=self._log,
                stderr=subprocess.STDOUT,
            )
            try:
                self._wait_for_discovery()
                return self
            except ProviderError:
                output = self._stop_process()
                if attempt == 2 or "EADDRINUSE" not in output:
                    raise
        raise AssertionError("unreachable")

    def _wait_for_discovery(self) -> None:
        assert self._process is not None
        deadline = time.monotonic() + self._startup_timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise ProviderError(f"the identity provider exited with {self._process.returncode}:\n{self.output()}")
            try:
                answer = self._http.get(self.discovery_url, timeout=2)
                if answer.status_code == 200 and answer.json().get("issuer") == self.issuer:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.05)
        raise ProviderError(f"the identity provider gave no discovery document within {self._startup_timeout}s")

    def output(self) -> str:
        """What the provider process has printed so far."""
        if self._log is None:
            return ""
        self._log.seek(0)
        text: str = self._log.read().decode(errors="replace")
        return text

    def _stop_process(self) -> str:
        process, self._process = self._process, None
        if process is not None:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(timeout=5)
            if process.stdin is not None:
                process.stdin.close()
        output = self.output()
        if self._log is not None:
            self._log.close()
            self._log = None
        return output

    def stop(self) -> None:
        self._stop_process()
        self._http.close()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    # ---- asking it ---------------------------------------------------------------------------------------------------

    def secret(self, client_id: str) -> str:
        """The client's secret, made for this provider only."""
        return self._secrets[client_id]

    def discovery(self) -> dict[str, Any]:
        return self._get_json(self.discovery_url)

    def jwks(self) -> dict[str, Any]:
        return self._get_json(self.jwks_uri)

    def token_response(
        self,
        client_id: str,
        *,
        secret: str | None = None,
        resource: str | None = None,
        scope: str | None = SCOPE,
        ttl: int | None = None,
        not_before_in: int | None = None,
    ) -> requests.Response:
        """The provider's answer to a client-credentials request (HTTP Basic client authentication), whatever it is.

        `secret` defaults to the client's own; `resource` to the provider's default, audience "pathway"
        (OTHER_RESOURCE gives a token for another audience). Test-only: `ttl` (1..600 s) shortens the token's
        life, `not_before_in` (s) moves its nbf into the future."""
        form: dict[str, str] = {"grant_type": "client_credentials"}
        if scope:
            form["scope"] = scope
        if resource:
            form["resource"] = resource
        if ttl is not None:
            form["ttl"] = str(ttl)
        if not_before_in is not None:
            form["not_before_in"] = str(not_before_in)
        if secret is None:
            secret = self._secrets.get(client_id, "")
        return self._http.post(self.token_endpoint, data=form, auth=(client_id, secret), timeout=10)

    def token(self, role: str, **options: Any) -> str:
        """A JWT access token for the client named `role` (a role, or "agency-client-other"); see token_response."""
        answer = self.token_response(role, **options)
        if answer.status_code != 200:
            raise ProviderError(f"no token for {role}: {answer.status_code} {answer.text}")
        token: str = answer.json()["access_token"]
        return token

    def rotate_keys(self, *, keep_previous: bool = True) -> str:
        """Make a new signing key current and return its kid. The previous keys stay in the JWKS (tokens signed with
        them still verify) unless keep_previous is False."""
        answer = self._http.post(
            f"{self.issuer}/test/rotate-keys",
            json={"keep_previous": keep_previous},
            headers={"Authorization": f"Bearer {self._admin_secret}"},
            timeout=30,
        )
        if answer.status_code != 200:
            raise ProviderError(f"key rotation failed: {answer.status_code} {answer.text}")
        kid: str = answer.json()["kid"]
        return kid

    def _get_json(self, url: str) -> dict[str, Any]:
        answer = self._http.get(url, timeout=10)
        answer.raise_for_status()
        document: dict[str, Any] = answer.json()
        return document


@pytest.fixture(scope="session")
def identity_provider() -> Iterator[IdentityProvider]:
    """The test session's OpenID provider, started on first use. Tests that retire keys
    (`rotate_keys(keep_previous=False)`) should start their own `IdentityProvider()` instead."""
    with IdentityProvider() as provider:
        yield provider
