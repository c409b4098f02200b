"""Mandela Rule 11 beyond legal status: men and women, and children and adults, do not share a unit."""

from __future__ import annotations

from pathway.embedded import EmbeddedSystem
from tests import examples as ex
from tests.embedded.helpers import load
from tests.embedded.test_custody_rules import place


def sentenced(value: str, **registration: str) -> list[dict]:
    admission = ex.admit(value, facility="N", admitted_at="2025-01-11T09:00:00+00:00")
    return [ex.register_person(value, **registration), ex.custodial_sentence(value), admission]


def test_a_man_is_not_placed_with_women(system: EmbeddedSystem) -> None:
    lines = [*sentenced("W1"), *sentenced("M1", sex="male"), place("W1", "A"), place("M1", "A"), place("M1", "B")]
    report = load(system, lines)

    assert (report.applied, report.failed) == (len(lines) - 1, 1)
    assert "unit A of N holds women, who are kept apart from men (Mandela Rules 11, 112)" in report.errors[0]


def test_a_child_is_not_placed_with_adults_and_is_an_adult_from_their_eighteenth_birthday(
    system: EmbeddedSystem,
) -> None:
    child = sentenced("K1", date_of_birth="2007-03-01")  # 17 on 12 January 2025
    report = load(system, [*sentenced("W1"), *child, place("W1", "A"), place("K1", "A")])
    assert "holds adults, who are kept apart from children" in report.errors[0]

    assert load(system, [place("K1", "C")]).ok
    later = load(system, [ex.line("intake", "place", national_id=ex.nid("K1"), facility="N", unit="A",
                                  placed_on="2025-03-01")])  # fmt: skip
    assert later.ok, later.errors  # eighteen that day


def test_a_sex_registered_other_or_unknown_is_placed_as_staff_decide(system: EmbeddedSystem) -> None:
    lines = [*sentenced("W1"), *sentenced("O1", sex="other"), *sentenced("M1", sex="male")]
    report = load(system, [*lines, place("W1", "A"), place("O1", "A"), place("M1", "B"), place("O1", "B")])

    assert report.ok, report.errors
