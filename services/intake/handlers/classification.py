"""Classification: an assessment proposed for a person in custody, then decided by a second person.

The person must exist (and be in custody for a proposal); their classification record is opened by the first
proposal; the aggregate's rules do the rest (services/intake/domain/classification.py).
"""

from __future__ import annotations

from datetime import datetime

from services.intake.domain.classification import AssessmentNotFoundError, Classification, Proposal
from services.intake.domain.person import Person
from services.intake.lookup import person_of
from shared.contracts.commands import DecideClassification, ProposeClassification
from shared.domain import start_of_day
from shared.eventstore.unit_of_work import UnitOfWork
from shared.registry.commands import Context, Result
from shared.registry.roles import CLASSIFICATION_APPROVER, RECORDS_OFFICER, allowed


@allowed(RECORDS_OFFICER)
def propose_classification(command: ProposeClassification, uow: UnitOfWork, ctx: Context) -> Result:
    person = person_of(uow, ctx.person_id)
    classification: Classification = uow.get_or_none(Classification.id_for(person.id)) or uow.add(
        Classification.open(person.id, ctx.by, start_of_day(command.assessed_on))
    )
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
    return {"person_id": person.id, "assessment_id": command.assessment_id}


@allowed(CLASSIFICATION_APPROVER)
def decide_classification(command: DecideClassification, uow: UnitOfWork, ctx: Context) -> Result:
    person = person_of(uow, ctx.person_id)
    classification: Classification = uow.get(
        Classification.id_for(person.id),
        missing=lambda: AssessmentNotFoundError("assessment_id: no such assessment for this person"),
    )
    classification.decide(
        command.assessment_id, command.decision, command.decided_on, command.reason, _custody_since(person), ctx.by
    )
    return {"person_id": person.id, "assessment_id": command.assessment_id, "decision": command.decision}


def _custody_since(person: Person) -> datetime | None:
    """The admission of the custody the person is in: assessments name their custody by it."""
    return person.custody["admitted_at"] if person.custody is not None else None
