"""A recall through `pathway import` lines: community enrolments suspended, their progress kept."""

from __future__ import annotations

from typing import Any

from pathway.embedded import EmbeddedSystem
from tests import examples as ex
from tests.embedded.helpers import load, replay, types
from tests.embedded.test_programme_learning_record import record_of


def released(value: str) -> list[dict[str, Any]]:
    """Sentenced, admitted, released conditionally on 2026-02-14: under supervision since."""
    return [ex.register_person(value), ex.custodial_sentence(value), ex.admit(value), ex.release(value)]


def lines() -> list[dict[str, Any]]:
    """One community place: A1 holds it and has attended a session; B1 waits for it."""
    return [
        ex.publish_programme("P-COMM", title="Carpentry", setting="community", capacity=1, sessions_required=2),
        ex.publish_programme("P-WELD"),
        *released("A1"),
        *released("B1"),
        ex.enrol("A1", programme_id="P-COMM", enrolled_on="2026-02-20"),
        ex.attend("A1", "2026-02-27", programme_id="P-COMM"),
        ex.refer("B1", programme_id="P-COMM", referred_on="2026-02-21"),
        *[
            ex.change_referral_status("B1", s, programme_id="P-COMM", changed_on="2026-02-21")
            for s in ("assessed_suitable", "awaiting_allocation")
        ],
    ]


def test_a_recall_suspends_community_enrolments_and_offers_the_place_to_the_first_waiting(
    system: EmbeddedSystem,
) -> None:
    report = load(system, [*lines(), *ex.recall_loop("A1")])

    assert report.ok, report.errors
    suspended = [e["data"] for e in replay(system, "A1") if e["type"] == "programmes.enrolment.suspended"]
    assert [(s["programme_id"], s["reason"], s["suspended_on"], s["sessions_attended"]) for s in suspended] == [
        ("P-COMM", "recalled", "2026-03-10", 1)
    ]
    assert "programmes.place.allocated" in types(replay(system, "B1"))
    (participation,) = record_of(system, "A1")["participations"]
    assert (participation["status"], participation["sessions_attended"]) == ("suspended", 1)  # progress kept
    refused = load(system, [ex.attend("A1", "2026-03-12", programme_id="P-COMM")])
    assert "suspended" in refused.errors[0]


def test_a_recall_leaves_alone_a_person_with_no_community_enrolment(system: EmbeddedSystem) -> None:
    report = load(system, [*released("A1"), *ex.recall_loop("A1")])

    assert report.ok, report.errors
    assert "programmes.enrolment.suspended" not in types(replay(system, "A1"))


def test_a_redelivered_recall_suspends_nothing_twice(system: EmbeddedSystem) -> None:
    assert load(system, [*lines(), *ex.recall_loop("A1")]).ok
    again = load(system, [ex.execute_recall("A1")])  # the same recall again: skipped

    assert again.ok, again.errors
    assert types(replay(system, "A1")).count("programmes.enrolment.suspended") == 1


def test_supervision_starting_again_resumes_the_suspended_enrolment_where_a_place_is_free(
    system: EmbeddedSystem,
) -> None:
    lines_without_b1_waiting = lines()[:-3]
    assert load(system, [*lines_without_b1_waiting, *ex.recall_loop("A1")]).ok

    again = load(system, [ex.release("A1", released_on="2026-06-01")])  # conditional: supervision again
    assert again.ok, again.errors

    entries = replay(system, "A1")
    (resumed,) = [e["data"] for e in entries if e["type"] == "programmes.enrolment.resumed"]
    assert (resumed["programme_id"], resumed["sessions_attended"]) == ("P-COMM", 1)
