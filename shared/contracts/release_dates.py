"""What a release-date calculation publishes besides its dates: its inputs and any override.

Read leniently, like every published payload: a newer producer may add fields.
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict

from shared.contracts.base import PublishedActor
from shared.contracts.commands import AdjustmentKind


class Published(BaseModel):
    model_config = ConfigDict(frozen=True, hide_input_in_errors=True, extra="ignore")


class PublishedSentence(Published):
    """A custodial sentence the calculation counted; `consecutive_to` names the one it follows."""

    decision_id: str
    decided_on: date
    sentence_days: int
    consecutive_to: str | None = None


class PublishedAdjustment(Published):
    adjustment_id: str
    decision_id: str
    kind: AdjustmentKind
    days: int


class PublishedDates(Published):
    sentence_start: date
    sentence_end: date
    conditional_release_eligibility: date


class PublishedOverride(Published):
    """Dates set by hand: who set them and why, what they set (None: left as calculated), what the rules gave."""

    by: PublishedActor
    reason: str
    sentence_end: date | None = None
    conditional_release_eligibility: date | None = None
    calculated: PublishedDates | None = None
