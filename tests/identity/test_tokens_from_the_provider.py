"""The verifier (shared/auth/) against a real OpenID provider's tokens: discovery, JWKS, rotation and claims.

The unit tests of shared/auth/ cover each refusal with tokens made in the test; these show the same verifier
accepting and refusing what a real provider issues, over HTTP, as a service will.
"""

from __future__ import annotations

import time

import jwt
import pytest

from shared.auth import IdentitySettings, InvalidToken, TokenVerifier
from tests.identity.provider import OTHER_RESOURCE, IdentityProvider


def verifier_for(provider: IdentityProvider) -> TokenVerifier:
    return TokenVerifier(IdentitySettings(issuer=provider.issuer, audience="pathway"))


def test_a_token_from_the_provider_is_a_principal_with_its_roles_and_agency(
    identity_provider: IdentityProvider,
) -> None:
    principal = verifier_for(identity_provider).verify(identity_provider.token("records-officer"))

    assert principal.roles == {"records-officer"}
    assert principal.agency == "ministry-of-justice"
    assert principal.subject == "records-officer"
    assert principal.client_id == "records-officer"


def test_the_two_agency_clients_are_told_apart(identity_provider: IdentityProvider) -> None:
    verifier = verifier_for(identity_provider)

    mine = verifier.verify(identity_provider.token("agency-client"))
    theirs = verifier.verify(identity_provider.token("agency-client-other"))

    assert mine.roles == theirs.roles == {"agency-client"}
    assert (mine.agency, theirs.agency) == ("agency-a", "agency-b")


def test_a_token_for_another_audience_is_refused(identity_provider: IdentityProvider) -> None:
    token = identity_provider.token("auditor", resource=OTHER_RESOURCE)

    with pytest.raises(InvalidToken, match="wrong audience"):
        verifier_for(identity_provider).verify(token)


def test_an_expired_token_is_refused(identity_provider: IdentityProvider) -> None:
    verifier = TokenVerifier(IdentitySettings(issuer=identity_provider.issuer, leeway_seconds=0))
    token = identity_provider.token("operator", ttl=1)
    time.sleep(2.1)

    with pytest.raises(InvalidToken, match="expired"):
        verifier.verify(token)


def test_a_token_not_yet_valid_is_refused(identity_provider: IdentityProvider) -> None:
    with pytest.raises(InvalidToken, match="not yet valid"):
        verifier_for(identity_provider).verify(identity_provider.token("operator", not_before_in=600))


def test_a_tampered_token_is_refused(identity_provider: IdentityProvider) -> None:
    header, payload, signature = identity_provider.token("auditor").split(".")
    forged = f"{header}.{payload[:-4]}AAAA.{signature}"

    with pytest.raises(InvalidToken):
        verifier_for(identity_provider).verify(forged)


def test_a_rotated_signing_key_is_found_without_a_restart() -> None:
    with IdentityProvider() as provider:
        # No cooldown between refetches here: in service, a refetch for an unknown key waits 10 s after the last.
        settings = IdentitySettings(issuer=provider.issuer, jwks_refetch_cooldown_seconds=0)
        verifier = TokenVerifier(settings)
        assert verifier.verify(provider.token("auditor")).roles == {"auditor"}  # the keys are cached from here

        new_kid = provider.rotate_keys(keep_previous=False)
        token = provider.token("auditor")

        assert jwt.get_unverified_header(token)["kid"] == new_kid
        assert verifier.verify(token).subject == "auditor"
