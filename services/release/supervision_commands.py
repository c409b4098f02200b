"""Release's supervision commands (get -> act -> save): each acts on the person's current supervision."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any
from uuid import UUID

from services.release.domain.errors import NoSupervisionError
from services.release.domain.supervision import SupervisionFile
from shared.contracts.supervision import (
    AssignOfficer,
    CompleteRequirement,
    EndSupervision,
    ExplainConditions,
    ImposeRequirement,
    ModifyMeasure,
    RecordConsent,
    RecordContact,
    RecordUnpaidWork,
    ReviewSupervisionLevel,
    SetConditions,
)
from shared.domain import start_of_day
from shared.eventstore.application import Context, Outcome

if TYPE_CHECKING:
    from services.release.domain.case import ReleaseCase


class SupervisionCommands:
    """Mixed into the Release application."""

    if TYPE_CHECKING:

        def case(self, person_id: UUID | None) -> ReleaseCase: ...

        def get_or_none(self, aggregate_id: UUID) -> Any: ...

    def supervision_file(self, ctx: Context, day: date) -> tuple[SupervisionFile, dict[str, Any]]:
        """The person's supervision file (opened on first use) and the supervision in force on `day`."""
        case = self.case(ctx.person_id)
        supervision = case.supervision_on(day)
        if supervision is None:
            raise NoSupervisionError("refused: the person is not under supervision")
        file: SupervisionFile | None = self.get_or_none(SupervisionFile.id_for(case.id))
        return file or SupervisionFile.open(case.id, ctx.by, start_of_day(day)), supervision

    def assign_officer(self, command: AssignOfficer, ctx: Context) -> Outcome:
        file, current = self.supervision_file(ctx, command.assigned_on)
        file.assign_officer(current["started_on"], command.officer_id, command.assigned_on, ctx.by)
        return Outcome({"person_id": file.person_id}, [file])

    def set_conditions(self, command: SetConditions, ctx: Context) -> Outcome:
        file, current = self.supervision_file(ctx, command.set_on)
        file.set_conditions(current["started_on"], list(command.conditions), command.set_on, ctx.by)
        return Outcome({"person_id": file.person_id}, [file])

    def impose_requirement(self, command: ImposeRequirement, ctx: Context) -> Outcome:
        file, current = self.supervision_file(ctx, command.imposed_on)
        file.impose_requirement(
            current["started_on"], command.requirement_id, command.kind, command.hours, command.imposed_on, ctx.by
        )
        return Outcome({"person_id": file.person_id, "requirement_id": command.requirement_id}, [file])

    def record_unpaid_work(self, command: RecordUnpaidWork, ctx: Context) -> Outcome:
        file, _ = self.supervision_file(ctx, command.worked_on)
        file.record_unpaid_work(command.requirement_id, command.worked_on, command.hours, ctx.by)
        worked = sum(file.requirements[command.requirement_id]["worked"].values())
        return Outcome({"person_id": file.person_id, "hours_worked": worked}, [file])

    def explain_conditions(self, command: ExplainConditions, ctx: Context) -> Outcome:
        file, current = self.supervision_file(ctx, command.explained_on)
        file.explain_conditions(
            current["started_on"],
            command.explained_on,
            command.orally,
            command.in_writing,
            command.explained_by,
            ctx.by,
        )
        return Outcome({"person_id": file.person_id}, [file])

    def record_consent(self, command: RecordConsent, ctx: Context) -> Outcome:
        file, current = self.supervision_file(ctx, command.consented_on)
        file.record_consent(current["started_on"], current["type"], command.consented_on, ctx.by)
        return Outcome({"person_id": file.person_id}, [file])

    def record_contact(self, command: RecordContact, ctx: Context) -> Outcome:
        file, current = self.supervision_file(ctx, command.contact_on)
        file.record_contact(
            current["started_on"],
            command.contact_id,
            command.kind,
            command.contact_on,
            command.outcome,
            command.reason,
            ctx.by,
        )
        return Outcome({"person_id": file.person_id, "contact_id": command.contact_id}, [file])

    def modify_measure(self, command: ModifyMeasure, ctx: Context) -> Outcome:
        file, current = self.supervision_file(ctx, command.modified_on)
        file.modify_measure(
            current["started_on"],
            current["ends_on"],
            command.modification_id,
            command.kind,
            command.modified_on,
            command.decided_by,
            command.new_ends_on,
            ctx.by,
        )
        ends_on = file.term(current["started_on"])["ends_on"]
        return Outcome({"person_id": file.person_id, "ends_on": ends_on.isoformat() if ends_on else None}, [file])

    def review_supervision_level(self, command: ReviewSupervisionLevel, ctx: Context) -> Outcome:
        file, current = self.supervision_file(ctx, command.reviewed_on)
        file.review_level(
            current["started_on"],
            command.review_id,
            command.reviewed_on,
            command.level,
            command.next_review_on,
            command.reviewed_by,
            ctx.by,
        )
        return Outcome({"person_id": file.person_id, "review_id": command.review_id}, [file])

    def complete_requirement(self, command: CompleteRequirement, ctx: Context) -> Outcome:
        file, _ = self.supervision_file(ctx, command.completed_on)
        file.complete_requirement(command.requirement_id, command.completed_on, ctx.by)
        return Outcome({"person_id": file.person_id, "requirement_id": command.requirement_id}, [file])

    def end_supervision(self, command: EndSupervision, ctx: Context) -> Outcome:
        """Records the spine's completion with the reason beside it, so every consumer sees the end as before."""
        case = self.case(ctx.person_id)
        known: SupervisionFile | None = self.get_or_none(SupervisionFile.id_for(case.id))
        if known is not None and known.ended(command.ended_on, command.reason):
            return Outcome({"person_id": case.id})  # already recorded
        return Outcome(
            {"person_id": case.id}, self.end_current_supervision(case, ctx, command.ended_on, command.reason)
        )

    def end_current_supervision(self, case: ReleaseCase, ctx: Context, ended_on: date, reason: str) -> list[Any]:
        """The spine's completion of the current supervision, with the reason in the supervision file."""
        file, current = self.supervision_file(ctx, ended_on)
        case.complete_supervision(ended_on, ctx.by)
        file.end(current["started_on"], ended_on, reason, ctx.by)
        return [case, file]
