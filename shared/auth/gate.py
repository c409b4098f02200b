"""The gate at a service's edge: who is asking (the bearer token), and whether their roles allow the operation.

A service configured with an identity provider (`PATHWAY_OIDC_ISSUER` and the other `PATHWAY_OIDC_*` settings,
shared/auth/settings.py) refuses a request without a valid token (401) and one whose roles the operation does not
name (403). The same gate stands at HTTP and RPC: over RPC the caller's `Authorization` value travels in the call's
context. `pathway serve` will not start without a provider unless told `PATHWAY_AUTHENTICATION=off` (development);
the gate is then open and says so in the log. The embedded mode has no edge to guard.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from shared.auth.agencies import AgencyPermissions
from shared.auth.errors import InvalidToken
from shared.auth.principal import Principal
from shared.auth.settings import IdentitySettings
from shared.auth.tokens import TokenVerifier
from shared.errors import PathwayError
from shared.registry.roles import AGENCY_CLIENT

log = logging.getLogger(__name__)


class Forbidden(PathwayError):
    """The caller is who they say, and their roles do not allow this (HTTP 403)."""

    status = 403


@dataclass(frozen=True)
class Gate:
    """`verifier` None: no identity provider configured, every request let through unauthenticated."""

    verifier: TokenVerifier | None = None

    @property
    def is_open(self) -> bool:
        return self.verifier is None

    def principal(self, authorization: object) -> Principal | None:
        """The caller an `Authorization: Bearer` header names; None through an open gate. InvalidToken (401) for
        a missing or bad token, IdentityProviderUnavailable (503) when the keys cannot be had."""
        if self.verifier is None:
            return None
        text = authorization if isinstance(authorization, str) else ""
        scheme, _, token = text.strip().partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise InvalidToken("a bearer token is required")
        return self.verifier.verify(token.strip())

    @staticmethod
    def allow(principal: Principal | None, roles: Iterable[str], operation: str) -> None:
        """Forbidden (403) unless the principal holds one of `roles`; through an open gate, nothing to check."""
        allowed = frozenset(roles)
        if principal is not None and not principal.has_any(allowed):
            raise Forbidden(f"{operation}: needs one of the roles {', '.join(sorted(allowed))}")


def allow_command(
    principal: Principal | None,
    roles: Iterable[str],
    agencies: AgencyPermissions,
    service: str,
    command: str,
) -> None:
    """Forbidden (403) unless the principal may send this command here: one of its roles, and, for an agency's
    system let in by that role alone, a grant of its own agency (shared/auth/agencies.py). Another agency's
    token is refused a command its agency was not granted even though the role matches."""
    allowed = frozenset(roles)
    Gate.allow(principal, allowed, command)
    if principal is None or principal.roles & allowed != {AGENCY_CLIENT}:
        return
    if not agencies.may_send(principal.agency, service, command):
        raise Forbidden(f"{command}: agency {principal.agency or '(none named)'} is not granted it here")


# Set to "off" to run a distributed service with no identity provider: development only, said in the log.
AUTHENTICATION_SWITCH = "PATHWAY_AUTHENTICATION"


def missing_identity_provider(environ: Mapping[str, str]) -> str | None:
    """Why a distributed service must not start as configured (no provider and no explicit "off"), or None."""
    if environ.get("PATHWAY_OIDC_ISSUER") or environ.get(AUTHENTICATION_SWITCH) == "off":
        return None
    return (
        "no identity provider configured: set PATHWAY_OIDC_ISSUER (and PATHWAY_OIDC_AUDIENCE), "
        f"or {AUTHENTICATION_SWITCH}=off to run without authentication (development only)"
    )


def gate_from(environ: Mapping[str, str], service: str) -> Gate:
    """The gate a service's settings ask for: closed behind the configured provider, else open (and logged)."""
    if not environ.get("PATHWAY_OIDC_ISSUER"):
        log.warning("%s: no identity provider configured (PATHWAY_OIDC_ISSUER): callers are not authenticated", service)
        return Gate()
    given = {name: environ.get(f"PATHWAY_OIDC_{name.upper()}") for name in IdentitySettings.model_fields}
    # Validated from the mapping given, not from wherever pydantic-settings would look.
    settings = IdentitySettings.model_validate({name: value for name, value in given.items() if value})
    return Gate(TokenVerifier(settings))
