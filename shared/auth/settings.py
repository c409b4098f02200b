"""Which identity provider pathway trusts, and how to read its tokens: `PATHWAY_OIDC_*` environment variables.

One provider per deployment. The settings are read once at start-up; a wrong issuer or audience shows at the
first request as a 503 (discovery names another issuer) or as 401s ("wrong audience"), so check both against a
real token before going live.

Keycloak (a realm `pathway`, a client `pathway` with an audience mapper)::

    PATHWAY_OIDC_ISSUER=https://keycloak.example.gov/realms/pathway
    PATHWAY_OIDC_AUDIENCE=pathway
    PATHWAY_OIDC_ROLES_CLAIM=realm_access.roles      # realm roles; client roles: resource_access.pathway.roles
    PATHWAY_OIDC_AGENCY_CLAIM=agency                 # a user-attribute mapper adding the claim "agency"

  Keycloak puts `aud` only when an audience mapper adds it (otherwise the access token's audience is "account").

Microsoft Entra ID (an app registration that exposes an API, with app roles assigned to users and client apps)::

    PATHWAY_OIDC_ISSUER=https://login.microsoftonline.com/<tenant id>/v2.0
    PATHWAY_OIDC_AUDIENCE=<application (client) id of the API>
    PATHWAY_OIDC_ROLES_CLAIM=roles                   # app roles
    PATHWAY_OIDC_AGENCY_CLAIM=extn.agency            # a directory extension emitted as an optional claim

  Set `accessTokenAcceptedVersion` to 2 in the API's manifest. v2 tokens carry the v2 issuer above and, as
  `aud`, the API's application (client) id, a GUID, even when the client asked for the application id URI
  (`api://...`) as scope. v1 tokens (the default while that setting is null) carry the issuer
  https://sts.windows.net/<tenant id>/ and the application id URI as `aud`: they are all refused as "wrong
  issuer" with the settings above. Tenant-independent issuers ("common", "organizations") are not supported:
  the issuer must name one tenant.

A national identity service (eIDAS node, Login.gov-like, ID-porten-like): the issuer is the exact `issuer` of its
discovery document; the audience is the client id or resource it registered pathway under. Such services
often carry no roles or agency: the principal then holds no roles, so every operation refuses it, and no agency.
Put a broker (Keycloak, identity brokering) in front that adds them, and trust the broker as the issuer.

Lists may be given as JSON (`["RS256","PS256"]`) or comma-separated (`RS256,PS256`).
"""

from __future__ import annotations

import ipaddress
import json
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

# Asymmetric only: the verifier holds public keys, so a symmetric ("HS*") algorithm would make the public key a
# shared secret anyone can sign with, and "none" needs no key at all.
ASYMMETRIC_ALGORITHMS = frozenset(
    {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"}
)
DEFAULT_ALGORITHMS = ("RS256", "PS256", "ES256")
_LOOPBACK_NAMES = frozenset({"localhost"})


class IdentitySettings(BaseSettings):
    """The trusted provider and the claims pathway reads from its tokens.

    `issuer` is compared with each token's `iss` as a string, exactly as given (no trailing slash added or
    removed), and must be https except on a loopback address (local development and tests).
    `roles_claim` and `agency_claim` are claim names or dotted paths into nested claims (Keycloak's
    "realm_access.roles"); a claim whose own name contains dots (a URL-style name) is found too, as the
    whole name is tried first.
    `jwks_cache_seconds` is how long the provider's keys are kept before being fetched again; a token signed
    by a key not yet seen makes one earlier fetch (key rotation), at most once per
    `jwks_refetch_cooldown_seconds`, so tokens with made-up key ids cannot make pathway hammer the provider.
    `leeway_seconds` is the clock skew allowed on `exp`, `nbf` and `iat`.
    """

    model_config = SettingsConfigDict(env_prefix="PATHWAY_OIDC_", frozen=True, extra="forbid")

    issuer: str = Field(max_length=500)
    audience: str = Field(default="pathway", min_length=1, max_length=500)
    roles_claim: str = Field(default="roles", min_length=1, max_length=200)
    agency_claim: str = Field(default="agency", min_length=1, max_length=200)
    algorithms: Annotated[tuple[str, ...], NoDecode] = DEFAULT_ALGORITHMS
    jwks_cache_seconds: int = Field(default=300, gt=0, le=86_400)
    jwks_refetch_cooldown_seconds: float = Field(default=10.0, ge=0, le=3_600)
    leeway_seconds: int = Field(default=30, ge=0, le=300)
    fetch_timeout_seconds: float = Field(default=5.0, gt=0, le=60)

    @field_validator("issuer")
    @classmethod
    def _https_issuer(cls, issuer: str) -> str:
        parts = urlsplit(issuer)
        if parts.scheme not in ("https", "http") or not parts.hostname:
            raise ValueError("must be an http(s) URL")
        if parts.query or parts.fragment:
            raise ValueError("must have no query or fragment (OpenID Connect Discovery 1.0, section 3)")
        if parts.scheme == "http" and not is_loopback(parts.hostname):
            raise ValueError("must be https (plain http only on a loopback address)")
        return issuer

    @field_validator("algorithms", mode="before")
    @classmethod
    def _split(cls, value: object) -> object:
        if isinstance(value, str):
            text = value.strip()
            if text.startswith("["):
                return tuple(_json_list(text))
            return tuple(part.strip() for part in text.split(",") if part.strip())
        return value

    @field_validator("algorithms")
    @classmethod
    def _asymmetric_only(cls, algorithms: tuple[str, ...]) -> tuple[str, ...]:
        if not algorithms:
            raise ValueError("name at least one algorithm")
        for name in algorithms:
            if name.lower() == "none":
                raise ValueError('"none" is never allowed: it means an unsigned token')
            if name.upper().startswith("HS"):
                raise ValueError(f"{name} is never allowed: it would make the provider's public key a signing secret")
            if name not in ASYMMETRIC_ALGORITHMS:
                raise ValueError(f"{name[:20]!r} is not one of {sorted(ASYMMETRIC_ALGORITHMS)}")
        return tuple(dict.fromkeys(algorithms))


def is_loopback(host: str) -> bool:
    """Whether `host` (a URL's hostname) is this machine: plain http is tolerated only there."""
    if host.lower() in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _json_list(text: str) -> list[object]:
    try:
        value = json.loads(text)
    except ValueError as error:
        raise ValueError("algorithms: not a JSON list") from error
    if not isinstance(value, list):
        raise ValueError("algorithms: not a JSON list")
    return value
