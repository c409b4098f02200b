"""Temporary absences: the person leaves the facility for a while (court, hospital, temporary release) and
stays on its roll, so occupancy still counts them; programmes suspend their custody enrolments meanwhile."""

from __future__ import annotations

from datetime import date, datetime

from services.intake.domain.errors import AbsenceConflictError, AbsenceError, AbsenceNotFoundError
from services.intake.domain.person_placement import Placement
from shared.domain import Provenance


class Absence(Placement):
    def leave(
        self, absence_id: str, kind: str, left_at: datetime, expected_back_on: date | None, by: Provenance
    ) -> bool:
        """Record a departure; False if this very absence is already recorded."""
        this = {"kind": kind, "left_at": left_at, "expected_back_on": expected_back_on}
        known = self.absences.get(absence_id)
        if known is not None:
            if {name: known[name] for name in this} != this:
                raise AbsenceConflictError("absence_id: already recorded with different content")
            return False
        custody = self.check_in_custody("temporary absence")
        if self.absent is not None:
            raise AbsenceError("temporary absence refused: the person is already away; record the return first")
        self.record(self.TemporaryAbsenceStarted, by, left_at, absence_id=absence_id, facility=custody["facility"],
                    **this)  # fmt: skip
        return True

    def come_back(self, absence_id: str, returned_at: datetime, by: Provenance) -> bool:
        """Record the return; False if this very return is already recorded."""
        absence = self.absences.get(absence_id)
        if absence is None:
            raise AbsenceNotFoundError("absence_id: no such temporary absence of this person")
        if absence["returned_at"] is not None:
            if absence["returned_at"] != returned_at:
                raise AbsenceConflictError("returned_at: the return is already recorded at another time")
            return False
        if self.absent != absence_id:
            raise AbsenceError("return refused: the person is no longer in custody here")
        if returned_at < absence["left_at"]:
            raise AbsenceError("returned_at: before the person left")
        self.record(self.TemporaryAbsenceEnded, by, returned_at, absence_id=absence_id, facility=absence["facility"],
                    returned_at=returned_at)  # fmt: skip
        return True
