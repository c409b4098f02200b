"""Release's reactions to intake's and programmes' public events, with what each may publish."""

from __future__ import annotations

from services.release.reactions.intake import (
    on_intake_admission_recorded_in_error,
    on_intake_court_decision_recorded,
    on_intake_person_admitted,
    on_intake_person_registered,
    on_intake_sentence_adjustment_recorded,
)
from services.release.reactions.programmes import on_programmes_programme_completed
from shared.people import IDENTITY_REACTIONS, RESTRICTION_REACTIONS
from shared.registry.reactions import Reactions

REACTIONS = Reactions(
    *IDENTITY_REACTIONS,
    *RESTRICTION_REACTIONS,
    on_intake_person_registered,
    on_intake_court_decision_recorded,
    on_intake_sentence_adjustment_recorded,
    on_intake_person_admitted,
    on_intake_admission_recorded_in_error,
    on_programmes_programme_completed,
)
