"""What the courts decided about the person, and the legal status (and separation category) that follows."""

from __future__ import annotations

from datetime import date
from typing import Any

from services.intake.domain.errors import (
    DecisionConflictError,
    LegalStatusMissingError,
    PretrialReviewError,
    ReviewConflictError,
)
from services.intake.domain.person_state import PersonState
from services.intake.domain.sentences import check_consecutive_to, is_new_adjustment
from services.intake.domain.separation import STATUS_OF_DECISION, category_of
from shared.domain import Provenance, start_of_day


class LegalStatus(PersonState):
    def record_court_decision(self, decision: dict[str, Any], by: Provenance) -> None:
        """Record a decision; the same decision again changes nothing, a different one is refused."""
        known = self.decisions.get(decision["decision_id"])
        if known is not None:
            if _given(known) != _given(decision):
                raise DecisionConflictError("decision_id: already recorded with different content")
            return
        check_consecutive_to(self.decisions, decision)
        when = start_of_day(decision["decided_on"])
        self.record(self.CourtDecisionRecorded, by, when, decision=decision)
        status = STATUS_OF_DECISION.get(decision["kind"])
        if status is not None:
            self.change_legal_status(status, decision["decided_on"], f"court decision {decision['decision_id']}", by)

    def record_sentence_adjustment(self, adjustment: dict[str, Any], by: Provenance) -> None:
        """Record an adjustment to a custodial sentence; the same again changes nothing, a different one is refused."""
        if is_new_adjustment(self.decisions, self.adjustments, adjustment):
            self.record(self.SentenceAdjustmentRecorded, by, start_of_day(adjustment["recorded_on"]), **adjustment)

    def change_legal_status(self, status: str, effective_on: date, reason: str, by: Provenance) -> None:
        """A new legal status; one that changes the separation category ends the current placement."""
        if status == self.legal_status:
            return
        when = start_of_day(effective_on)
        self.record(self.LegalStatusChanged, by, when, status=status, effective_on=effective_on, reason=reason)
        if self.placement is not None and self.placement["category"] != category_of(status):
            placement = self.placement
            self.record(self.PlacementEnded, by, when, facility=placement["facility"], unit=placement["unit"],
                        reason="legal_status_changed")  # fmt: skip

    def separation_category(self) -> str:
        if self.legal_status is None:
            raise LegalStatusMissingError("placement refused: the person has no legal status recorded")
        return category_of(self.legal_status)

    # --- pre-trial detention as a last resort (Tokyo Rule 6) ---------------

    def review_pretrial_detention(
        self,
        review_id: str,
        decision_id: str,
        reviewed_on: date,
        outcome: str,
        next_review_on: date | None,
        reason: str | None,
        by: Provenance,
    ) -> None:
        this = {"decision_id": decision_id, "reviewed_on": reviewed_on, "outcome": outcome,
                "next_review_on": next_review_on, "reason": reason}  # fmt: skip
        known = self.reviews.get(review_id)
        if known is not None:
            if _given(known) != _given(this):
                raise ReviewConflictError("review_id: already recorded with different content")
            return
        decision = self.decisions.get(decision_id)
        if decision is None or decision["kind"] != "pretrial_detention":
            raise PretrialReviewError("review refused: decision_id is not a pre-trial detention of this person")
        if reviewed_on < decision["decided_on"]:
            raise PretrialReviewError("review refused: reviewed_on is before the detention was decided")
        self.record(self.PretrialDetentionReviewed, by, start_of_day(reviewed_on), review_id=review_id, **this)


def _given(record: dict[str, Any]) -> dict[str, Any]:
    """A record without its unset fields: optional fields added later must not make an old record differ."""
    return {key: value for key, value in record.items() if value is not None}
