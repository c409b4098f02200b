"""What each agency's system is granted: the TOML file every edge reads, and its refusals."""

from __future__ import annotations

from pathlib import Path

import pytest

from shared.auth.agencies import AgencyPermissions
from shared.errors import InvalidInput

GRANTS = """
[agencies.national-courts]
commands = ["intake.register_person", "intake.record_court_decision"]
events = ["intake.person.*", "intake.court-decision.#"]

[agencies.probation-service]
broker_user = "probation"
commands = ["release.*"]
events = ["release.#"]
"""


@pytest.fixture
def grants(tmp_path: Path) -> AgencyPermissions:
    path = tmp_path / "agencies.toml"
    path.write_text(GRANTS)
    return AgencyPermissions.load(path)


def test_an_agency_may_send_the_commands_granted_and_no_other(grants: AgencyPermissions) -> None:
    assert grants.may_send("national-courts", "intake", "record_court_decision")
    assert not grants.may_send("national-courts", "intake", "admit")
    assert grants.may_send("probation-service", "release", "record_violation")
    assert not grants.may_send("probation-service", "intake", "register_person")


def test_an_agency_not_listed_or_unnamed_is_granted_nothing(grants: AgencyPermissions) -> None:
    for agency in ("agency-b", None, ""):
        assert not grants.may_send(agency, "intake", "register_person")
        assert not grants.may_read(agency, "intake.person.registered")
    assert not AgencyPermissions().may_send("national-courts", "intake", "register_person")


def test_events_are_granted_by_topic_patterns(grants: AgencyPermissions) -> None:
    assert grants.may_read("national-courts", "intake.person.registered")
    assert not grants.may_read("national-courts", "intake.person.admitted.late")  # `*` is one word
    assert grants.may_read("national-courts", "intake.court-decision.recorded")
    assert not grants.may_read("national-courts", "release.person.released")


def test_a_broker_user_names_its_agency(grants: AgencyPermissions) -> None:
    assert grants.agency_of_broker_user("probation") == "probation-service"
    assert grants.agency_of_broker_user("national-courts") == "national-courts"
    assert grants.agency_of_broker_user("probation-service") is None
    assert grants.agency_of_broker_user(None) is None
    assert [user for _, user, _ in grants.broker_users()] == ["national-courts", "probation"]


@pytest.mark.parametrize(
    ("text", "field", "problem"),
    [
        ("[agencies.a]\ncommands = ['intake admit']\n", "agencies.a.commands", "is not a topic pattern"),
        ("[agencies.a]\nsecret = 'x'\n", "agencies.a.secret", "Extra inputs are not permitted"),
        (
            "[agencies.a]\nbroker_user = 'x'\n[agencies.b]\nbroker_user = 'x'\n",
            "agencies",
            "have the same broker user",
        ),
        ("[agencies.a\n", "", "is not TOML"),
    ],
)
def test_a_bad_file_is_refused_naming_the_file_the_field_and_the_problem(
    tmp_path: Path, text: str, field: str, problem: str
) -> None:
    path = tmp_path / "agencies.toml"
    path.write_text(text)
    with pytest.raises(InvalidInput) as refused:
        AgencyPermissions.load(path)
    (found,) = refused.value.problems
    assert found.field == (f"{path}: {field}" if field else str(path))
    assert problem in found.problem


def test_a_missing_file_is_refused_and_no_setting_grants_nothing(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="cannot be read"):
        AgencyPermissions.from_environ({"PATHWAY_AGENCIES_FILE": str(tmp_path / "absent.toml")})
    assert AgencyPermissions.from_environ({}) == AgencyPermissions()
