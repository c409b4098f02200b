"""Who may share a unit: the separation categories of Mandela Rules 11 and 112.

Untried people are kept apart from convicted ones, and people held under civil
law (including immigration detention) apart from those held for crimes. The
category follows the legal status.
"""

from __future__ import annotations

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


def category_of(status: str) -> str:
    return CATEGORY_OF_STATUS[status]


def describe(category: str) -> str:
    return {"untried": "untried people", "convicted": "convicted people", "civil": "people held under civil law"}[
        category
    ]
