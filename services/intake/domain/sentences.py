"""Custodial sentences and their adjustments, as intake checks them before recording.

Intake records what the court and the records office decided; the release service calculates
the dates from it. Intake's part is to refuse what cannot be right: a sentence consecutive to
one that is not a custodial sentence of the same person, or an adjustment to such a decision.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from services.intake.domain.errors import AdjustmentConflictError, CustodialSentenceMissingError

CUSTODIAL_SENTENCE = "custodial_sentence"


def check_consecutive_to(decisions: dict[str, dict[str, Any]], decision: dict[str, Any]) -> None:
    """A consecutive sentence follows a custodial sentence of the same person recorded before it."""
    follows = decision.get("consecutive_to")
    if follows is None:
        return
    if not is_custodial_sentence(decisions, follows):
        raise CustodialSentenceMissingError(
            "consecutive_to: no custodial sentence with this decision_id is recorded for this person"
        )


def is_new_adjustment(
    decisions: dict[str, dict[str, Any]], adjustments: Mapping[str, Mapping[str, Any]], adjustment: dict[str, Any]
) -> bool:
    """True for an adjustment to record; False for one already recorded; refused if it cannot be right."""
    known = adjustments.get(adjustment["adjustment_id"])
    if known is not None:
        if known != adjustment:
            raise AdjustmentConflictError("adjustment_id: already recorded with different content")
        return False
    if not is_custodial_sentence(decisions, adjustment["decision_id"]):
        raise CustodialSentenceMissingError(
            "adjustment refused: decision_id is not a custodial sentence recorded for this person"
        )
    return True


def is_custodial_sentence(decisions: dict[str, dict[str, Any]], decision_id: str) -> bool:
    decision = decisions.get(decision_id)
    return decision is not None and decision["kind"] == CUSTODIAL_SENTENCE
