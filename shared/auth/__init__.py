"""Who is asking: OAuth 2.0 bearer tokens (JWT) from the agency's OpenID Connect provider, verified.

This package only verifies a token and says who it names (`Principal`); deciding what that principal
may do stays with the roles declared beside each handler and query (shared/registry/roles.py).
Production code never mints tokens: the keys that sign them live with the provider.
"""

from shared.auth.errors import IdentityProviderUnavailable, InvalidToken, www_authenticate
from shared.auth.principal import Principal
from shared.auth.settings import IdentitySettings
from shared.auth.tokens import MAX_TOKEN_CHARS, TokenVerifier

__all__ = [
    "MAX_TOKEN_CHARS",
    "IdentityProviderUnavailable",
    "IdentitySettings",
    "InvalidToken",
    "Principal",
    "TokenVerifier",
    "www_authenticate",
]
