"""Why a bearer token is refused, and how the refusal is told to the caller (RFC 6750).

Reasons name the problem, never the token or any of its claims: they end up in HTTP bodies,
`WWW-Authenticate` headers and logs, and a token is a credential.
"""

from __future__ import annotations

from shared.errors import PathwayError

REALM = "pathway"
# RFC 6750 section 3: error_description is printable ASCII without '"' and '\'.
_DESCRIPTION_CHARS = frozenset(chr(c) for c in range(0x20, 0x7F)) - {'"', "\\"}
_MAX_DESCRIPTION_CHARS = 200


class InvalidToken(PathwayError):
    """The token is missing, malformed, expired, or not from our provider for us (HTTP 401).

    `reason` is one of a few fixed phrases ("expired", "not yet valid", "wrong issuer", "wrong audience",
    "algorithm not allowed", "unknown signing key", "bad signature", "malformed", "too long", ...).
    """

    status = 401

    def __init__(self, reason: str):
        super().__init__(reason)


class IdentityProviderUnavailable(PathwayError):
    """The provider's discovery document or keys could not be had (HTTP 503).

    Not the caller's fault, so not a 401: the caller should retry, the operator should look at the
    provider (or at the configured issuer). The detail is logged, not told to the caller.
    """

    status = 503

    def __init__(self, reason: str = "identity provider unavailable"):
        super().__init__(reason)


def www_authenticate(error: InvalidToken | None = None) -> str:
    """The `WWW-Authenticate` value of a 401.

    Without `error` (the request carried no token at all) the challenge names no error, as RFC 6750
    section 3.1 asks; with one, it says `invalid_token` and why.
    """
    if error is None:
        return f'Bearer realm="{REALM}"'
    description = "".join(c for c in error.reason if c in _DESCRIPTION_CHARS)[:_MAX_DESCRIPTION_CHARS]
    return f'Bearer realm="{REALM}", error="invalid_token", error_description="{description}"'
