"""A bearer token in, a `Principal` out, or the reason it is refused.

The checks, in the order they run: size; the header's algorithm against the allow-list, before any key is looked
at (so "none" and HS256-signed-with-the-public-key are refused without touching a key); the key by `kid`; the
signature; then `iss`, `aud`, `exp`, `nbf` and `iat` with leeway, `sub`, `exp`, `iss` and `aud` all required.
Only then are claims read. PyJWT does the cryptography and the claim checks; this module decides which of its
errors the caller is told, in words that never repeat the token.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any

import jwt
from jwt import PyJWK
from jwt.exceptions import (
    ExpiredSignatureError,
    ImmatureSignatureError,
    InvalidAlgorithmError,
    InvalidAudienceError,
    InvalidIssuerError,
    InvalidKeyError,
    InvalidSignatureError,
    InvalidTokenError,
    MissingRequiredClaimError,
    PyJWKError,
)

from shared.auth.errors import InvalidToken
from shared.auth.principal import Principal
from shared.auth.provider import SigningKeys
from shared.auth.settings import IdentitySettings

# Real access tokens are 1-4 KiB; Entra's with many groups stay under 8 KiB. Larger is refused unread.
MAX_TOKEN_CHARS = 16 * 1024
REQUIRED_CLAIMS = ("sub", "exp", "iss", "aud")
# The application the token was issued to: OpenID Connect's azp (Keycloak, Entra v2), RFC 9068's client_id,
# Entra v1's appid. The first present wins.
CLIENT_ID_CLAIMS = ("azp", "client_id", "appid")

# PyJWT's errors, most specific first, and what the caller is told.
_REASONS: tuple[tuple[type[Exception], str], ...] = (
    (ExpiredSignatureError, "expired"),
    (ImmatureSignatureError, "not yet valid"),
    (InvalidIssuerError, "wrong issuer"),
    (InvalidAudienceError, "wrong audience"),
    (InvalidAlgorithmError, "algorithm not allowed"),
    (InvalidSignatureError, "bad signature"),
    (InvalidKeyError, "unusable signing key"),  # e.g. an RSA key under 2048 bits
)


class TokenVerifier:
    """Verifies bearer tokens from the one configured provider; one per process, safe to share between threads.

    `clock` is the monotonic clock used for the key cache's refetch cooldown and the provider back-off; token
    times (`exp`, `nbf`) are always checked against the wall clock.
    """

    def __init__(self, settings: IdentitySettings, *, clock: Callable[[], float] = time.monotonic):
        self._settings = settings
        self._keys = SigningKeys(settings, clock=clock)

    def verify(self, token: str) -> Principal:
        """The principal `token` names; InvalidToken (401) if it is not to be trusted.

        Raises IdentityProviderUnavailable (503) when the provider's keys cannot be had: then nothing is known
        about the token either way.
        """
        if not isinstance(token, str) or not token:
            raise InvalidToken("malformed")
        if len(token) > MAX_TOKEN_CHARS:
            raise InvalidToken("too long")
        algorithm, kid = self._header(token)
        key = self._keys.key(kid)
        if key is None:
            raise InvalidToken("unknown signing key")
        claims = self._decode(token, _bound_to(key, algorithm))
        return _principal(claims, self._settings)

    def _header(self, token: str) -> tuple[str, str]:
        try:
            header = jwt.get_unverified_header(token)
        except InvalidTokenError:
            raise InvalidToken("malformed") from None
        algorithm = header.get("alg")
        if not isinstance(algorithm, str) or algorithm not in self._settings.algorithms:
            raise InvalidToken("algorithm not allowed")
        kid = header.get("kid")
        if not isinstance(kid, str) or not kid:
            # Every provider we support names its key; guessing among keys would let one key stand in for another.
            raise InvalidToken("unknown signing key")
        return algorithm, kid

    def _decode(self, token: str, key: PyJWK) -> dict[str, Any]:
        settings = self._settings
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key=key,
                algorithms=list(settings.algorithms),
                audience=settings.audience,
                issuer=settings.issuer,
                leeway=settings.leeway_seconds,
                options={"require": list(REQUIRED_CLAIMS), "enforce_minimum_key_length": True},
            )
        except MissingRequiredClaimError as error:
            raise InvalidToken(f"missing claim {error.claim}") from None
        except (InvalidTokenError, InvalidKeyError) as error:
            raise InvalidToken(_reason(error)) from None
        return claims


def _reason(error: Exception) -> str:
    return next((reason for kind, reason in _REASONS if isinstance(error, kind)), "malformed")


def _bound_to(key: PyJWK, algorithm: str) -> PyJWK:
    """The key, for verifying with `algorithm` (already on the allow-list).

    PyJWT binds each key to one algorithm: the key's own `alg` if the provider states one, otherwise a default
    by key type (RS256 for any RSA key). A key that states its `alg` is used with that algorithm only; a key
    that states none is used with the token's algorithm if its type fits (an RSA key for PS256), so providers
    that sign with PS256 and publish bare RSA keys are verified too.
    """
    if key.algorithm_name == algorithm:
        return key
    data = key._jwk_data  # the published key, as PyJWT keeps it (PyJWT is pinned)
    if "alg" in data:
        raise InvalidToken("algorithm not allowed")
    try:
        return PyJWK(data, algorithm)
    except (PyJWKError, InvalidKeyError):
        raise InvalidToken("algorithm not allowed") from None  # e.g. ES256 named with an RSA key


def _principal(claims: Mapping[str, Any], settings: IdentitySettings) -> Principal:
    subject = claims["sub"]
    if not isinstance(subject, str) or not subject.strip():
        raise InvalidToken("missing claim sub")
    return Principal(
        subject=subject,
        agency=_text(claim_at(claims, settings.agency_claim), "agency"),
        roles=_roles(claim_at(claims, settings.roles_claim)),
        client_id=next((c for c in (_text(claims.get(name), name) for name in CLIENT_ID_CLAIMS) if c), None),
    )


def claim_at(claims: Mapping[str, Any], path: str) -> Any:
    """The claim named `path`, or the one `path` reaches through nested objects ("realm_access.roles").

    The whole name is tried first, so a claim whose name contains dots ("https://pathway.example/roles") is
    found as itself. None when absent.
    """
    if path in claims:
        return claims[path]
    value: Any = claims
    for part in path.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return None
        value = value[part]
    return value


def _roles(value: Any) -> frozenset[str]:
    """A list of role names; a string is taken as space-separated names (the shape of OAuth's `scope`)."""
    if value is None:
        return frozenset()
    if isinstance(value, str):
        return frozenset(value.split())
    if isinstance(value, list) and all(isinstance(role, str) for role in value):
        return frozenset(role for role in value if role)
    raise InvalidToken("malformed roles claim")


def _text(value: Any, claim: str) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise InvalidToken(f"malformed {claim} claim")
    return value
