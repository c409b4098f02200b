"""Separation keys: legal category, sex group and age group; a part missing is no reason to keep apart."""

from __future__ import annotations

from datetime import date

from services.intake.domain.separation import kept_apart, separation_key


def test_the_key_of_a_woman_and_a_child() -> None:
    assert separation_key("convicted", "female", date(1990, 5, 17), date(2025, 1, 1)) == "convicted;women;adults"
    assert separation_key("untried", "male", date(2008, 1, 2), date(2025, 1, 1)) == "untried;men;children"
    assert separation_key("untried", "male", date(2007, 1, 1), date(2025, 1, 1)) == "untried;men;adults"
    assert separation_key("civil", "unknown", date(1990, 1, 1), date(2025, 1, 1)) == "civil;;adults"


def test_who_is_kept_apart() -> None:
    assert kept_apart("convicted;women;adults", "convicted;men;adults") == ("women", "men")
    assert kept_apart("convicted;women;adults", "untried;women;adults") == ("convicted", "untried")
    assert kept_apart("convicted;;adults", "convicted;men;adults") is None  # sex not enforced
    assert kept_apart("convicted", "convicted;men;children") is None  # placed before the groups were kept
    assert kept_apart("convicted", "untried;men;adults") == ("convicted", "untried")
