"""Classification events as public contracts: levels, dates and decisions only.

What the stored events keep under `sensitive` and `restricted` is withheld; the
payload names the withheld fields (as the command names them): `sensitive_fields`
all of them, `restricted_fields` those of the higher grade (the extremism rating).
A consumer and the replay see that intake holds more, without seeing it.
"""

from __future__ import annotations

from typing import Any

from services.intake.domain.classification import Classification
from shared.contracts import events as public
from shared.messaging.translation import Translation, public_from


def withheld(part: dict[str, Any], prefix: str = "") -> list[str]:
    """The names of the fields a sensitive or restricted part holds a value for, as dotted paths."""
    names: list[str] = []
    for name, value in part.items():
        if isinstance(value, dict):
            names += withheld(value, f"{prefix}{name}.")
        elif value not in (None, "", []) and name != "level_from_ratings":  # derived from the ratings
            names.append(f"{prefix}{name}")
    return sorted(names)


def translate_classification(event: Any) -> Translation | None:
    """The public contract of a classification event, or None for bookkeeping and other events."""
    if isinstance(event, Classification.Proposed):
        proposed = public_from(
            public.ClassificationProposed,
            event,
            sensitive_fields=sorted(withheld(event.sensitive) + withheld(event.restricted)),
            restricted_fields=withheld(event.restricted),
        )
        return Translation(proposed, event.person_id)
    if isinstance(event, Classification.Decided):
        decided = public_from(public.ClassificationDecided, event, sensitive_fields=withheld(event.sensitive))
        return Translation(decided, event.person_id)
    return None
