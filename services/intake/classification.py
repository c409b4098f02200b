"""Intake's classification commands and the overdue-review query, mixed into the Intake application.

Commands are get -> act -> save: the person (who must exist, and be in custody
for a proposal), their classification record (opened on the first proposal),
then the aggregate's rules.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any, cast
from uuid import UUID

from services.intake.classification_reviews import ClassificationReviews, OverdueReview
from services.intake.domain.classification import AssessmentNotFoundError, Classification, Proposal
from shared.contracts.commands import DecideClassification, ProposeClassification
from shared.domain import start_of_day
from shared.eventstore.application import Context, Outcome, PathwayApplication

if TYPE_CHECKING:
    from services.intake.domain.person import Person


class ClassificationDesk:
    """Mixed into Intake: `propose_classification`, `decide_classification`, `overdue_classification_reviews`."""

    if TYPE_CHECKING:

        def get_or_none(self, aggregate_id: UUID) -> Any: ...

        def person(self, person_id: UUID | None) -> Person: ...

    def propose_classification(self, command: ProposeClassification, ctx: Context) -> Outcome:
        person = self.person(ctx.person_id)
        classification: Classification | None = self.get_or_none(Classification.id_for(person.id))
        if classification is None:
            classification = Classification.open(person.id, ctx.by, start_of_day(command.assessed_on))
        proposal = Proposal(
            assessment_id=command.assessment_id,
            kind=command.kind,
            review_reason=command.review_reason,
            assessed_on=command.assessed_on,
            ratings=command.ratings.model_dump(),
            needs=list(command.needs),
            proposed_level=command.proposed_level,
            reasons=command.reasons,
            next_review_due=command.next_review_due,
        )
        classification.propose(proposal, _custody_since(person), ctx.by)
        result = {"person_id": person.id, "assessment_id": command.assessment_id}
        return Outcome(result, [classification] if classification.pending_events else [])

    def decide_classification(self, command: DecideClassification, ctx: Context) -> Outcome:
        person = self.person(ctx.person_id)
        classification: Classification | None = self.get_or_none(Classification.id_for(person.id))
        if classification is None:
            raise AssessmentNotFoundError("assessment_id: no such assessment for this person")
        classification.decide(
            command.assessment_id, command.decision, command.decided_on, command.reason, _custody_since(person), ctx.by
        )
        result = {"person_id": person.id, "assessment_id": command.assessment_id, "decision": command.decision}
        return Outcome(result, [classification] if classification.pending_events else [])

    def overdue_classification_reviews(self, on: date) -> list[OverdueReview]:
        """People in custody on `on` whose approved classification was due for review before `on`."""
        kept = cast(PathwayApplication, self).read_models
        return kept.answer(ClassificationReviews, lambda reviews: reviews.overdue_on(on))


def _custody_since(person: Person) -> datetime | None:
    return person.custody["admitted_at"] if person.custody is not None else None
