"""Who may share a unit: the separation of Mandela Rules 11 and 112.

Men and women are held apart, children (under 18) apart from adults, untried people apart from
convicted ones, and people held under civil law (including immigration detention) apart from those
held for crimes. The legal category follows the legal status; the sex group follows the sex
registered (`other` and `unknown` are placed as staff decide, with the person's self-perceived
gender in the admission record: not enforced here); the age group follows the date of birth on the
day of placement.

A unit keeps each occupant's separation key, the three parts joined by ';'. A part missing from
either key (an occupant placed before the sex and age groups were kept, or a sex not enforced) is no
reason to keep two people apart.
"""

from __future__ import annotations

from datetime import date
from itertools import zip_longest

CATEGORY_OF_STATUS = {
    "remand": "untried",
    "convicted_unsentenced": "convicted",
    "sentenced": "convicted",
    "recall": "convicted",
    "civil": "civil",
    "immigration": "civil",
}

# The legal status a court decision that commits someone gives them.
STATUS_OF_DECISION = {"pretrial_detention": "remand", "custodial_sentence": "sentenced"}

SEX_GROUP = {"female": "women", "male": "men"}
ADULT_AGE = 18
DESCRIPTIONS = {
    "untried": "untried people",
    "convicted": "convicted people",
    "civil": "people held under civil law",
    "women": "women",
    "men": "men",
    "children": "children",
    "adults": "adults",
}


def category_of(status: str) -> str:
    return CATEGORY_OF_STATUS[status]


def describe(part: str) -> str:
    return DESCRIPTIONS[part]


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def separation_key(category: str, sex: str, born: date, on: date) -> str:
    """Legal category, sex group and age group on `on`, as a unit keeps them."""
    age_group = "children" if age_on(born, on) < ADULT_AGE else "adults"
    return ";".join((category, SEX_GROUP.get(sex, ""), age_group))


def kept_apart(placed: str, arriving: str) -> tuple[str, str] | None:
    """The first part on which someone placed (`placed`) and someone arriving differ: (theirs, mine)."""
    for theirs, mine in zip_longest(placed.split(";"), arriving.split(";"), fillvalue=""):
        if theirs and mine and theirs != mine:
            return theirs, mine
    return None
