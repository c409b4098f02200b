"""The provider's signing keys: found through its discovery document, fetched with bounds, kept for a while.

Everything fetched is bounded (size, time, no redirects), because a slow or hostile answer must cost a request
a 503, not a worker. After a failed fetch the provider is left alone for PROVIDER_RETRY_SECONDS: while it is
down every request that needs it is told so at once instead of each waiting out its own timeout, and keys
already in the cache go on serving.
"""

from __future__ import annotations

import http.client
import json
import logging
import threading
import time
import urllib.request
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.error import HTTPError
from urllib.parse import urlsplit

from jwt import PyJWK, PyJWKClient
from jwt.exceptions import PyJWKClientError, PyJWKSetError

from shared.auth.errors import IdentityProviderUnavailable
from shared.auth.settings import IdentitySettings, is_loopback

DISCOVERY_PATH = "/.well-known/openid-configuration"
MAX_DOCUMENT_BYTES = 256 * 1024  # a discovery document or JWKS; Entra's JWKS, certificates included, is ~10 KiB
MAX_URL_CHARS = 2_000
PROVIDER_RETRY_SECONDS = 5.0
_CHUNK_BYTES = 16 * 1024

log = logging.getLogger(__name__)
T = TypeVar("T")
# What PyJWT may raise, beyond its own errors, on a JWKS whose members have the wrong JSON types.
_MALFORMED_KEYS = (TypeError, ValueError, KeyError, AttributeError)


class SigningKeys:
    """The provider's public keys by key id, with one early refetch for a key not yet seen (rotation).

    Discovery runs at the first use, not at construction, so a service starts while its provider is down; its
    answer (the JWKS address) is kept for the life of the process. `clock` is a monotonic clock (tests move it).
    """

    def __init__(self, settings: IdentitySettings, *, clock: Callable[[], float] = time.monotonic):
        self._settings = settings
        self._clock = clock
        self._lock = threading.Lock()
        self._client: _BoundedJWKClient | None = None
        self._down_until = float("-inf")

    def key(self, kid: str) -> PyJWK | None:
        """The signing key named `kid`, or None when the provider does not publish it, even after a refetch."""
        with self._lock:
            client = self._client or self._ask(self._discover)
            # Keys still in the cache are used even while the provider is being left alone after a failure.
            found = _match(self._ask(client.get_signing_keys, reaches_provider=not client.has_fresh_keys()), kid)
            if found is None and self._clock() - client.fetched_at >= self._settings.jwks_refetch_cooldown_seconds:
                found = _match(self._ask(lambda: client.get_signing_keys(refresh=True)), kid)
            return found

    def _discover(self) -> _BoundedJWKClient:
        self._client = _BoundedJWKClient(self._discover_jwks_uri(), self._settings, self._clock)
        return self._client

    def _discover_jwks_uri(self) -> str:
        issuer = self._settings.issuer
        document = fetch_json(issuer.rstrip("/") + DISCOVERY_PATH, self._settings.fetch_timeout_seconds)
        if document.get("issuer") != issuer:
            # OpenID Connect Discovery 1.0, section 4.3: a document for another issuer is not to be used.
            raise IdentityProviderUnavailable("the provider's discovery document names another issuer")
        jwks_uri = document.get("jwks_uri")
        if not isinstance(jwks_uri, str) or not _acceptable_url(jwks_uri):
            raise IdentityProviderUnavailable("the provider's discovery document has no usable jwks_uri")
        return jwks_uri

    def _ask(self, call: Callable[[], T], *, reaches_provider: bool = True) -> T:
        """Run one step that may reach the provider; any failure becomes IdentityProviderUnavailable."""
        if reaches_provider and self._clock() < self._down_until:
            raise IdentityProviderUnavailable()
        try:
            return call()
        except (IdentityProviderUnavailable, PyJWKClientError, PyJWKSetError, *_MALFORMED_KEYS) as error:
            self._down_until = self._clock() + PROVIDER_RETRY_SECONDS
            log.warning("identity provider %s: %s", self._settings.issuer, error)
            if isinstance(error, IdentityProviderUnavailable):
                raise
            raise IdentityProviderUnavailable("the provider publishes no usable signing keys") from error


class _BoundedJWKClient(PyJWKClient):
    """PyJWT's JWKS client and its cache, fetching through `fetch_json` (bounded) and noting when it fetched."""

    def __init__(self, uri: str, settings: IdentitySettings, clock: Callable[[], float]):
        super().__init__(
            uri,
            cache_jwk_set=True,
            lifespan=settings.jwks_cache_seconds,
            timeout=settings.fetch_timeout_seconds,
            cooldown_duration=settings.jwks_refetch_cooldown_seconds,
        )
        self._clock = clock
        self.fetched_at = float("-inf")

    def has_fresh_keys(self) -> bool:
        """Whether the next `get_signing_keys()` is answered from the cache, without reaching the provider."""
        return self.jwk_set_cache is not None and self.jwk_set_cache.get() is not None

    def fetch_data(self) -> Any:
        data = fetch_json(self.uri, self.timeout)
        self.fetched_at = self._clock()
        return data  # get_jwk_set parses it and puts it in the cache


def _match(keys: list[PyJWK], kid: str) -> PyJWK | None:
    return next((key for key in keys if key.key_id == kid), None)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is refused (it surfaces as an HTTP error): the configured issuer says where the keys are."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def fetch_json(url: str, timeout: float) -> dict[str, Any]:
    """A JSON object from `url`: at most MAX_DOCUMENT_BYTES, within about `timeout` seconds overall.

    `timeout` bounds each socket wait; reading in small pieces against a deadline bounds a server that
    answers one byte at a time too.
    """
    if not _acceptable_url(url):
        raise IdentityProviderUnavailable("unusable provider address")
    deadline = time.monotonic() + timeout
    request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310 (scheme checked)
    try:
        with urllib.request.build_opener(_NoRedirect()).open(request, timeout=timeout) as response:
            body = _read_bounded(response, deadline)
    except (OSError, http.client.HTTPException) as error:  # URLError and timeouts are OSErrors
        reason = "timed out" if isinstance(error, TimeoutError) else type(error).__name__
        if isinstance(error, HTTPError):
            error.close()
        raise IdentityProviderUnavailable(f"identity provider unavailable ({reason})") from error
    try:
        document = json.loads(body)
    except (ValueError, RecursionError) as error:
        raise IdentityProviderUnavailable("the provider answered with something other than JSON") from error
    if not isinstance(document, dict):
        raise IdentityProviderUnavailable("the provider answered with something other than a JSON object")
    return document


def _read_bounded(response: http.client.HTTPResponse, deadline: float) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while chunk := response.read1(_CHUNK_BYTES):
        size += len(chunk)
        if size > MAX_DOCUMENT_BYTES:
            raise IdentityProviderUnavailable("the provider's answer is too large")
        if time.monotonic() > deadline:
            raise IdentityProviderUnavailable("identity provider unavailable (timed out)")
        chunks.append(chunk)
    return b"".join(chunks)


def _acceptable_url(url: str) -> bool:
    """https, or plain http to this machine only: the same rule as for the configured issuer."""
    if len(url) > MAX_URL_CHARS:
        return False
    parts = urlsplit(url)
    if not parts.hostname:
        return False
    return parts.scheme == "https" or (parts.scheme == "http" and is_loopback(parts.hostname))
