"""Release's reports: supervision, resettlement, follow-ups and reoffending, each on a date, from its read models.

Each is served as /reports/NAME. The supervision and resettlement reports are for a given day; reoffending and
the follow-ups due are for today unless another day is given.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Protocol

from pydantic import Field

from services.release.domain.rules import ReleaseRules
from services.release.read_models.followups import FollowUpRegister
from services.release.read_models.reoffending import ReoffendingRegister
from services.release.read_models.resettlement import ResettlementRegister
from services.release.read_models.supervision import SupervisionRegister
from shared.eventstore.readmodel import KeptReadModels
from shared.registry.queries import Queries, Query, QueryParams, ReportDate, ReportDays
from shared.registry.roles import AUDITOR, PROBATION_OFFICER, RECORDS_OFFICER

DEFAULT_DAYS_AHEAD = 30
DEFAULT_WITHIN_DAYS = 30

Rows = list[dict[str, Any]]
# Window in months -> group -> {"people", "reoffended", "rate"}.
ReoffendingFigures = dict[str, dict[str, dict[str, Any]]]


class ReleaseReads(Protocol):
    """What a report reads of the release application (bootstrap.py): its kept read models and its settings."""

    read_models: KeptReadModels
    rules: ReleaseRules
    explain_within_days: int


class OnDay(QueryParams):
    on: ReportDate = Field(description="the day the figures are for (YYYY-MM-DD)")


class DueAhead(OnDay):
    days: ReportDays = Field(DEFAULT_DAYS_AHEAD, description="how many days ahead")


class OnDayOrToday(QueryParams):
    on: ReportDate = Field(default_factory=date.today, description="the day the figures are for (YYYY-MM-DD)")


class FollowUpsDue(OnDayOrToday):
    within: ReportDays = Field(DEFAULT_WITHIN_DAYS, description="also those due in the next DAYS days")


def unexplained_conditions(params: OnDay, app: ReleaseReads) -> Rows:
    """Supervisions current on a date whose conditions were not explained in time (Tokyo 12.3)."""
    within = app.explain_within_days
    return app.read_models.answer(SupervisionRegister, lambda r: r.unexplained_conditions(params.on, within))


def caseload(params: OnDay, app: ReleaseReads) -> Rows:
    """Per officer, the people whose current supervision they are assigned on a date."""
    return app.read_models.answer(SupervisionRegister, lambda r: r.caseload(params.on))


def compliance(params: OnDay, app: ReleaseReads) -> Rows:
    """Per person under supervision: contacts by outcome, compliance rate and violations up to a date."""
    return app.read_models.answer(SupervisionRegister, lambda r: r.compliance(params.on))


def releases_flagged(params: OnDay, app: ReleaseReads) -> Rows:
    """Releases up to a date that lacked an approved plan, accommodation or ID on their day."""
    return app.read_models.answer(ResettlementRegister, lambda r: r.releases_flagged(params.on))


def releases_due(params: DueAhead, app: ReleaseReads) -> Rows:
    """People whose release is due in the next days and who lack accommodation or ID."""
    return app.read_models.answer(ResettlementRegister, lambda r: r.releases_due(params.on, params.days))


def supervision_reviews(params: OnDay, app: ReleaseReads) -> Rows:
    """Supervisions current on a date whose level review is overdue."""
    first_review_days = app.rules.first_review_days
    return app.read_models.answer(SupervisionRegister, lambda r: r.supervision_reviews(params.on, first_review_days))


def reoffending(params: OnDayOrToday, app: ReleaseReads) -> ReoffendingFigures:
    """Reoffending within 12 and 24 months of windows ended by a date (read_models/reoffending.py)."""
    return app.read_models.answer(ReoffendingRegister, lambda r: r.report(params.on))


def followups_due(params: FollowUpsDue, app: ReleaseReads) -> Rows:
    """Follow-ups due by a date plus some days, and whether each was recorded (read_models/followups.py)."""
    rules = app.rules
    return app.read_models.answer(FollowUpRegister, lambda r: r.follow_ups(params.on, params.within, rules))


QUERIES = Queries(
    "release",
    Query("unexplained-conditions", OnDay, unexplained_conditions, Rows, roles=frozenset({PROBATION_OFFICER, AUDITOR})),
    Query("caseload", OnDay, caseload, Rows, roles=frozenset({PROBATION_OFFICER, AUDITOR})),
    Query("compliance", OnDay, compliance, Rows, roles=frozenset({PROBATION_OFFICER, AUDITOR})),
    Query(
        "releases-flagged",
        OnDay,
        releases_flagged,
        Rows,
        roles=frozenset({PROBATION_OFFICER, RECORDS_OFFICER, AUDITOR}),
    ),
    Query("releases-due", DueAhead, releases_due, Rows, roles=frozenset({PROBATION_OFFICER, RECORDS_OFFICER, AUDITOR})),
    Query("supervision-reviews", OnDay, supervision_reviews, Rows, roles=frozenset({PROBATION_OFFICER, AUDITOR})),
    Query("reoffending", OnDayOrToday, reoffending, ReoffendingFigures, roles=frozenset({PROBATION_OFFICER, AUDITOR})),
    Query("followups-due", FollowUpsDue, followups_due, Rows, roles=frozenset({PROBATION_OFFICER, AUDITOR})),
)
