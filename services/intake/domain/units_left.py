"""The rule that spans a person and a unit: a unit's roll follows its people out.

A unit keeps who is placed in it, and a placement is checked against that roll (separation, non-associations).
So whenever a person stops being placed in a unit (moved to another unit, transferred, released, their
admission recorded in error, their legal status changing their separation category, a court decision doing the
same), the unit records that they left, in the same save as the change that moved them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from services.intake.domain.person import Person, Placement
from services.intake.domain.unit import Unit
from shared.domain import Provenance

# How the rule finds a unit: by aggregate id, None if it was never opened.
Loader = Callable[[UUID], Any]


def record_unit_left(load: Loader, person: Person, placement: Placement | None, by: Provenance) -> None:
    """The unit of `placement` (where the person was placed before the change) records that the person left, unless
    they are still placed in it."""
    if placement is None or _same_unit(person.placement, placement):
        return
    unit: Unit | None = load(Unit.id_for(placement["facility"], placement["unit"]))
    if unit is None:
        return
    reason = "moved" if person.placement else "placement ended"
    unit.leave(person.id, reason, by, datetime.now(UTC))


def _same_unit(now: Placement | None, before: Placement) -> bool:
    return now is not None and (now["facility"], now["unit"]) == (before["facility"], before["unit"])
