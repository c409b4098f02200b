"""The learning record shows the cohort each participation ran in and the individual plans drawn up, naming
the programmes a plan points to but never the needs or notes behind it (sensitive)."""

from __future__ import annotations

import json

from pathway.embedded import EmbeddedSystem
from pathway.report_tables.programmes import learning_record_table
from tests.embedded.helpers import load
from tests.embedded.test_programme_cohorts import cohort_lines
from tests.embedded.test_programme_learning_record import record_of
from tests.embedded.test_programme_plans import assess, plan


def test_the_record_shows_the_cohort_and_the_plan_without_the_needs(system: EmbeddedSystem) -> None:
    goals = [{"need": "literacy", "programme_id": "P-WELD", "note": "reads below entry level"}, {"need": "housing"}]
    loaded = load(system, [*cohort_lines(), assess("A1", needs=["literacy", "housing"]), plan("A1", *goals)])
    assert loaded.ok, loaded.errors

    record = record_of(system, "A1")

    (weld,) = record["participations"]
    assert weld["cohorts"] == [{"cohort_id": "C-1", "joined_on": "2025-02-02"}]
    assert record["plans"] == [
        {"plan_id": "PLAN-A1", "drawn_up_on": "2025-01-25", "goals": 2, "programme_ids": ["P-WELD"]}
    ]
    assert not any(secret in json.dumps(record) for secret in ("literacy", "housing", "reads below"))
    table = learning_record_table(record)
    assert "in cohort C-1 from 2025-02-02" in table
    assert "PLAN-A1" in table
