"""Bearer tokens: what is trusted, what is refused and why, and what happens when the provider is not there.

The provider is a tiny HTTP server on this machine serving a discovery document and a JWKS; the keys are made
here, and tokens are minted here with them (production code only verifies).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt.algorithms import ECAlgorithm, RSAAlgorithm
from pydantic import ValidationError

from shared.auth import (
    MAX_TOKEN_CHARS,
    IdentityProviderUnavailable,
    IdentitySettings,
    InvalidToken,
    Principal,
    TokenVerifier,
    www_authenticate,
)
from shared.auth import provider as provider_module
from shared.errors import PathwayError, error_reply

AUDIENCE = "pathway"
RSA_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
ROTATED_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
EC_KEY = ec.generate_private_key(ec.SECP256R1())


def public_jwk(private_key: Any, kid: str, alg: str | None) -> dict[str, Any]:
    to_jwk = ECAlgorithm.to_jwk if isinstance(private_key, ec.EllipticCurvePrivateKey) else RSAAlgorithm.to_jwk
    jwk: dict[str, Any] = to_jwk(private_key.public_key(), as_dict=True)
    jwk.update({"kid": kid, "use": "sig"})
    if alg:
        jwk["alg"] = alg
    return jwk


class Provider:
    """A discovery document and a JWKS on 127.0.0.1, counting how often each is asked for."""

    def __init__(self) -> None:
        self.keys: list[dict[str, Any]] = [public_jwk(RSA_KEY, "k1", "RS256")]
        self.hits = {"discovery": 0, "jwks": 0}
        self.discovery_overrides: dict[str, Any] = {}
        self.jwks_body: bytes | None = None  # replaces the JWKS when set
        self.delay = 0.0
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                time.sleep(provider.delay)
                if self.path == "/.well-known/openid-configuration":
                    provider.hits["discovery"] += 1
                    body = json.dumps(provider.discovery()).encode()
                elif self.path == "/jwks":
                    provider.hits["jwks"] += 1
                    body = provider.jwks_body or json.dumps({"keys": provider.keys}).encode()
                else:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.issuer = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def discovery(self) -> dict[str, Any]:
        return {"issuer": self.issuer, "jwks_uri": f"{self.issuer}/jwks", **self.discovery_overrides}

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class Clock:
    """A monotonic clock the test moves."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def provider() -> Iterator[Provider]:
    server = Provider()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def fresh_provider(provider: Provider) -> None:
    provider.keys = [public_jwk(RSA_KEY, "k1", "RS256")]
    provider.hits = {"discovery": 0, "jwks": 0}
    provider.discovery_overrides = {}
    provider.jwks_body = None
    provider.delay = 0.0


def settings_for(provider: Provider, **overrides: Any) -> IdentitySettings:
    values: dict[str, Any] = {"issuer": provider.issuer, "fetch_timeout_seconds": 2, **overrides}
    return IdentitySettings(**values)


def claims_for(provider: Provider, **overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    claims = {
        "iss": provider.issuer,
        "aud": AUDIENCE,
        "sub": "user-7f3a",
        "iat": now,
        "exp": now + 300,
        "roles": ["records_officer", "auditor"],
        "agency": "north-prison",
        "azp": "pathway-web",
        **overrides,
    }
    return {k: v for k, v in claims.items() if v is not None}


def mint(claims: dict[str, Any], key: Any = RSA_KEY, alg: str = "RS256", kid: str = "k1") -> str:
    return jwt.encode(claims, key, algorithm=alg, headers={"kid": kid})


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def hand_made(header: dict[str, Any], claims: dict[str, Any], sign: Any = None) -> str:
    """A token built byte by byte, for what PyJWT refuses to mint (alg none, HS256 with a public key)."""
    signing_input = f"{b64(json.dumps(header).encode())}.{b64(json.dumps(claims).encode())}"
    signature = sign(signing_input.encode()) if sign else b""
    return f"{signing_input}.{b64(signature)}"


def refused(verifier: TokenVerifier, token: str) -> str:
    with pytest.raises(InvalidToken) as caught:
        verifier.verify(token)
    reason = caught.value.reason
    assert all(part not in reason for part in token.split(".") if len(part) > 8)
    return reason


# A good token


def test_a_good_token_names_its_principal(provider: Provider) -> None:
    verifier = TokenVerifier(settings_for(provider))

    principal = verifier.verify(mint(claims_for(provider)))

    assert principal == Principal(
        subject="user-7f3a",
        agency="north-prison",
        roles=frozenset({"records_officer", "auditor"}),
        client_id="pathway-web",
    )
    assert principal.has_any({"auditor", "importer"})
    assert not principal.has_any({"importer"})
    assert principal.has_any("auditor")


def test_roles_and_agency_from_dotted_claim_paths(provider: Provider) -> None:
    settings = settings_for(provider, roles_claim="realm_access.roles", agency_claim="org.agency")
    claims = claims_for(provider, roles=None, agency=None, realm_access={"roles": ["auditor"]}, org={"agency": "x"})

    principal = TokenVerifier(settings).verify(mint(claims))

    assert principal.roles == frozenset({"auditor"})
    assert principal.agency == "x"


def test_a_claim_whose_name_has_dots_is_found_as_itself(provider: Provider) -> None:
    settings = settings_for(provider, roles_claim="https://pathway.example/roles")
    claims = claims_for(provider, roles=None, **{"https://pathway.example/roles": ["importer"]})

    assert TokenVerifier(settings).verify(mint(claims)).roles == frozenset({"importer"})


def test_without_roles_agency_or_client_the_principal_has_none(provider: Provider) -> None:
    claims = claims_for(provider, roles=None, agency=None, azp=None)

    principal = TokenVerifier(settings_for(provider)).verify(mint(claims))

    assert principal == Principal("user-7f3a", None, frozenset(), None)
    assert not principal.has_any({"auditor"})


def test_client_id_falls_back_to_rfc_9068_client_id(provider: Provider) -> None:
    claims = claims_for(provider, azp=None, client_id="batch-importer")

    assert TokenVerifier(settings_for(provider)).verify(mint(claims)).client_id == "batch-importer"


def test_an_audience_list_that_contains_ours_is_accepted(provider: Provider) -> None:
    claims = claims_for(provider, aud=["account", AUDIENCE])

    assert TokenVerifier(settings_for(provider)).verify(mint(claims)).subject == "user-7f3a"


def test_ps256_and_es256_tokens_are_verified(provider: Provider) -> None:
    # A bare RSA key (no "alg") serves PS256; an EC key serves ES256.
    provider.keys = [public_jwk(RSA_KEY, "k1", None), public_jwk(EC_KEY, "e1", "ES256")]
    verifier = TokenVerifier(settings_for(provider))

    assert verifier.verify(mint(claims_for(provider), alg="PS256")).subject == "user-7f3a"
    assert verifier.verify(mint(claims_for(provider), EC_KEY, "ES256", kid="e1")).subject == "user-7f3a"


def test_discovery_and_keys_are_fetched_once_for_many_tokens(provider: Provider) -> None:
    verifier = TokenVerifier(settings_for(provider))

    for _ in range(5):
        verifier.verify(mint(claims_for(provider)))

    assert provider.hits == {"discovery": 1, "jwks": 1}


def test_concurrent_first_requests_fetch_discovery_and_keys_once(provider: Provider) -> None:
    provider.delay = 0.1
    verifier = TokenVerifier(settings_for(provider))
    token = mint(claims_for(provider))
    subjects: list[str] = []
    threads = [threading.Thread(target=lambda: subjects.append(verifier.verify(token).subject)) for _ in range(8)]

    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert subjects == ["user-7f3a"] * 8
    assert provider.hits == {"discovery": 1, "jwks": 1}


# Refused: times, issuer, audience


def test_an_expired_token_is_refused(provider: Provider) -> None:
    verifier = TokenVerifier(settings_for(provider, leeway_seconds=30))
    now = int(time.time())

    assert refused(verifier, mint(claims_for(provider, iat=now - 600, exp=now - 31))) == "expired"
    assert verifier.verify(mint(claims_for(provider, iat=now - 600, exp=now - 20))).subject  # within the leeway


def test_a_token_not_yet_valid_is_refused(provider: Provider) -> None:
    verifier = TokenVerifier(settings_for(provider, leeway_seconds=30))
    now = int(time.time())

    assert refused(verifier, mint(claims_for(provider, nbf=now + 120))) == "not yet valid"
    assert verifier.verify(mint(claims_for(provider, nbf=now + 10))).subject  # within the leeway


def test_a_token_from_another_issuer_is_refused(provider: Provider) -> None:
    verifier = TokenVerifier(settings_for(provider))

    assert refused(verifier, mint(claims_for(provider, iss="https://evil.example"))) == "wrong issuer"
    assert refused(verifier, mint(claims_for(provider, iss=provider.issuer + "/"))) == "wrong issuer"


def test_a_token_for_another_audience_is_refused(provider: Provider) -> None:
    verifier = TokenVerifier(settings_for(provider))

    assert refused(verifier, mint(claims_for(provider, aud="another-api"))) == "wrong audience"
    assert refused(verifier, mint(claims_for(provider, aud=["account"]))) == "wrong audience"


@pytest.mark.parametrize("claim", ["sub", "exp", "iss", "aud"])
def test_a_token_without_a_required_claim_is_refused(provider: Provider, claim: str) -> None:
    token = mint(claims_for(provider, **{claim: None}))

    assert refused(TokenVerifier(settings_for(provider)), token) == f"missing claim {claim}"


def test_malformed_role_and_agency_claims_are_refused(provider: Provider) -> None:
    verifier = TokenVerifier(settings_for(provider))

    assert refused(verifier, mint(claims_for(provider, roles=[1, 2]))) == "malformed roles claim"
    assert refused(verifier, mint(claims_for(provider, roles={"a": 1}))) == "malformed roles claim"
    assert refused(verifier, mint(claims_for(provider, agency=["a"]))) == "malformed agency claim"


# Refused: algorithms and signatures


def test_alg_none_is_refused(provider: Provider) -> None:
    token = hand_made({"alg": "none", "kid": "k1", "typ": "JWT"}, claims_for(provider))

    assert refused(TokenVerifier(settings_for(provider)), token) == "algorithm not allowed"
    assert provider.hits["jwks"] == 0  # refused before any key is looked at


def test_hs256_signed_with_the_public_key_as_secret_is_refused(provider: Provider) -> None:
    public_pem = RSA_KEY.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    jwk_json = json.dumps(provider.keys[0]).encode()
    verifier = TokenVerifier(settings_for(provider))

    for secret in (public_pem, jwk_json):
        token = hand_made(
            {"alg": "HS256", "kid": "k1", "typ": "JWT"},
            claims_for(provider),
            lambda data, secret=secret: hmac.new(secret, data, hashlib.sha256).digest(),
        )
        assert refused(verifier, token) == "algorithm not allowed"


def test_an_algorithm_left_out_of_the_settings_is_refused(provider: Provider) -> None:
    provider.keys = [public_jwk(RSA_KEY, "k1", None)]
    verifier = TokenVerifier(settings_for(provider, algorithms=("RS256",)))

    assert refused(verifier, mint(claims_for(provider), alg="PS256")) == "algorithm not allowed"


def test_a_key_that_states_its_algorithm_serves_no_other(provider: Provider) -> None:
    # The JWKS says k1 is for RS256: a PS256 token naming k1 is refused even though PS256 is allowed.
    verifier = TokenVerifier(settings_for(provider))

    assert refused(verifier, mint(claims_for(provider), alg="PS256")) == "algorithm not allowed"


def test_an_algorithm_that_does_not_fit_the_key_type_is_refused(provider: Provider) -> None:
    provider.keys = [public_jwk(RSA_KEY, "k1", None)]
    token = mint(claims_for(provider), EC_KEY, "ES256", kid="k1")

    assert refused(TokenVerifier(settings_for(provider)), token) == "algorithm not allowed"


def test_a_tampered_payload_is_refused(provider: Provider) -> None:
    header, _, signature = mint(claims_for(provider)).split(".")
    forged = b64(json.dumps(claims_for(provider, roles=["importer"], sub="someone-else")).encode())

    assert refused(TokenVerifier(settings_for(provider)), f"{header}.{forged}.{signature}") == "bad signature"


def test_a_token_signed_by_another_key_under_a_known_kid_is_refused(provider: Provider) -> None:
    token = mint(claims_for(provider), ROTATED_KEY, kid="k1")

    assert refused(TokenVerifier(settings_for(provider)), token) == "bad signature"


@pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")  # minting with it, here
def test_a_key_too_weak_is_refused(provider: Provider) -> None:
    weak = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    provider.keys = [public_jwk(weak, "w1", "RS256")]

    assert refused(TokenVerifier(settings_for(provider)), mint(claims_for(provider), weak, kid="w1")) == (
        "unusable signing key"
    )


@pytest.mark.parametrize(
    "token",
    [
        "abc",
        "a.b.c",
        "a.b",
        "....",
        "eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.!!!.AA",
        "ünïcode.x.y",
        b64(b"[1]") + ".e30.AA",
    ],
)
def test_malformed_tokens_are_refused(provider: Provider, token: str) -> None:
    assert refused(TokenVerifier(settings_for(provider)), token) in ("malformed", "algorithm not allowed")


def test_a_token_without_kid_is_refused(provider: Provider) -> None:
    token = jwt.encode(claims_for(provider), RSA_KEY, algorithm="RS256")

    assert refused(TokenVerifier(settings_for(provider)), token) == "unknown signing key"


def test_an_over_long_token_is_refused_unread(provider: Provider) -> None:
    token = mint(claims_for(provider, padding="x" * MAX_TOKEN_CHARS))

    assert refused(TokenVerifier(settings_for(provider)), token) == "too long"
    assert provider.hits == {"discovery": 0, "jwks": 0}


# Unknown keys and rotation


def test_an_unknown_kid_is_refused_after_one_refetch(provider: Provider) -> None:
    verifier = TokenVerifier(settings_for(provider, jwks_refetch_cooldown_seconds=0))

    assert refused(verifier, mint(claims_for(provider), ROTATED_KEY, kid="k-unknown")) == "unknown signing key"
    assert provider.hits["jwks"] == 2


def test_a_rotated_key_is_found_after_one_refetch(provider: Provider) -> None:
    clock = Clock()
    verifier = TokenVerifier(settings_for(provider), clock=clock)
    verifier.verify(mint(claims_for(provider)))
    provider.keys = [*provider.keys, public_jwk(ROTATED_KEY, "k2", "RS256")]
    clock.now += 10  # past the refetch cooldown, well within the cache's lifetime

    principal = verifier.verify(mint(claims_for(provider), ROTATED_KEY, kid="k2"))

    assert principal.subject == "user-7f3a"
    assert provider.hits["jwks"] == 2
    verifier.verify(mint(claims_for(provider), ROTATED_KEY, kid="k2"))
    verifier.verify(mint(claims_for(provider)))
    assert provider.hits["jwks"] == 2  # the new set is cached, the old key still in it


def test_unknown_kids_do_not_refetch_within_the_cooldown(provider: Provider) -> None:
    clock = Clock()
    verifier = TokenVerifier(settings_for(provider, jwks_refetch_cooldown_seconds=10), clock=clock)
    verifier.verify(mint(claims_for(provider)))

    for n in range(20):
        refused(verifier, mint(claims_for(provider), ROTATED_KEY, kid=f"made-up-{n}"))
    assert provider.hits["jwks"] == 1

    clock.now += 10
    refused(verifier, mint(claims_for(provider), ROTATED_KEY, kid="made-up"))
    assert provider.hits["jwks"] == 2


# The provider unavailable or misbehaving


def unused_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_a_provider_that_is_down_is_unavailable_not_a_crash(provider: Provider) -> None:
    settings = IdentitySettings(issuer=f"http://127.0.0.1:{unused_port()}/realms/x", fetch_timeout_seconds=2)

    with pytest.raises(IdentityProviderUnavailable) as caught:
        TokenVerifier(settings).verify(mint(claims_for(provider)))

    assert caught.value.status == 503
    assert not isinstance(caught.value, InvalidToken)


def test_after_a_failure_the_provider_is_left_alone_for_a_while(provider: Provider) -> None:
    clock = Clock()
    provider.discovery_overrides = {"jwks_uri": f"http://127.0.0.1:{unused_port()}/jwks"}
    verifier = TokenVerifier(settings_for(provider), clock=clock)
    token = mint(claims_for(provider))

    with pytest.raises(IdentityProviderUnavailable):
        verifier.verify(token)
    provider.discovery_overrides = {}
    with pytest.raises(IdentityProviderUnavailable):
        verifier.verify(token)  # told at once: no new attempt yet
    assert provider.hits["discovery"] == 1

    clock.now += provider_module.PROVIDER_RETRY_SECONDS
    with pytest.raises(IdentityProviderUnavailable):
        verifier.verify(token)  # the discovery answer was kept: its jwks_uri is still the dead one
    assert provider.hits["discovery"] == 1


def test_the_provider_is_asked_again_once_it_is_back(provider: Provider) -> None:
    clock = Clock()
    provider.jwks_body = b"<html>maintenance</html>"
    verifier = TokenVerifier(settings_for(provider), clock=clock)
    token = mint(claims_for(provider))

    with pytest.raises(IdentityProviderUnavailable):
        verifier.verify(token)
    provider.jwks_body = None
    clock.now += provider_module.PROVIDER_RETRY_SECONDS

    assert verifier.verify(token).subject == "user-7f3a"


def test_cached_keys_still_serve_while_a_refetch_fails(provider: Provider) -> None:
    clock = Clock()
    verifier = TokenVerifier(settings_for(provider, jwks_refetch_cooldown_seconds=0), clock=clock)
    token = mint(claims_for(provider))
    verifier.verify(token)
    provider.jwks_body = b"<html>maintenance</html>"

    with pytest.raises(IdentityProviderUnavailable):
        verifier.verify(mint(claims_for(provider), ROTATED_KEY, kid="k2"))  # the refetch fails: nothing is known

    assert verifier.verify(token).subject == "user-7f3a"  # k1 is still in the cache
    with pytest.raises(IdentityProviderUnavailable):
        verifier.verify(mint(claims_for(provider), ROTATED_KEY, kid="k2"))  # left alone: not asked again yet
    assert provider.hits["jwks"] == 2


def test_a_slow_provider_is_unavailable_within_the_timeout(provider: Provider) -> None:
    provider.delay = 2.0
    verifier = TokenVerifier(settings_for(provider, fetch_timeout_seconds=0.3))
    started = time.monotonic()

    with pytest.raises(IdentityProviderUnavailable):
        verifier.verify(mint(claims_for(provider)))

    assert time.monotonic() - started < 1.5


def test_a_discovery_document_for_another_issuer_is_not_used(provider: Provider) -> None:
    provider.discovery_overrides = {"issuer": "https://evil.example"}

    with pytest.raises(IdentityProviderUnavailable, match="another issuer"):
        TokenVerifier(settings_for(provider)).verify(mint(claims_for(provider)))
    assert provider.hits["jwks"] == 0


@pytest.mark.parametrize("jwks_uri", [None, 42, "file:///etc/passwd", "http://keys.example/jwks", "not a url"])
def test_an_unusable_jwks_uri_is_not_followed(provider: Provider, jwks_uri: Any) -> None:
    provider.discovery_overrides = {"jwks_uri": jwks_uri}

    with pytest.raises(IdentityProviderUnavailable, match="jwks_uri"):
        TokenVerifier(settings_for(provider)).verify(mint(claims_for(provider)))


@pytest.mark.parametrize(
    "body",
    [
        b"[]",
        b'{"keys": []}',
        b'{"keys": {"kid": "k1"}}',
        b'{"keys": [{"kty": ["RSA"], "alg": ["RS256"], "kid": "k1"}]}',
        b'{"keys": [{"kty": "RSA", "kid": "k1", "n": 5, "e": null}]}',
        b"x" * (provider_module.MAX_DOCUMENT_BYTES + 1),
    ],
)
def test_a_broken_jwks_is_unavailable_not_a_crash(provider: Provider, body: bytes) -> None:
    provider.jwks_body = body

    with pytest.raises(IdentityProviderUnavailable):
        TokenVerifier(settings_for(provider)).verify(mint(claims_for(provider)))


# Settings


@pytest.mark.parametrize("algorithms", [("none",), ("RS256", "None"), ("HS256",), ("RS256", "hs512"), ("XX1",), ()])
def test_settings_refuse_none_symmetric_and_unknown_algorithms(algorithms: tuple[str, ...]) -> None:
    with pytest.raises(ValidationError):
        IdentitySettings(issuer="https://idp.example/realms/pathway", algorithms=algorithms)


def test_settings_defaults() -> None:
    settings = IdentitySettings(issuer="https://login.microsoftonline.com/tenant/v2.0")

    assert settings.issuer == "https://login.microsoftonline.com/tenant/v2.0"  # kept exactly: compared with iss
    assert settings.audience == "pathway"
    assert settings.roles_claim == "roles"
    assert settings.agency_claim == "agency"
    assert settings.algorithms == ("RS256", "PS256", "ES256")
    assert (settings.jwks_cache_seconds, settings.leeway_seconds) == (300, 30)


def test_settings_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATHWAY_OIDC_ISSUER", "https://kc.example/realms/pathway")
    monkeypatch.setenv("PATHWAY_OIDC_ROLES_CLAIM", "realm_access.roles")
    monkeypatch.setenv("PATHWAY_OIDC_ALGORITHMS", "RS256, PS256")

    settings = IdentitySettings()  # type: ignore[call-arg]

    assert settings.roles_claim == "realm_access.roles"
    assert settings.algorithms == ("RS256", "PS256")
    monkeypatch.setenv("PATHWAY_OIDC_ALGORITHMS", '["ES256"]')
    assert IdentitySettings().algorithms == ("ES256",)  # type: ignore[call-arg]
    monkeypatch.setenv("PATHWAY_OIDC_ALGORITHMS", "RS256,HS256")
    with pytest.raises(ValidationError):
        IdentitySettings()  # type: ignore[call-arg]


@pytest.mark.parametrize(
    "issuer", ["http://idp.example/realms/x", "ftp://idp.example", "idp.example", "https://idp.example/?a=1", ""]
)
def test_settings_refuse_an_issuer_that_is_not_https(issuer: str) -> None:
    with pytest.raises(ValidationError):
        IdentitySettings(issuer=issuer)


def test_plain_http_is_allowed_on_loopback_only() -> None:
    assert IdentitySettings(issuer="http://localhost:8080/realms/x").issuer == "http://localhost:8080/realms/x"
    assert IdentitySettings(issuer="http://[::1]:8080").issuer == "http://[::1]:8080"


# Errors as the caller sees them


def test_invalid_token_is_a_401_pathway_error() -> None:
    error = InvalidToken("expired")

    assert isinstance(error, PathwayError)
    assert error_reply(error) == {"status": 401, "error": "expired"}
    assert error_reply(IdentityProviderUnavailable()) == {"status": 503, "error": "identity provider unavailable"}


def test_www_authenticate() -> None:
    assert www_authenticate() == 'Bearer realm="pathway"'
    assert www_authenticate(InvalidToken("expired")) == (
        'Bearer realm="pathway", error="invalid_token", error_description="expired"'
    )
    assert www_authenticate(InvalidToken('a "quoted"\\ \r\nvalue')) == (
        'Bearer realm="pathway", error="invalid_token", error_description="a quoted value"'
    )
