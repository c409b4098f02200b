"""When an import line waits for reactions: per person, except where places are shared."""

from __future__ import annotations

from pathway.dependencies import Dependencies
from services.programmes.handlers import HANDLERS as PROGRAMMES_HANDLERS

UPSTREAMS = {
    "intake": {"release", "intake", "programmes"},
    "programmes": {"intake", "release"},
    "release": {"intake", "programmes"},
}
P1 = {"national_id": {"issuer": "N", "value": "1"}}
P2 = {"national_id": {"issuer": "N", "value": "2"}}


def registered(deps: Dependencies, data: dict, person_id: str) -> None:
    deps.wrote("intake", data)
    deps.learned(data, {"person_id": person_id})


def test_a_line_waits_for_its_own_persons_reactions() -> None:
    deps = Dependencies(UPSTREAMS)
    registered(deps, P1, "p1")

    assert deps.must_wait("programmes", "record_attendance", P1)


def test_a_line_does_not_wait_for_another_persons_reactions() -> None:
    deps = Dependencies(UPSTREAMS)
    registered(deps, P1, "p1")
    registered(deps, P2, "p2")
    deps.settled()
    deps.wrote("release", P1)

    assert not deps.must_wait("release", "record_outcome", P2)
    assert deps.must_wait("release", "record_outcome", P1) is False  # release does not consume its own events
    assert deps.must_wait("intake", "admit", P1)


def test_an_enrolment_waits_for_anyones_release() -> None:
    deps = Dependencies(UPSTREAMS, PROGRAMMES_HANDLERS.across_people())
    registered(deps, P1, "p1")
    registered(deps, P2, "p2")
    deps.settled()
    deps.wrote("release", P1)

    assert deps.must_wait("programmes", "enrol", P2)


def test_a_line_about_no_one_person_waits_for_any_upstream_write_and_is_waited_for_by_all() -> None:
    deps = Dependencies(UPSTREAMS)
    registered(deps, P1, "p1")

    assert deps.must_wait("programmes", "publish_programme", {"programme_id": "P-WELD"})
    deps.settled()
    deps.wrote("intake", {"programme_id": "P-WELD"})
    assert deps.must_wait("programmes", "record_attendance", P2)


def test_a_line_naming_two_records_joins_them() -> None:
    deps = Dependencies(UPSTREAMS)
    survivor, merged = "5d1f3a8e-2c47-5b9e-8f60-1a2b3c4d5e6f", "0a1b2c3d-4e5f-5a6b-8c7d-9e0f1a2b3c4d"
    deps.wrote("intake", {"person_id": survivor, "merged_person_id": merged})

    assert deps.must_wait("programmes", "record_attendance", {"person_id": merged})
    assert deps.person_key({"person_id": merged}) == survivor


def test_a_line_by_person_id_matches_a_registration_by_national_id() -> None:
    deps = Dependencies(UPSTREAMS)
    registered(deps, P1, "5d1f3a8e-2c47-5b9e-8f60-1a2b3c4d5e6f")

    assert deps.must_wait("release", "release", {"person_id": "5D1F3A8E-2C47-5B9E-8F60-1A2B3C4D5E6F"})


def test_programmes_declares_the_commands_that_hand_out_places() -> None:
    assert PROGRAMMES_HANDLERS.across_people() == {
        "enrol",
        "change_referral_status",
        "complete_programme",
        "end_participation",
    }


def test_nothing_waits_after_settling() -> None:
    deps = Dependencies(UPSTREAMS)
    registered(deps, P1, "p1")
    deps.settled()

    assert not deps.must_wait("programmes", "enrol", P1)
