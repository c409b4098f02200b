"""Custody within and between facilities: transfers, and placement in a unit."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any
from uuid import UUID

from services.intake.domain.errors import (
    NonAssociationConflictError,
    NotInCustodyError,
    SeparationError,
    TransferConflictError,
)
from services.intake.domain.person_custody import Custody
from services.intake.domain.separation import separation_key
from shared.domain import Provenance, start_of_day


class Placement(Custody):
    def check_in_custody(self, action: str, facility: str | None = None) -> dict[str, Any]:
        if self.custody is None:
            raise NotInCustodyError(f"{action} refused: the person is not in custody")
        if facility is not None and self.custody["facility"] != facility:
            raise NotInCustodyError(f"{action} refused: the person is not in custody at {facility}")
        return self.custody

    def transfer(
        self,
        transfer_id: str,
        to_facility: str,
        transferred_at: datetime,
        reason: str,
        family_notified: bool,
        by: Provenance,
    ) -> None:
        """Move to another facility (Mandela Rule 68: whether the family was notified is recorded)."""
        this = {"to_facility": to_facility, "transferred_at": transferred_at, "reason": reason,
                "family_notified": family_notified}  # fmt: skip
        known = self.transfers.get(transfer_id)
        if known is not None:
            if known != this:
                raise TransferConflictError("transfer_id: already recorded with different content")
            return
        custody = self.check_in_custody("transfer")
        if custody["facility"] == to_facility:
            raise NotInCustodyError(f"transfer refused: the person is already held at {to_facility}")
        self.record(self.Transferred, by, transferred_at, transfer_id=transfer_id,
                    from_facility=custody["facility"], **this)  # fmt: skip

    def record_non_association(self, other: UUID, reason: str, recorded_on: date, by: Provenance) -> bool:
        """Record someone this person must not share a unit with; False if already recorded so."""
        this = {"reason": reason, "recorded_on": recorded_on}
        known = self.non_associations.get(str(other))
        if known is not None:
            if known != this:
                raise NonAssociationConflictError("other_person_id: a non-association is already recorded otherwise")
            return False
        self.record(self.NonAssociationRecorded, by, start_of_day(recorded_on), other_person_id=other, **this)
        return True

    def check_non_associations(self, facility: str, unit: str, occupants: Iterable[str]) -> None:
        """Refused where the unit holds someone this person must not be held with; the other is not named."""
        if set(self.non_associations) & set(occupants):
            raise SeparationError(
                f"placement refused: unit {unit} of {facility} holds someone this person must not be held with "
                "(a non-association)"
            )

    def separation_key(self, on: date) -> str:
        """Legal category, sex group and age group on `on`: who may share a unit with this person."""
        return separation_key(self.separation_category(), self.sex, self.date_of_birth, on)

    def place(self, facility: str, unit: str, placed_on: date, by: Provenance) -> bool:
        """Record a placement (the unit checks separation); False if the person is already there."""
        self.check_in_custody("placement", facility)
        category = self.separation_category()
        if self.placement == {"facility": facility, "unit": unit, "category": category}:
            return False
        self.record(self.Placed, by, start_of_day(placed_on), facility=facility, unit=unit, placed_on=placed_on,
                    category=category)  # fmt: skip
        return True
