"""A person becoming eligible (admitted, under supervision) is offered a free place they wait for."""

from __future__ import annotations

from typing import Any

from pathway.embedded import EmbeddedSystem
from tests import examples as ex
from tests.embedded.helpers import load, replay, types
from tests.embedded.test_programme_places import waiting, waiting_for_a_place


def sentenced(value: str, sentence_days: int = 600) -> list[dict[str, Any]]:
    """Sentenced but not yet admitted: not eligible for a custody place."""
    return [ex.register_person(value), ex.custodial_sentence(value, sentence_days=sentence_days)]


def test_an_admission_offers_the_free_place_to_the_first_in_line(system: EmbeddedSystem) -> None:
    lines = [
        ex.publish_programme("P-WELD", capacity=1),
        *sentenced("A1"),
        *waiting_for_a_place("A1", "2025-01-20"),
    ]
    assert load(system, lines).ok
    assert waiting(system) == ["R-A1-P-WELD"]  # a place is free, but A1 is not in custody

    assert load(system, [ex.admit("A1")]).ok

    assert waiting(system) == []
    wanted = ["programmes.place.allocated", "programmes.enrolment.started"]
    assert all(kind in types(replay(system, "A1")) for kind in wanted)


def test_an_admission_leaves_the_place_taken_when_someone_else_already_holds_it(system: EmbeddedSystem) -> None:
    lines = [
        ex.publish_programme("P-WELD", capacity=1),
        *sentenced("A1", 200),  # less time left: first in line, but not yet admitted
        *sentenced("B1", 900),
        ex.admit("B1"),
        *waiting_for_a_place("A1", "2025-01-20"),
        *waiting_for_a_place("B1", "2025-01-21"),  # the first eligible: the place is B1's
        ex.admit("A1"),
    ]
    assert load(system, lines).ok

    assert waiting(system) == ["R-A1-P-WELD"]
    assert "programmes.place.allocated" not in types(replay(system, "A1"))


def test_supervision_starting_offers_a_free_community_place(system: EmbeddedSystem) -> None:
    lines = [
        ex.publish_programme("P-COMM", title="Carpentry", setting="community", capacity=1, sessions_required=1),
        *sentenced("A1"),
        ex.admit("A1"),
        ex.refer("A1", programme_id="P-COMM", referred_on="2026-02-01"),
        *[
            ex.change_referral_status("A1", s, programme_id="P-COMM", changed_on="2026-02-01")
            for s in ("assessed_suitable", "awaiting_allocation")
        ],
        ex.release("A1"),  # conditional: supervision starts
    ]
    loaded = load(system, lines)
    assert loaded.ok, loaded.errors

    entries = replay(system, "A1")
    (allocated,) = [e["data"] for e in entries if e["type"] == "programmes.place.allocated"]
    assert (allocated["programme_id"], allocated["allocated_on"]) == ("P-COMM", "2026-02-14")
