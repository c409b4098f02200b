"""Intake's application and the one place it is built from settings (embedded runner, nameko service, tests)."""

from __future__ import annotations

from collections.abc import Mapping
from uuid import UUID

from services.intake.domain.classification import Classification
from services.intake.handlers import HANDLERS
from services.intake.queries import QUERIES
from services.intake.reactions import REACTIONS
from shared.eventstore.application import PathwayApplication


class Intake(PathwayApplication):
    """Register, record court decisions, admit, place and classify; follow release's releases and recalls."""

    service = "intake"
    handlers = HANDLERS
    reactions = REACTIONS
    queries = QUERIES

    def own_streams(self, person_id: UUID) -> list[UUID]:
        """The person's own stream and their classification record."""
        return [person_id, Classification.id_for(person_id)]


def build(env: Mapping[str, str]) -> Intake:
    return Intake(env=dict(env))
