"""Sensitive parts withheld from roles not entitled to them, the answer keeping its shape."""

from __future__ import annotations

from typing import Any

from shared.registry.roles import AUDITOR, NEEDS, PROGRAMME_OFFICER, RISK
from shared.registry.sensitive import visible_to

SENSITIVE = {"needs": NEEDS, "risk": RISK, "plans.goals.note": NEEDS}


def answer() -> dict[str, Any]:
    return {
        "person_id": "p",
        "needs": ["literacy"],
        "risk": "high",
        "plans": [{"goals": [{"programme_id": "P1", "note": "N1"}, {"programme_id": "P2", "note": None}]}],
    }


def test_an_open_gate_withholds_nothing() -> None:
    seen = visible_to(None, answer(), SENSITIVE)
    assert seen.answer == answer()
    assert (seen.given, seen.withheld) == (frozenset({NEEDS, RISK}), ())


def test_a_role_not_entitled_sees_none_and_the_paths_withheld() -> None:
    seen = visible_to(frozenset({AUDITOR}), answer(), SENSITIVE)
    assert seen.answer == {
        "person_id": "p",
        "needs": None,
        "risk": None,
        "plans": [{"goals": [{"programme_id": "P1", "note": None}, {"programme_id": "P2", "note": None}]}],
        "withheld": ["needs", "plans.goals.note", "risk"],
    }
    assert seen.given == frozenset()


def test_an_entitled_role_is_given_its_categories_and_only_those_present_are_said_given() -> None:
    value = answer()
    value["risk"] = None
    seen = visible_to(frozenset({PROGRAMME_OFFICER}), value, SENSITIVE)
    assert seen.answer["needs"] == ["literacy"]
    assert seen.given == frozenset({NEEDS})
    assert "withheld" not in seen.answer
