"""Intake's reactions to other services' public events, and the table of them."""

from __future__ import annotations

from services.intake.reactions.release import (
    on_release_person_released,
    on_release_recall_executed,
    on_release_recorded_in_error,
)
from shared.registry.reactions import Reactions

REACTIONS = Reactions(on_release_person_released, on_release_recorded_in_error, on_release_recall_executed)
