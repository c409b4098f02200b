"""How programmes reacts to intake's and release's public events, and the table of those reactions."""

from __future__ import annotations

from services.programmes.reactions.absence import on_intake_temporary_absence_ended, on_intake_temporary_absence_started
from services.programmes.reactions.classification import on_intake_classification_decided
from services.programmes.reactions.custody import (
    on_intake_admission_recorded_in_error,
    on_intake_person_admitted,
    on_intake_person_transferred,
    on_release_person_released,
)
from services.programmes.reactions.person import on_intake_person_registered, on_release_release_dates_calculated
from services.programmes.reactions.supervision import (
    on_release_recall_executed,
    on_release_supervision_completed,
    on_release_supervision_started,
)
from shared.people import IDENTITY_REACTIONS, RESTRICTION_REACTIONS
from shared.registry.reactions import Reactions

REACTIONS = Reactions(
    *IDENTITY_REACTIONS,
    *RESTRICTION_REACTIONS,
    on_intake_person_registered,
    on_intake_person_admitted,
    on_intake_person_transferred,
    on_intake_admission_recorded_in_error,
    on_intake_temporary_absence_started,
    on_intake_temporary_absence_ended,
    on_intake_classification_decided,
    on_release_person_released,
    on_release_recall_executed,
    on_release_release_dates_calculated,
    on_release_supervision_started,
    on_release_supervision_completed,
)
