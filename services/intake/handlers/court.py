"""What the courts decide about a person, and the legal status that follows: decisions, sentence adjustments,
reviews of pre-trial detention, changes of legal status."""

from __future__ import annotations

from services.intake.domain.errors import DecisionConflictError
from services.intake.domain.units_left import record_unit_left
from services.intake.lookup import person_of
from shared.contracts.commands import (
    ChangeLegalStatus,
    RecordCourtDecision,
    RecordSentenceAdjustment,
    ReviewPretrialDetention,
)
from shared.eventstore.unit_of_work import UnitOfWork
from shared.identifiers import KnownIdentifier
from shared.registry.commands import Context, Result
from shared.registry.roles import AGENCY_CLIENT, RECORDS_OFFICER, allowed

DECISION_FIELDS = {
    "decision_id",
    "decided_on",
    "court",
    "kind",
    "offence",
    "sentence_days",
    "measure",
    "measure_days",
    "time_limit_days",
    "review_interval_days",
    "consecutive_to",
}


@allowed(RECORDS_OFFICER, AGENCY_CLIENT)
def record_court_decision(command: RecordCourtDecision, uow: UnitOfWork, ctx: Context) -> Result:
    """A decision id names one decision about one person: a lookup record keeps it from being used for another."""
    person = person_of(uow, ctx.person_id)
    decision = command.model_dump(include=DECISION_FIELDS)
    placement = person.placement
    key = uow.get_or_none(KnownIdentifier.id_for("court_decision", "court", command.decision_id))
    if key is not None and key.person_id != person.id:
        raise DecisionConflictError("decision_id: already recorded for another person")
    person.record_court_decision(decision, ctx.by)
    if key is None and person.pending_events:
        recorded_at = person.pending_events[-1].occurred_at  # type: ignore[attr-defined]
        uow.add(KnownIdentifier.learn("court_decision", "court", command.decision_id, person.id, ctx.by, recorded_at))
    record_unit_left(uow.get_or_none, person, placement, ctx.by)
    return {"person_id": person.id, "decision_id": command.decision_id}


@allowed(RECORDS_OFFICER, AGENCY_CLIENT)
def record_sentence_adjustment(command: RecordSentenceAdjustment, uow: UnitOfWork, ctx: Context) -> Result:
    person = person_of(uow, ctx.person_id)
    adjustment = command.model_dump(include={"adjustment_id", "decision_id", "kind", "days", "recorded_on"})
    person.record_sentence_adjustment(adjustment, ctx.by)
    return {"person_id": person.id, "adjustment_id": command.adjustment_id}


@allowed(RECORDS_OFFICER, AGENCY_CLIENT)
def review_pretrial_detention(command: ReviewPretrialDetention, uow: UnitOfWork, ctx: Context) -> Result:
    person = person_of(uow, ctx.person_id)
    person.review_pretrial_detention(
        command.review_id, command.decision_id, command.reviewed_on, command.outcome,
        command.next_review_on, command.reason, ctx.by,
    )  # fmt: skip
    return {"person_id": person.id, "review_id": command.review_id}


@allowed(RECORDS_OFFICER, AGENCY_CLIENT)
def change_legal_status(command: ChangeLegalStatus, uow: UnitOfWork, ctx: Context) -> Result:
    person = person_of(uow, ctx.person_id)
    placement = person.placement
    person.change_legal_status(command.status, command.effective_on, command.reason, ctx.by)
    record_unit_left(uow.get_or_none, person, placement, ctx.by)
    return {"person_id": person.id}
