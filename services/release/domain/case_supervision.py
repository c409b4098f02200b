"""A person's supervision: started by a court's measure or a release on licence, completed at its end."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from services.release.domain.case_state import CaseState
from services.release.domain.errors import NoSupervisionError
from shared.dates import days_after
from shared.domain import Provenance, start_of_day

PRETRIAL_SUPERVISION = "pretrial_supervision"
PAROLE_LICENCE = "parole_licence"


class Supervision(CaseState):
    def start_supervision(
        self,
        supervision_type: str,
        started_on: date,
        days: int,
        decision_id: str | None,
        by: Provenance,
        occurred_at: datetime,
    ) -> None:
        self.start_supervision_until(
            supervision_type, started_on, days_after(started_on, days), decision_id, by, occurred_at
        )

    def start_supervision_until(
        self,
        supervision_type: str,
        started_on: date,
        ends_on: date,
        decision_id: str | None,
        by: Provenance,
        occurred_at: datetime,
    ) -> None:
        self.record(
            self.SupervisionStarted,
            by,
            occurred_at,
            supervision_type=supervision_type,
            started_on=started_on,
            ends_on=ends_on,
            decision_id=decision_id,
        )

    def supervision_on(self, day: date) -> dict[str, Any] | None:
        """The supervision a record dated `day` belongs to: the current one, or an earlier one whose term held
        that day (a record entered late, or a command repeated after the supervision ended)."""
        current = self.supervision
        if current is not None and current["started_on"] <= day:
            return current
        started = [term for term in self.supervisions if term["started_on"] <= day]
        held = [term for term in started if day <= term.get("completed_on", term["ends_on"])]
        return held[-1] if held else current

    def complete_supervision(self, completed_on: date, by: Provenance) -> None:
        if completed_on in self.supervisions_completed_on:
            return  # this completion is already recorded
        if self.supervision is None:
            raise NoSupervisionError("completion refused: the person is not under supervision")
        self.record(self.SupervisionCompleted, by, start_of_day(completed_on), completed_on=completed_on)
