"""How the command line gets the token it calls the services with: given, or by the client-credentials grant."""

from __future__ import annotations

from pathlib import Path

import pytest

from shared.auth.client import ClientCredentials, GivenToken, token_source
from shared.errors import InvalidInput


def test_no_token_and_no_client_means_calling_without_one() -> None:
    assert token_source({}) is None


def test_a_given_token_is_sent_as_given_and_wins_over_a_client() -> None:
    source = token_source({"PATHWAY_CLIENT_ID": "importer"}, " abc.def.ghi ")
    assert isinstance(source, GivenToken)
    assert source.bearer() == "abc.def.ghi"


@pytest.mark.parametrize("bad", ["", "two words", "x" * 20_000])
def test_a_given_token_that_cannot_be_one_is_refused_naming_the_option(bad: str) -> None:
    with pytest.raises(InvalidInput, match="--token: must be one bearer token"):
        token_source({}, bad)


def test_a_client_needs_exactly_one_secret_and_a_way_to_the_token_endpoint(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="PATHWAY_CLIENT_SECRET"):
        token_source({"PATHWAY_CLIENT_ID": "importer"})
    with pytest.raises(InvalidInput, match="PATHWAY_OIDC_ISSUER: needed to find the token endpoint"):
        token_source({"PATHWAY_CLIENT_ID": "importer", "PATHWAY_CLIENT_SECRET": "s"})
    with pytest.raises(InvalidInput, match="PATHWAY_OIDC_ISSUER"):
        token_source({"PATHWAY_CLIENT_ID": "importer", "PATHWAY_CLIENT_SECRET": "s", "PATHWAY_OIDC_ISSUER": "ftp://x"})
    secret = tmp_path / "secret"
    secret.write_text("from-a-file\n")
    source = token_source(
        {
            "PATHWAY_CLIENT_ID": "importer",
            "PATHWAY_CLIENT_SECRET_FILE": str(secret),
            "PATHWAY_CLIENT_TOKEN_ENDPOINT": "http://127.0.0.1:1/token",
        }
    )
    assert isinstance(source, ClientCredentials)


def test_an_unreadable_secret_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="PATHWAY_CLIENT_SECRET_FILE: cannot be read"):
        token_source(
            {
                "PATHWAY_CLIENT_ID": "importer",
                "PATHWAY_CLIENT_SECRET_FILE": str(tmp_path / "absent"),
                "PATHWAY_CLIENT_TOKEN_ENDPOINT": "http://127.0.0.1:1/token",
            }
        )
