"""`pathway broker setup`'s plan, read from the settings the processes read: who each user is, what it may do, and
a clear refusal when a setting or a password is missing. (Applied to the real broker by every integration cluster.)
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pathway.broker_permissions import from_topic_pattern, service_permissions
from pathway.broker_setup import BrokerSetupError, plan_from
from shared.messaging.publishers import Publishers
from shared.messaging.topology import topic_matches

SERVICES = ("intake", "programmes", "release")
words = st.sampled_from(["intake", "person", "registered", "*", "#"])
keys = st.lists(st.sampled_from(["intake", "person", "registered", "x"]), min_size=1, max_size=5).map(".".join)


@given(pattern=st.lists(words, min_size=1, max_size=5).map(".".join), key=keys)
def test_a_grants_topic_pattern_becomes_a_regex_matching_the_same_routing_keys(pattern: str, key: str) -> None:
    assert bool(re.fullmatch(from_topic_pattern(pattern), key)) == topic_matches(pattern, key)


def test_a_service_user_may_publish_only_its_own_events_and_watermarks() -> None:
    topics = {topic.exchange: topic for topic in service_permissions("intake", "pathway-intake").topics}

    assert re.fullmatch(topics["pathway.events"].write, "intake.person.registered")
    assert not re.fullmatch(topics["pathway.events"].write, "release.release-dates.calculated")
    assert re.fullmatch(topics["pathway.watermarks"].write, "intake")
    assert not re.fullmatch(topics["pathway.watermarks"].write, "release")
    assert not re.fullmatch(topics["pathway.commands"].write, "intake.register_person")


def environ(tmp_path: Path, **extra: str) -> dict[str, str]:
    agencies = tmp_path / "agencies.toml"
    agencies.write_text('[agencies.courts]\nbroker_user = "courts-system"\ncommands = ["intake.register_person"]\n')
    env = {
        "AMQP_URI": "amqp://admin:secret@broker:5672/pathway",
        "PATHWAY_AGENCIES_FILE": str(agencies),
        **{f"{s.upper()}_AMQP_URI": f"amqp://pathway-{s}:pw-{s}@broker:5672/pathway" for s in SERVICES},
    }
    return {**env, **extra}


def test_the_plan_has_each_service_and_agency_user_with_its_password(tmp_path: Path) -> None:
    passwords = tmp_path / "passwords.toml"
    passwords.write_text('"courts-system" = "pw-courts"\n')

    plan = plan_from(environ(tmp_path, PATHWAY_BROKER_PASSWORDS_FILE=str(passwords)), SERVICES)

    assert plan.vhost == "pathway"
    assert plan.operator.user == "admin"
    assert {a.permissions.user: a.password for a in plan.accounts} == {
        "pathway-intake": "pw-intake",
        "pathway-programmes": "pw-programmes",
        "pathway-release": "pw-release",
        "courts-system": "pw-courts",
    }


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"INTAKE_AMQP_URI": ""}, "intake: set INTAKE_AMQP_URI"),
        ({"INTAKE_AMQP_URI": "amqp://guest:guest@broker:5672/pathway"}, "connects as 'guest', but its relay user"),
        ({"PATHWAY_PUBLISHERS": "intake=intake-relay"}, "its relay user is 'intake-relay'"),
        ({"RELEASE_AMQP_URI": "amqp://pathway-release:pw@broker:5672/other"}, "names vhost 'other'"),
        ({}, "set PATHWAY_BROKER_PASSWORDS_FILE"),
    ],
)
def test_a_missing_or_inconsistent_setting_stops_the_setup_naming_it(
    tmp_path: Path, change: dict[str, str], problem: str
) -> None:
    with pytest.raises(BrokerSetupError, match=re.escape(problem)):
        plan_from(environ(tmp_path, **change), SERVICES)


def test_publishers_are_named_by_service_with_a_default_for_the_others() -> None:
    publishers = Publishers.from_environ({"PATHWAY_PUBLISHERS": "intake=relay-i, release=relay-r"})

    assert [publishers.relay_user(s) for s in SERVICES] == ["relay-i", "pathway-programmes", "relay-r"]
    assert publishers.is_relay_of("intake", "relay-i")
    assert not publishers.is_relay_of("intake", None)
    with pytest.raises(ValueError, match="same user"):
        Publishers.from_environ({"PATHWAY_PUBLISHERS": "intake=one,release=one"})
