"""Release's application: release, supervision, outcomes; dates and supervision from court decisions."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

from services.release.compliance_commands import ComplianceCommands
from services.release.domain.case import ReleaseCase
from services.release.domain.compliance import Compliance
from services.release.domain.errors import PersonNotFoundError
from services.release.domain.resettlement import Resettlement
from services.release.domain.rules import ReleaseRules
from services.release.domain.supervision import SupervisionFile
from services.release.followup_register import DEFAULT_WITHIN_DAYS, FollowUpRegister
from services.release.policies import release_policies
from services.release.reoffending_register import ReoffendingRegister
from services.release.resettlement_commands import ResettlementCommands
from services.release.resettlement_register import ResettlementRegister
from services.release.supervision_commands import SupervisionCommands
from services.release.supervision_register import (
    DEFAULT_DAYS_AHEAD,
    DEFAULT_EXPLAIN_WITHIN_DAYS,
    SupervisionRegister,
)
from shared.contracts.commands import (
    COMMANDS,
    CompleteSupervision,
    OverrideReleaseDates,
    RecordOutcome,
    RecordReleaseInError,
    ReleasePerson,
)
from shared.errors import FieldProblem, InvalidInput
from shared.eventstore.application import Context, Outcome, PathwayApplication, Policy


class Release(ComplianceCommands, SupervisionCommands, ResettlementCommands, PathwayApplication):
    service = "release"
    commands = COMMANDS["release"]
    reaction_outputs = {
        "intake.identifier.added": frozenset(),
        "intake.persons.merged": frozenset(),
        "intake.persons.unmerged": frozenset(),
        "intake.person.registered": frozenset(),
        "intake.court-decision.recorded": frozenset(
            {"release.release-dates.calculated", "release.supervision.started"}
        ),
        # Custody learned after a sentence may change the remand it credits.
        "intake.person.admitted": frozenset({"release.release-dates.calculated"}),
        "intake.admission.recorded-in-error": frozenset({"release.release-dates.calculated"}),
        "intake.sentence-adjustment.recorded": frozenset({"release.release-dates.calculated"}),
        "programmes.programme.completed": frozenset({"release.achievement.recorded"}),
    }

    def __init__(
        self,
        env: Mapping[str, str] | None = None,
        rules: ReleaseRules | None = None,
        explain_within_days: int = DEFAULT_EXPLAIN_WITHIN_DAYS,
    ) -> None:
        super().__init__(env=dict(env or {}))
        self.rules = rules or ReleaseRules()
        self.explain_within_days = explain_within_days
        self.first_review_days = self.rules.first_review_days  # the jurisdiction's, from its rules file

    def own_streams(self, person_id: UUID) -> list[UUID]:
        """The person's release case, compliance record, supervision file and resettlement record."""
        records = (Compliance, SupervisionFile, Resettlement)
        return [person_id, *(record.id_for(person_id) for record in records)]

    def release(self, command: ReleasePerson, ctx: Context) -> Outcome:
        case = self.case(ctx.person_id)
        case.release(command.released_on, command.release_type, ctx.by)
        return Outcome({"person_id": case.id}, [case])

    def record_release_in_error(self, command: RecordReleaseInError, ctx: Context) -> Outcome:
        case = self.case(ctx.person_id)
        case.record_release_in_error(command.released_on, command.reason, ctx.by, datetime.now(UTC))
        return Outcome({"person_id": case.id}, [case])

    def complete_supervision(self, command: CompleteSupervision, ctx: Context) -> Outcome:
        case = self.case(ctx.person_id)
        case.complete_supervision(command.completed_on, ctx.by)
        return Outcome({"person_id": case.id}, [case])

    def record_outcome(self, command: RecordOutcome, ctx: Context) -> Outcome:
        points = self.rules.follow_up_months
        if command.follow_up_months is not None and command.follow_up_months not in points:
            known = ", ".join(str(months) for months in points)
            raise InvalidInput([FieldProblem("follow_up_months", f"not a follow-up point here (months: {known})")])
        case = self.case(ctx.person_id)
        case.record_outcome(
            command.recorded_on,
            command.employment,
            command.housing,
            ctx.by,
            command.new_conviction,
            command.new_conviction_on,
            command.follow_up_months,
        )
        return Outcome({"person_id": case.id}, [case])

    def override_release_dates(self, command: OverrideReleaseDates, ctx: Context) -> Outcome:
        case = self.case(ctx.person_id)
        case.override_release_dates(
            command.sentence_end,
            command.conditional_release_eligibility,
            command.reason,
            ctx.by,
            datetime.now(UTC),
        )
        return Outcome({"person_id": case.id, "calculation": len(case.calculations)}, [case])

    # --- queries ---------------------------------------------------------

    def case(self, person_id: UUID | None) -> ReleaseCase:
        case: ReleaseCase | None = self.get_or_none(person_id) if person_id else None
        if case is None:
            raise PersonNotFoundError("person_id: unknown person")
        return case

    def release_dates(self, person_id: UUID) -> dict[str, Any] | None:
        dates = self.case(person_id).dates
        return {k: v.isoformat() for k, v in dates.items()} if dates else None

    def release_date_history(self, person_id: UUID) -> list[dict[str, Any]]:
        """Every calculation of the person's release dates, oldest first, as plain data."""
        return [_plain(calculation) for calculation in self.case(person_id).calculations]

    def unexplained_conditions(self, on: date) -> list[dict[str, Any]]:
        """Supervisions current on a date whose conditions were not explained in time (Tokyo 12.3)."""
        within = self.explain_within_days
        return self.read_models.answer(SupervisionRegister, lambda r: r.unexplained_conditions(on, within))

    def supervision_reviews(self, on: date) -> list[dict[str, Any]]:
        """Supervisions current on a date whose level review is overdue."""
        return self.read_models.answer(SupervisionRegister, lambda r: r.supervision_reviews(on, self.first_review_days))

    def caseload(self, on: date) -> list[dict[str, Any]]:
        return self.read_models.answer(SupervisionRegister, lambda r: r.caseload(on))

    def compliance_report(self, on: date) -> list[dict[str, Any]]:
        return self.read_models.answer(SupervisionRegister, lambda r: r.compliance(on))

    def releases_flagged(self, on: date) -> list[dict[str, Any]]:
        """Releases up to a date that lacked an approved plan, accommodation or ID on their day."""
        return self.read_models.answer(ResettlementRegister, lambda r: r.releases_flagged(on))

    def releases_due(self, on: date, days: int = DEFAULT_DAYS_AHEAD) -> list[dict[str, Any]]:
        """People whose release is due in the next `days` days and who lack accommodation or ID."""
        return self.read_models.answer(ResettlementRegister, lambda r: r.releases_due(on, days))

    def followups_due(self, on: date, within: int = DEFAULT_WITHIN_DAYS) -> list[dict[str, Any]]:
        """Follow-ups due by a date plus `within` days, and whether each was recorded (followup_register.py)."""
        return self.read_models.answer(FollowUpRegister, lambda r: r.follow_ups(on, within, self.rules))

    def reoffending(self, on: date) -> dict[str, dict[str, dict[str, Any]]]:
        """Reoffending within 12 and 24 months of windows ended by a date (services/release/reoffending_register.py)."""
        return self.read_models.answer(ReoffendingRegister, lambda r: r.report(on))

    def policies(self) -> Mapping[str, Policy]:
        return release_policies(self)


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value.isoformat() if hasattr(value, "isoformat") else value
