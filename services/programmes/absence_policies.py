"""Programmes' reactions to a temporary absence (court, hospital, temporary release): custody enrolments are
suspended while the person is away and resume on the return (DOMAIN.md)."""

from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import UUID

from services.programmes.domain.learner import Learner
from services.programmes.domain.programme import Programme
from shared.contracts.envelope import Envelope
from shared.contracts.events import TemporaryAbsenceEnded, TemporaryAbsenceStarted
from shared.eventstore.application import Outcome, Policy

if TYPE_CHECKING:
    from services.programmes.application import Programmes

TEMPORARY_ABSENCE = "temporary_absence"


def absence_policies(app: Programmes) -> dict[str, Policy]:
    def on_intake_temporary_absence_started(envelope: Envelope, event: TemporaryAbsenceStarted) -> Outcome:
        """Running custody enrolments are suspended, the progress kept. As with a transfer, a suspended enrolment
        holds no place (the programmes report's rule): the place goes to the first eligible person waiting."""
        by, on = app.reaction_provenance(envelope), event.left_at.date()
        learner = app.learner(event.person_id)
        known: dict[UUID, Learner] = {learner.id: learner}  # one instance of each aggregate per save
        programmes: list[Programme] = []
        for programme_id in learner.running("custody"):
            if learner.suspend(programme_id, on, by, reason=TEMPORARY_ABSENCE):
                programme = app.programme(programme_id)
                programme.free_place(learner.id, by, envelope.occurred_at)
                app.fill_places(programme, on, by, known)
                programmes.append(programme)
        return Outcome(changed=[*known.values(), *programmes])

    def on_intake_temporary_absence_ended(envelope: Envelope, event: TemporaryAbsenceEnded) -> Outcome:
        """Back: what the absence suspended resumes where a place is free; otherwise it stays suspended, its
        progress kept (staff may end it, or revise the capacity)."""
        by, on = app.reaction_provenance(envelope), event.returned_at.date()
        learner = app.learner(event.person_id)
        programmes: list[Programme] = []
        for programme_id, enrolment in list(learner.enrolments.items()):
            if enrolment.get("suspended_for") != TEMPORARY_ABSENCE:
                continue
            programme = app.programme(programme_id)
            if programme.free_places() > 0:
                learner.resume(programme_id, on, by)
                programme.take_place(learner.id, by, envelope.occurred_at)
                programmes.append(programme)
        return Outcome(changed=[learner, *programmes])

    return {
        TemporaryAbsenceStarted.type: on_intake_temporary_absence_started,
        TemporaryAbsenceEnded.type: on_intake_temporary_absence_ended,
    }
