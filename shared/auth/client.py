"""Tokens for pathway's own callers (the command line, the importer, an agency's script): how a client asks.

A caller either holds a token already (`--token`, from whatever login its organisation uses) or is a confidential
client of the agency's identity provider and asks for one by the OAuth 2.0 client-credentials grant (RFC 6749,
section 4.4), with its id and secret from the environment or a file::

    PATHWAY_OIDC_ISSUER=https://keycloak.example.gov/realms/pathway   # the token endpoint is found by discovery
    PATHWAY_CLIENT_ID=records-importer
    PATHWAY_CLIENT_SECRET_FILE=/run/secrets/pathway-client            # or PATHWAY_CLIENT_SECRET
    PATHWAY_CLIENT_SCOPE=pathway                                      # Entra ID: api://<app id>/.default
    PATHWAY_CLIENT_RESOURCE=urn:pathway                               # only for providers that take RFC 8707

Authlib keeps the token and asks for a new one shortly before it expires, so a long import never sends a stale one.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, Protocol, TypeVar

from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.requests_client import OAuth2Session
from pydantic import Field, SecretStr, ValidationError, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from requests import RequestException

from shared.auth.errors import IdentityProviderUnavailable, InvalidToken
from shared.auth.provider import fetch_json
from shared.auth.settings import IdentitySettings
from shared.auth.tokens import MAX_TOKEN_CHARS
from shared.errors import FieldProblem, InvalidInput

# Asked for a new token this long before the one held expires: time for a call to reach the service.
EXPIRY_MARGIN_SECONDS = 30
FETCH_TIMEOUT_SECONDS = 10.0
S = TypeVar("S", bound=BaseSettings)


class TokenSource(Protocol):
    """Gives the bearer token to send with the next call."""

    def bearer(self) -> str: ...


class GivenToken:
    """A token the caller already holds: sent as is, and refused by the service once it expires."""

    def __init__(self, token: str) -> None:
        token = token.strip()
        if not token or len(token) > MAX_TOKEN_CHARS or any(c.isspace() for c in token):
            raise InvalidInput([FieldProblem("--token", "must be one bearer token (no spaces)")])
        self._token = token

    def bearer(self) -> str:
        return self._token


class ClientSettings(BaseSettings):
    """A confidential client of the identity provider: `PATHWAY_CLIENT_*`, the provider's issuer from
    `PATHWAY_OIDC_ISSUER`. `token_endpoint` skips discovery (a provider that publishes none)."""

    model_config = SettingsConfigDict(env_prefix="PATHWAY_CLIENT_", frozen=True, extra="ignore")

    id: str = Field(min_length=1, max_length=200)
    secret: SecretStr | None = None
    secret_file: Path | None = None
    scope: str | None = Field(default=None, max_length=500)
    resource: str | None = Field(default=None, max_length=500)
    token_endpoint: str | None = Field(default=None, max_length=500)

    @model_validator(mode="after")
    def _one_secret(self) -> ClientSettings:
        if (self.secret is None) == (self.secret_file is None):
            raise ValueError("give the client's secret in PATHWAY_CLIENT_SECRET or PATHWAY_CLIENT_SECRET_FILE (one)")
        return self

    def the_secret(self) -> str:
        if self.secret is not None:
            return self.secret.get_secret_value()
        assert self.secret_file is not None
        try:
            return self.secret_file.read_text(encoding="utf-8").strip()
        except OSError as unreadable:
            raise InvalidInput(
                [FieldProblem("PATHWAY_CLIENT_SECRET_FILE", f"cannot be read ({unreadable.strerror})")]
            ) from None


class ClientCredentials:
    """Tokens by the client-credentials grant, kept until shortly before they expire."""

    def __init__(self, client: ClientSettings, issuer: IdentitySettings | None) -> None:
        endpoint = client.token_endpoint or (self._discovered_endpoint(issuer) if issuer is not None else None)
        if endpoint is None:
            raise InvalidInput(
                [
                    FieldProblem(
                        "PATHWAY_OIDC_ISSUER", "needed to find the token endpoint (or PATHWAY_CLIENT_TOKEN_ENDPOINT)"
                    )
                ]
            )
        self._extra = {"resource": client.resource} if client.resource else {}
        self._session = OAuth2Session(
            client.id,
            client.the_secret(),
            scope=client.scope,
            token_endpoint=endpoint,
            grant_type="client_credentials",
            leeway=EXPIRY_MARGIN_SECONDS,
        )

    @staticmethod
    def _discovered_endpoint(issuer: IdentitySettings) -> str:
        document = fetch_json(issuer.issuer.rstrip("/") + "/.well-known/openid-configuration", FETCH_TIMEOUT_SECONDS)
        endpoint = document.get("token_endpoint")
        if not isinstance(endpoint, str) or not endpoint:
            raise IdentityProviderUnavailable("the provider's discovery document names no token endpoint")
        return endpoint

    def bearer(self) -> str:
        session = self._session
        try:
            if session.token is None or session.token.is_expired(leeway=EXPIRY_MARGIN_SECONDS):
                session.fetch_token(timeout=FETCH_TIMEOUT_SECONDS, **self._extra)
        except OAuthError as refused:
            raise InvalidToken(f"the identity provider refused the client ({refused.error})") from None
        except RequestException as unreachable:
            raise IdentityProviderUnavailable(
                f"the identity provider's token endpoint did not answer ({type(unreachable).__name__})"
            ) from None
        token: Any = session.token["access_token"]
        return str(token)


def token_source(environ: Mapping[str, str], given: str | None = None) -> TokenSource | None:
    """What the caller sends: `given` (--token) first, then a client of the provider when `PATHWAY_CLIENT_ID` is
    set; None when neither (the services then answer 401 unless they run without an identity provider)."""
    if given is not None:
        return GivenToken(given)
    if not environ.get("PATHWAY_CLIENT_ID"):
        return None
    fields = {name: environ.get(f"PATHWAY_CLIENT_{name.upper()}") for name in ClientSettings.model_fields}
    client = _settings(ClientSettings, {name: value for name, value in fields.items() if value}, "PATHWAY_CLIENT_")
    issuer_url = environ.get("PATHWAY_OIDC_ISSUER")
    issuer = _settings(IdentitySettings, {"issuer": issuer_url}, "PATHWAY_OIDC_") if issuer_url else None
    return ClientCredentials(client, issuer)


def _settings(kind: type[S], values: dict[str, Any], prefix: str) -> S:
    """Settings validated from the values given; InvalidInput naming each environment variable at fault."""
    try:
        return kind.model_validate(values)
    except ValidationError as invalid:
        problems = [
            FieldProblem(prefix + ("_".join(str(part) for part in error["loc"]).upper() or "SECRET"), error["msg"])
            for error in invalid.errors()
        ]
        raise InvalidInput(problems) from None
