"""Plausible values only: every date and number a command or report accepts is bounded (shared/contracts/bounds.py),
each bound is refused by the field's name and the bound, never the value, and the edges themselves are accepted."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

import shared.contracts.bounds as bounds
from shared.contracts.base import Command, validate
from shared.contracts.bounds import (
    EARLIEST_DATE,
    MAX_AGE_YEARS,
    MAX_CAPACITY,
    MAX_HOURS,
    MAX_QUANTITY,
    MAX_SESSIONS,
    MAX_TERM_DAYS,
    MAX_TERM_MONTHS,
    bounds_table,
    latest_date,
)
from shared.contracts.commands import COMMANDS
from shared.errors import InvalidInput
from shared.query_params import report_date, report_days
from tests import examples as ex

LATEST = latest_date()
TODAY = date.today()


def command(example: dict[str, Any]) -> tuple[type[Command], dict[str, Any]]:
    return COMMANDS[example["service"]][example["command"]], example["data"]


def problems(example: dict[str, Any]) -> dict[str, str]:
    model, data = command(example)
    try:
        validate(model, data)
    except InvalidInput as error:
        return {p.field: p.problem for p in error.problems}
    return {}


def day(value: date) -> str:
    return value.isoformat()


# (example with the edge value, the same one step past it, the field refused, words the problem must say)
EDGES = [
    (ex.custodial_sentence(decided_on=day(EARLIEST_DATE)), ex.custodial_sentence(decided_on="1899-12-31"),
     "decided_on", "1900-01-01"),
    (ex.custodial_sentence(decided_on=day(LATEST)), ex.custodial_sentence(decided_on=day(LATEST + timedelta(1))),
     "decided_on", "100 years after today"),
    (ex.custodial_sentence(sentence_days=MAX_TERM_DAYS), ex.custodial_sentence(sentence_days=MAX_TERM_DAYS + 1),
     "sentence_days", f"at most {MAX_TERM_DAYS} days"),
    (ex.non_custodial_measure(measure_days=MAX_TERM_DAYS), ex.non_custodial_measure(measure_days=10**12),
     "measure_days", f"at most {MAX_TERM_DAYS} days"),
    (ex.sentence_adjustment(days=MAX_TERM_DAYS), ex.sentence_adjustment(days=MAX_TERM_DAYS + 1),
     "days", f"at most {MAX_TERM_DAYS} days"),
    (ex.register_person(date_of_birth=day(TODAY)), ex.register_person(date_of_birth=day(TODAY + timedelta(1))),
     "date_of_birth", "not be after today"),
    (ex.register_person(date_of_birth=day(EARLIEST_DATE)), ex.register_person(date_of_birth="1899-12-31"),
     "date_of_birth", "1900-01-01"),
    (ex.admit(admitted_at=f"{day(LATEST)}T23:59:59-05:00"), ex.admit(admitted_at="9999-12-31T23:00:00-05:00"),
     "admitted_at", "100 years after today"),
    (ex.release(released_on=day(LATEST)), ex.release(released_on="9999-12-31"), "released_on", "after today"),
    (ex.record_outcome(follow_up_months=MAX_TERM_MONTHS), ex.record_outcome(follow_up_months=MAX_TERM_MONTHS + 1),
     "follow_up_months", f"at most {MAX_TERM_MONTHS} months"),
    (ex.publish_programme(capacity=MAX_CAPACITY), ex.publish_programme(capacity=MAX_CAPACITY + 1),
     "capacity", f"at most {MAX_CAPACITY} places"),
    (ex.publish_programme(sessions_required=MAX_SESSIONS), ex.publish_programme(sessions_required=MAX_SESSIONS + 1),
     "sessions_required", f"at most {MAX_SESSIONS} sessions"),
    (ex.impose_requirement(hours=MAX_HOURS), ex.impose_requirement(hours=MAX_HOURS + 1),
     "hours", f"at most {MAX_HOURS} hours"),
    (ex.admit(children=[{"name": "C", "age": MAX_AGE_YEARS, "whereabouts": "home", "cared_for_by": "aunt"}]),
     ex.admit(children=[{"name": "C", "age": MAX_AGE_YEARS + 1, "whereabouts": "home", "cared_for_by": "aunt"}]),
     "children.0.age", f"at most {MAX_AGE_YEARS} years"),
    (ex.admit(property=[{"item": "watch", "quantity": MAX_QUANTITY}]),
     ex.admit(property=[{"item": "watch", "quantity": MAX_QUANTITY + 1}]),
     "property.0.quantity", f"at most {MAX_QUANTITY} items"),
]  # fmt: skip


@pytest.mark.parametrize(("edge", "past", "field", "words"), EDGES, ids=[edge[2] for edge in EDGES])
def test_the_edge_is_accepted_and_one_step_past_it_refused_by_name(
    edge: dict[str, Any], past: dict[str, Any], field: str, words: str
) -> None:
    assert problems(edge) == {}
    refused = problems(past)
    assert list(refused) == [field]
    assert words in refused[field]


def test_a_refusal_never_echoes_the_value() -> None:
    refused = problems(ex.custodial_sentence(sentence_days=987654321987))

    assert "987654321987" not in str(refused)


def test_the_latest_date_is_a_hundred_years_ahead_even_from_a_leap_day() -> None:
    assert latest_date(date(2028, 2, 29)) == date(2128, 2, 29)
    assert latest_date(date(2024, 2, 29)) == date(2124, 2, 29)
    assert latest_date(date(2025, 3, 1)) == date(2125, 3, 1)


def schema_leaves(schema: Any, path: str = "") -> list[tuple[str, dict[str, Any]]]:
    """Every sub-schema of a JSON schema with its path, $defs included."""
    found = []
    if isinstance(schema, dict):
        found.append((path, schema))
        for key, value in schema.items():
            found += schema_leaves(value, f"{path}.{key}")
    elif isinstance(schema, list):
        for index, value in enumerate(schema):
            found += schema_leaves(value, f"{path}[{index}]")
    return found


@pytest.mark.parametrize(
    "model", [model for commands in COMMANDS.values() for model in commands.values()], ids=lambda model: model.command
)
def test_every_date_and_number_of_every_command_is_bounded(model: type[Command]) -> None:
    unbounded = [
        path
        for path, leaf in schema_leaves(model.model_json_schema())
        if (leaf.get("format") in ("date", "date-time") and str(EARLIEST_DATE) not in leaf.get("description", ""))
        or (leaf.get("type") in ("integer", "number") and "maximum" not in leaf)
    ]

    assert not unbounded, f"{model.command}: unbounded {unbounded}"


def test_the_documented_table_is_the_constants() -> None:
    assert bounds.__doc__ is not None
    assert bounds_table() in bounds.__doc__, "the table in shared/contracts/bounds.py's docstring is out of date"
    assert f"| {MAX_TERM_DAYS} |" in bounds_table()


# --- report parameters ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("9999-12-31", "100 years after today"),
        ("1899-12-31", "on or after 1900-01-01"),
        ("tomorrow", "must be a date (YYYY-MM-DD)"),
        ("", "must be a date (YYYY-MM-DD)"),
        (None, "must be a date (YYYY-MM-DD)"),
    ],
)
def test_an_absurd_report_date_is_refused_by_name(value: Any, problem: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        report_date("on", value)

    [only] = refused.value.problems
    assert only.field == "on"
    assert problem in only.problem


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("99999999999", f"at most {MAX_TERM_DAYS} days"),
        ("9" * 5000, f"at most {MAX_TERM_DAYS} days"),
        (MAX_TERM_DAYS + 1, f"at most {MAX_TERM_DAYS} days"),
        ("-1", "whole number of days, 0 or more"),
        (-1, "whole number of days, 0 or more"),
        ("1e9", "whole number of days"),
        ("٣", "whole number of days"),  # a digit, but not an ASCII one
        (True, "whole number of days"),
    ],
)
def test_an_absurd_count_of_days_is_refused_by_name(value: Any, problem: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        report_days("days", value)

    [only] = refused.value.problems
    assert only.field == "days"
    assert problem in only.problem


def test_report_parameters_accept_their_edges() -> None:
    assert report_date("on", day(LATEST)) == LATEST
    assert report_date("on", "1900-01-01") == EARLIEST_DATE
    assert report_days("days", str(MAX_TERM_DAYS)) == MAX_TERM_DAYS
    assert report_days("days", "0") == 0
    assert report_days("days", 7) == 7
    assert report_days("every", "007", least=1) == 7
    with pytest.raises(InvalidInput):
        report_days("every", "0", least=1)
