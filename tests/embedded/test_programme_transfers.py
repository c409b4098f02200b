"""Transfers through `pathway import` lines: an enrolment suspended and resumed, its progress kept."""

from __future__ import annotations

from typing import Any

from pathway.embedded import EmbeddedSystem
from tests import examples as ex
from tests.embedded.helpers import is_subsequence, load, replay, types


def transfer(value: str, to: str, at: str, number: int) -> dict[str, Any]:
    data = {
        "national_id": ex.nid(value),
        "transfer_id": f"T-{value}-{number}",
        "to_facility": to,
        "transferred_at": f"{at}T10:00:00+00:00",
        "reason": "population management",
        "family_notified": True,
    }
    return ex.line("intake", "transfer", **data)


def figures(system: EmbeddedSystem) -> dict[str, Any]:
    rows = system.query("programmes", "programmes", {})
    return {row["programme_id"]: row for row in rows}


def held_and_enrolled(value: str) -> list[dict[str, Any]]:
    return [ex.register_person(value), ex.custodial_sentence(value), ex.admit(value), ex.enrol(value)]


def test_a_transfer_suspends_the_enrolment_and_frees_its_place_and_a_return_resumes_it(
    system: EmbeddedSystem,
) -> None:
    lines = [
        ex.publish_programme("P-WELD", capacity=2, facility="Test Prison"),
        ex.publish_programme("P-ANY", title="Literacy", kind="education"),  # no facility: runs wherever
        *held_and_enrolled("A1"),
        ex.enrol("A1", programme_id="P-ANY"),
        ex.attend("A1", "2025-02-08"),
        transfer("A1", "Other Prison", "2025-02-10", 1),
    ]
    assert load(system, lines).ok
    assert figures(system)["P-WELD"] == {
        "programme_id": "P-WELD",
        "capacity": 2,
        "enrolled": 0,  # a suspended enrolment holds no place
        "waiting": 0,
        "completed": 0,
        "dropped_out": 0,  # and has not ended
        "completion_rate": None,
    }
    assert figures(system)["P-ANY"]["enrolled"] == 1
    refused = load(system, [ex.attend("A1", "2025-02-15")])
    assert "suspended" in refused.errors[0]

    back = load(
        system,
        [transfer("A1", "Test Prison", "2025-02-20", 2), ex.attend("A1", "2025-02-22"), ex.complete_programme("A1")],
    )

    assert back.ok, back.errors  # the session attended before the transfer still counts
    entries = replay(system, "A1")
    wanted = ["programmes.enrolment.suspended", "programmes.enrolment.resumed", "programmes.programme.completed"]
    assert is_subsequence(wanted, types(entries))
    suspended = next(e["data"] for e in entries if e["type"] == "programmes.enrolment.suspended")
    assert (suspended["programme_id"], suspended["sessions_attended"]) == ("P-WELD", 1)


def test_the_place_a_transfer_frees_goes_to_the_first_waiting(system: EmbeddedSystem) -> None:
    lines = [
        ex.publish_programme("P-WELD", capacity=1, facility="Test Prison"),
        *held_and_enrolled("A1"),
        *[ex.register_person("B1"), ex.custodial_sentence("B1"), ex.admit("B1")],
        ex.refer("B1"),
        ex.change_referral_status("B1", "assessed_suitable"),
        ex.change_referral_status("B1", "awaiting_allocation"),
        transfer("A1", "Other Prison", "2025-02-10", 1),
        transfer("A1", "Test Prison", "2025-02-20", 2),  # no place free now: stays suspended
    ]
    assert load(system, lines).ok

    assert "programmes.place.allocated" in types(replay(system, "B1"))
    assert "programmes.enrolment.resumed" not in types(replay(system, "A1"))
    assert figures(system)["P-WELD"]["enrolled"] == 1


def test_a_release_offers_the_community_version_of_a_custody_programme(system: EmbeddedSystem) -> None:
    lines = [
        ex.publish_programme("P-COMM", title="Welding (community)", setting="community", sessions_required=1),
        ex.publish_programme("P-WELD", community_version="P-COMM"),
        *held_and_enrolled("A1"),
        ex.release("A1"),
    ]
    assert load(system, lines).ok

    entries = replay(system, "A1")
    wanted = ["programmes.enrolment.withdrawn", "programmes.referral.created"]
    assert is_subsequence(wanted, types(entries))
    offer = [e["data"] for e in entries if e["type"] == "programmes.referral.created"][-1]
    assert (offer["programme_id"], offer["status"], offer["reason_code"]) == (
        "P-COMM",
        "submitted",
        "community_version_offered",
    )
    taken_up = [
        ex.change_referral_status("A1", s, referral_id=offer["referral_id"], changed_on="2026-02-20")
        for s in ("assessed_suitable", "awaiting_allocation")
    ]
    assert load(system, taken_up).ok
    assert figures(system)["P-COMM"]["enrolled"] == 1  # under supervision, with a place free: allocated
