"""The identity provider the tests start is a real OpenID provider: discovery, JWKS, RS256-signed JWT access tokens
by client credentials with the roles and agency claims, refused secrets, and key rotation.

Signatures are checked here with nothing but the standard library (RSASSA-PKCS1-v1_5 with SHA-256, RFC 8017), so
that the check does not share a library with the verifier under test; and once with PyJWT.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from typing import Any

import jwt
import pytest

from tests.identity.provider import (
    AUDIENCE,
    CLIENTS,
    OTHER_RESOURCE,
    STAFF_AGENCY,
    IdentityProvider,
    ProviderError,
)

# DER prefix of a SHA-256 DigestInfo (RFC 8017, section 9.2, note 1).
SHA256_DIGEST_INFO = bytes.fromhex("3031300d060960864801650304020105000420")


def b64decode(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def parts(token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    header, payload, _signature = token.split(".")
    return json.loads(b64decode(header)), json.loads(b64decode(payload))


def rs256_verifies(token: str, jwk: dict[str, Any]) -> bool:
    """RSASSA-PKCS1-v1_5 verification of a compact JWS with SHA-256 against an RSA public JWK."""
    header, payload, signature = token.split(".")
    n = int.from_bytes(b64decode(jwk["n"]), "big")
    e = int.from_bytes(b64decode(jwk["e"]), "big")
    size = (n.bit_length() + 7) // 8
    sig = b64decode(signature)
    if len(sig) != size or int.from_bytes(sig, "big") >= n:
        return False
    encoded = pow(int.from_bytes(sig, "big"), e, n).to_bytes(size, "big")
    digest_info = SHA256_DIGEST_INFO + hashlib.sha256(f"{header}.{payload}".encode()).digest()
    expected = b"\x00\x01" + b"\xff" * (size - 3 - len(digest_info)) + b"\x00" + digest_info
    return hmac.compare_digest(encoded, expected)


def key_for(token: str, jwks: dict[str, Any]) -> dict[str, Any]:
    kid = parts(token)[0]["kid"]
    matching = [key for key in jwks["keys"] if key["kid"] == kid]
    assert len(matching) == 1, f"kid {kid} not (once) in the JWKS {[key['kid'] for key in jwks['keys']]}"
    return matching[0]


def test_discovery_names_the_issuer_its_keys_and_the_client_credentials_grant(
    identity_provider: IdentityProvider,
) -> None:
    discovery = identity_provider.discovery()
    assert discovery["issuer"] == identity_provider.issuer
    assert discovery["issuer"].startswith("http://127.0.0.1:")
    assert discovery["jwks_uri"] == identity_provider.jwks_uri
    assert discovery["token_endpoint"] == identity_provider.token_endpoint
    assert "client_credentials" in discovery["grant_types_supported"]
    keys = identity_provider.jwks()["keys"]
    assert keys
    for key in keys:
        assert key["kty"] == "RSA"
        assert key["alg"] == "RS256"
        assert key["use"] == "sig"
        assert key["kid"]
        assert not {"d", "p", "q", "dp", "dq", "qi"} & key.keys(), "private parts published"


def test_a_records_officer_gets_an_rs256_jwt_with_roles_and_agency(identity_provider: IdentityProvider) -> None:
    before = int(time.time())
    token = identity_provider.token("records-officer")
    assert token.count(".") == 2
    header, claims = parts(token)
    assert header["alg"] == "RS256"
    assert header["typ"] == "at+jwt"  # RFC 9068
    assert rs256_verifies(token, key_for(token, identity_provider.jwks()))

    assert claims["iss"] == identity_provider.issuer
    assert claims["aud"] == AUDIENCE
    assert claims["client_id"] == claims["sub"] == "records-officer"
    assert claims["roles"] == ["records-officer"]
    assert claims["agency"] == STAFF_AGENCY
    assert claims["scope"] == "pathway"
    assert claims["jti"]
    assert before - 5 <= claims["iat"] <= time.time() + 5
    assert claims["nbf"] == claims["iat"]
    assert claims["exp"] == claims["iat"] + 600


def test_a_changed_token_no_longer_verifies(identity_provider: IdentityProvider) -> None:
    token = identity_provider.token("auditor")
    jwk = key_for(token, identity_provider.jwks())
    header, payload, signature = token.split(".")
    _, claims = parts(token)
    forged = base64.urlsafe_b64encode(json.dumps({**claims, "roles": ["importer"]}).encode()).rstrip(b"=").decode()
    assert rs256_verifies(token, jwk)
    assert not rs256_verifies(f"{header}.{forged}.{signature}", jwk)
    other = identity_provider.token("operator").split(".")[2]
    assert not rs256_verifies(f"{header}.{payload}.{other}", jwk)


@pytest.mark.parametrize("client", CLIENTS, ids=[client.client_id for client in CLIENTS])
def test_every_client_gets_its_roles_and_agency(identity_provider: IdentityProvider, client: Any) -> None:
    token = identity_provider.token(client.client_id)
    _, claims = parts(token)
    assert claims["roles"] == list(client.roles)
    assert claims["agency"] == client.agency
    assert claims["aud"] == AUDIENCE
    assert rs256_verifies(token, key_for(token, identity_provider.jwks()))


def test_the_two_agency_clients_are_agency_clients_of_two_agencies(identity_provider: IdentityProvider) -> None:
    _, mine = parts(identity_provider.token("agency-client"))
    _, other = parts(identity_provider.token("agency-client-other"))
    assert mine["roles"] == other["roles"] == ["agency-client"]
    assert (mine["agency"], other["agency"]) == ("agency-a", "agency-b")
    staff = {client.agency for client in CLIENTS if "agency-client" not in client.roles}
    assert staff == {STAFF_AGENCY}
    assert {client.client_id for client in CLIENTS} == {
        "records-officer",
        "programme-officer",
        "probation-officer",
        "sentence-calculator",
        "classification-approver",
        "auditor",
        "agency-client",
        "operator",
        "importer",
        "agency-client-other",
        "officer-and-approver",
    }


def test_a_wrong_or_borrowed_secret_is_refused(identity_provider: IdentityProvider) -> None:
    for client_id, secret in [
        ("records-officer", "not-the-secret"),
        ("records-officer", identity_provider.secret("auditor")),
        ("no-such-client", identity_provider.secret("auditor")),
    ]:
        answer = identity_provider.token_response(client_id, secret=secret)
        assert answer.status_code == 401, (client_id, answer.text)
        assert answer.json()["error"] == "invalid_client"
    with pytest.raises(ProviderError, match="401"):
        identity_provider.token("records-officer", secret="not-the-secret")


def test_tokens_for_another_audience_and_unknown_resources(identity_provider: IdentityProvider) -> None:
    _, claims = parts(identity_provider.token("records-officer", resource=OTHER_RESOURCE))
    assert claims["aud"] == "elsewhere"
    answer = identity_provider.token_response("records-officer", resource="urn:no-such-api")
    assert answer.status_code == 400
    assert answer.json()["error"] == "invalid_target"


def test_short_lived_and_not_yet_valid_tokens_for_tests_of_time(identity_provider: IdentityProvider) -> None:
    _, claims = parts(identity_provider.token("records-officer", ttl=2, not_before_in=60))
    assert claims["exp"] == claims["iat"] + 2
    assert claims["nbf"] == claims["iat"] + 60


def test_key_rotation_makes_a_new_kid_current_and_publishes_it() -> None:
    with IdentityProvider() as provider:
        old_token = provider.token("records-officer")
        old_kid = parts(old_token)[0]["kid"]

        new_kid = provider.rotate_keys()
        assert new_kid != old_kid
        new_token = provider.token("records-officer")
        assert parts(new_token)[0]["kid"] == new_kid
        jwks = provider.jwks()
        assert [key["kid"] for key in jwks["keys"]] == [new_kid, old_kid]
        assert rs256_verifies(new_token, key_for(new_token, jwks))
        assert rs256_verifies(old_token, key_for(old_token, jwks))  # tokens issued before still verify
        assert not rs256_verifies(new_token, key_for(old_token, jwks))

        newest = provider.rotate_keys(keep_previous=False)
        assert [key["kid"] for key in provider.jwks()["keys"]] == [newest]  # the old keys are retired
        assert parts(provider.token("auditor"))[0]["kid"] == newest
        assert provider.discovery()["issuer"] == provider.issuer  # still the same provider


def test_the_provider_goes_when_its_parent_does() -> None:
    provider = IdentityProvider().start()
    try:
        process = provider._process
        assert process is not None
        assert process.stdin is not None
        process.stdin.close()  # what the operating system does when the test process dies
        assert process.wait(timeout=10) == 0
    finally:
        provider.stop()


def test_pyjwt_accepts_the_tokens(identity_provider: IdentityProvider) -> None:
    token = identity_provider.token("probation-officer")
    signing_key = jwt.PyJWKClient(identity_provider.jwks_uri).get_signing_key_from_jwt(token)
    claims = jwt.decode(
        token,
        signing_key.key,
        algorithms=["RS256"],
        audience=AUDIENCE,
        issuer=identity_provider.issuer,
        options={"require": ["exp", "iat", "nbf", "iss", "aud"]},
    )
    assert claims["roles"] == ["probation-officer"]
    with pytest.raises(jwt.InvalidAudienceError):
        jwt.decode(
            identity_provider.token("probation-officer", resource=OTHER_RESOURCE),
            signing_key.key,
            algorithms=["RS256"],
            audience=AUDIENCE,
            issuer=identity_provider.issuer,
        )
