"""Intake's queries: occupancy against capacity (on a day, and over a period), pre-trial detention past its
limits, and classification reviews overdue. Each answers from a read model folded from intake's events."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, Self

from pydantic import Field, model_validator

from services.intake.read_models.classification_reviews import ClassificationReviews
from services.intake.read_models.population import Population
from shared.errors import FieldProblem, InvalidInput
from shared.eventstore.application import PathwayApplication
from shared.registry.queries import Queries, Query, QueryParams, ReportDate, StepDays
from shared.registry.roles import AUDITOR, CLASSIFICATION_APPROVER, RECORDS_OFFICER

# Ten years of weekly figures: a longer series is a request to narrow, not to wait for.
MAX_TREND_POINTS = 520

Rows = list[dict[str, Any]]


class OnDay(QueryParams):
    on: ReportDate = Field(description="the day the figures are for (YYYY-MM-DD)")


class Period(QueryParams):
    """From a first day to a last, every so many days; a period that ends before it starts, or that has more than
    MAX_TREND_POINTS days to report, is refused naming the field to change."""

    start: ReportDate = Field(alias="from", description="the first day (YYYY-MM-DD)")
    end: ReportDate = Field(alias="to", description="the last day (YYYY-MM-DD)")
    every: StepDays = Field(default=7, description="days between figures")

    @model_validator(mode="after")
    def _has_days_to_report(self) -> Self:
        trend_days(self.start, self.end, self.every)
        return self


def trend_days(start: date, end: date, every_days: int) -> list[date]:
    """Every `every_days`-th day from `start`, and `end` itself (so the series always ends on the day asked)."""
    problems = []
    if end < start:
        problems.append(FieldProblem("to", "must be on or after from"))
    if every_days < 1:
        problems.append(FieldProblem("every", "must be a number of days, 1 or more"))
    if problems:
        raise InvalidInput(problems)
    points = (end - start).days // every_days + 1
    if points > MAX_TREND_POINTS:
        raise InvalidInput(
            [FieldProblem("every", f"gives {points} days, more than {MAX_TREND_POINTS}: take a longer step or period")]
        )
    days = [start + timedelta(days=n * every_days) for n in range(points)]
    return days if days[-1] == end else [*days, end]


def occupancy(params: OnDay, app: PathwayApplication) -> Rows:
    """Per facility on a date: capacity, occupancy, rate, pre-trial count, share and average days held pre-trial.

    Rebuilt from the events: a facility declared or seen in an admission, its capacity as declared on that day.
    """
    figures = app.read_models.answer(Population, lambda population: population.on(params.on))
    return [{**f.as_dict(), "average_pretrial_days": f.average_pretrial_days} for f in figures]


def occupancy_trend(params: Period, app: PathwayApplication) -> Rows:
    """Occupancy per facility on every `every`-th day from `from` to `to` (Mandela 10: the trend, not one day).

    Each row is a facility's figures on a day, `on` first; the last day asked is always reported.
    """
    days = trend_days(params.start, params.end, params.every)
    return app.read_models.answer(
        Population,
        lambda population: [
            {"on": day.isoformat(), **figures.as_dict()} for day in days for figures in population.on(day)
        ],
    )


def overcrowded(params: OnDay, app: PathwayApplication) -> Rows:
    """Facilities holding more people than their declared capacity on a date, most overcrowded first (Mandela 13:
    accommodation must meet the requirements of health; overcrowding is what the register is kept to find)."""
    figures = app.read_models.answer(Population, lambda population: population.on(params.on))
    over = [
        {
            "facility": f.facility,
            "capacity": f.capacity,
            "occupancy": f.occupancy,
            "over_capacity": f.occupancy - f.capacity,
        }
        for f in figures
        if f.capacity is not None and f.occupancy > f.capacity
    ]
    return sorted(over, key=lambda row: (-row["over_capacity"], row["facility"]))


def pretrial(params: OnDay, app: PathwayApplication) -> Rows:
    """People held pre-trial past their legal time limit or overdue for review on a date (Tokyo Rule 6)."""
    return app.read_models.answer(Population, lambda population: population.pretrial_alerts(params.on))


def classification_reviews(params: OnDay, app: PathwayApplication) -> Rows:
    """People in custody whose classification was due for review before a date (Mandela 93, 94)."""
    return app.read_models.answer(
        ClassificationReviews, lambda reviews: [row.as_dict() for row in reviews.overdue_on(params.on)]
    )


QUERIES = Queries(
    "intake",
    Query("occupancy", OnDay, occupancy, Rows, roles=frozenset({RECORDS_OFFICER, AUDITOR})),
    Query("occupancy-trend", Period, occupancy_trend, Rows, roles=frozenset({RECORDS_OFFICER, AUDITOR})),
    Query("overcrowded", OnDay, overcrowded, Rows, roles=frozenset({RECORDS_OFFICER, AUDITOR})),
    Query("pretrial", OnDay, pretrial, Rows, roles=frozenset({RECORDS_OFFICER, AUDITOR})),
    Query(
        "classification-reviews",
        OnDay,
        classification_reviews,
        Rows,
        roles=frozenset({RECORDS_OFFICER, CLASSIFICATION_APPROVER, AUDITOR}),
    ),
)
