"""Release's compliance commands: violations, hearings, alternatives, responses, recalls (get -> act -> save)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any
from uuid import UUID

from services.release.domain.compliance import Compliance
from shared.contracts.compliance import (
    DecideRecall,
    DecideResponse,
    ExecuteRecall,
    RecordAlternativesConsidered,
    RecordHearing,
    RecordViolation,
)
from shared.domain import Provenance
from shared.domain import start_of_day as _day
from shared.eventstore.application import Context, Outcome

if TYPE_CHECKING:
    from services.release.domain.case import ReleaseCase


class ComplianceCommands:
    """Mixed into the Release application: each command acts on the person's compliance record."""

    if TYPE_CHECKING:

        def case(self, person_id: UUID | None) -> ReleaseCase: ...

        def get_or_none(self, aggregate_id: UUID) -> Any: ...

        def end_current_supervision(
            self, case: ReleaseCase, ctx: Context, ended_on: date, reason: str
        ) -> list[Any]: ...

    def compliance(self, person_id: UUID, by: Provenance, occurred_at: Any) -> Compliance:
        """The person's compliance record, opened on first use (the person must be known)."""
        self.case(person_id)
        compliance: Compliance | None = self.get_or_none(Compliance.id_for(person_id))
        return compliance or Compliance.open(person_id, by, occurred_at)

    def _person(self, ctx: Context) -> UUID:
        return self.case(ctx.person_id).id

    def record_violation(self, command: RecordViolation, ctx: Context) -> Outcome:
        case = self.case(ctx.person_id)
        compliance = self.compliance(case.id, ctx.by, _day(command.occurred_on))
        supervised = case.supervision is not None
        compliance.record_violation(
            command.violation_id, command.kind, command.condition, command.occurred_on, supervised, ctx.by
        )
        return Outcome({"person_id": case.id, "violation_id": command.violation_id}, [compliance])

    def record_hearing(self, command: RecordHearing, ctx: Context) -> Outcome:
        compliance = self.compliance(self._person(ctx), ctx.by, _day(command.heard_on))
        compliance.record_hearing(command.violation_id, command.heard_on, command.heard_by, ctx.by)
        return Outcome({"person_id": compliance.person_id, "violation_id": command.violation_id}, [compliance])

    def record_alternatives_considered(self, command: RecordAlternativesConsidered, ctx: Context) -> Outcome:
        compliance = self.compliance(self._person(ctx), ctx.by, _day(command.considered_on))
        compliance.record_alternatives(
            command.violation_id, command.considered_on, list(command.alternatives), command.reason, ctx.by
        )
        return Outcome({"person_id": compliance.person_id, "violation_id": command.violation_id}, [compliance])

    def decide_response(self, command: DecideResponse, ctx: Context) -> Outcome:
        compliance = self.compliance(self._person(ctx), ctx.by, _day(command.decided_on))
        compliance.decide_response(
            command.violation_id, command.response, command.decided_on, command.decided_by, ctx.by
        )
        return Outcome({"person_id": compliance.person_id, "violation_id": command.violation_id}, [compliance])

    def decide_recall(self, command: DecideRecall, ctx: Context) -> Outcome:
        compliance = self.compliance(self._person(ctx), ctx.by, _day(command.decided_on))
        compliance.decide_recall(
            command.recall_id, command.violation_id, command.decided_on, command.issuing_authority, ctx.by
        )
        return Outcome({"person_id": compliance.person_id, "recall_id": command.recall_id}, [compliance])

    def execute_recall(self, command: ExecuteRecall, ctx: Context) -> Outcome:
        case = self.case(ctx.person_id)
        compliance = self.compliance(case.id, ctx.by, command.executed_at)
        compliance.execute_recall(command.recall_id, command.facility, command.executed_at, case.in_custody, ctx.by)
        changed: list[Any] = [compliance]
        if compliance.pending_events and case.supervision is not None:
            # The revocation ends the supervision the person was recalled from, on the day of the recall.
            changed += self.end_current_supervision(case, ctx, command.executed_at.date(), "revocation")
        return Outcome({"person_id": case.id, "recall_id": command.recall_id}, changed)
