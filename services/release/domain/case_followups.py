"""What follows a release or a measure: achievements learned from programmes, and follow-up outcomes."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from services.release.domain.case_state import CaseState
from services.release.domain.errors import NothingToFollowUpError, OutcomeConflictError
from shared.domain import Provenance, start_of_day


class FollowUps(CaseState):
    def record_achievement(
        self,
        programme_id: str,
        kind: str,
        completed_on: date,
        certificate_no: str,
        by: Provenance,
        occurred_at: datetime,
    ) -> None:
        self.record(
            self.AchievementRecorded,
            by,
            occurred_at,
            programme_id=programme_id,
            kind=kind,
            completed_on=completed_on,
            certificate_no=certificate_no,
        )

    def record_outcome(
        self,
        recorded_on: date,
        employment: str,
        housing: str,
        by: Provenance,
        new_conviction: bool | None = None,
        new_conviction_on: date | None = None,
        follow_up_months: int | None = None,
    ) -> None:
        if self.last_release is None and not self.followed_up:
            raise NothingToFollowUpError("outcome refused: the person has no release or measure to follow up")
        content: dict[str, Any] = {"employment": employment, "housing": housing}
        if new_conviction is not None or new_conviction_on is not None or follow_up_months is not None:
            content.update(new_conviction=new_conviction, new_conviction_on=new_conviction_on)
        if follow_up_months is not None:
            content["follow_up_months"] = follow_up_months
        known = self.outcomes.get(recorded_on.isoformat())
        if known is not None:
            if known != content:
                raise OutcomeConflictError("recorded_on: an outcome is already recorded for this date")
            return
        # The spine's event where the follow-up says nothing more, so its history is unchanged; each
        # later event only where the follow-up says what it adds.
        event_class = (
            self.OutcomeRecorded
            if len(content) == 2
            else self.OutcomeForFollowUpRecorded
            if follow_up_months is not None
            else self.OutcomeWithConvictionRecorded
        )
        self.record(event_class, by, start_of_day(recorded_on), recorded_on=recorded_on, **content)
