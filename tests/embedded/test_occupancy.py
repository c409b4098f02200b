"""The population register: occupancy against capacity, overcrowding and pre-trial detention on any date."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from pathway.cli import main
from pathway.embedded import EmbeddedSystem
from tests import examples as ex
from tests.embedded.helpers import load


def facility(code: str, capacity: int, **extra: Any) -> dict[str, Any]:
    return ex.line("intake", "declare_facility", facility=code, name=f"{code} prison", capacity=capacity, **extra)


def held(value: str, kind: str, decided_on: str, at: str, admitted_on: str) -> list[dict[str, Any]]:
    decision = ex.custodial_sentence(value, kind=kind, decided_on=decided_on)
    if kind != "custodial_sentence":
        decision["data"].pop("sentence_days")
    return [
        ex.register_person(value),
        decision,
        ex.admit(value, facility=at, admitted_at=f"{admitted_on}T10:00:00+00:00"),
    ]


def population() -> list[dict[str, Any]]:
    sentenced_later = ex.custodial_sentence("P1", decision_id="D-P1-S", decided_on="2025-03-01")
    return [
        facility("N", 2),
        facility("L", 1),
        facility("L", 3, effective_on="2025-06-01"),
        *held("P1", "pretrial_detention", "2025-01-05", "N", "2025-01-05"),
        sentenced_later,
        *held("P2", "custodial_sentence", "2025-01-10", "N", "2025-01-11"),
        ex.release("P2", released_on="2025-05-01", release_type="sentence_served"),
        *held("P3", "pretrial_detention", "2025-02-01", "N", "2025-02-01"),
        ex.release("P3", released_on="2025-04-01", release_type="court_order"),
        *held("P4", "custodial_sentence", "2025-01-20", "L", "2025-01-21"),
        *held("P5", "pretrial_detention", "2025-01-15", "X", "2025-01-15"),  # X was never declared
    ]


@pytest.fixture
def loaded(system: EmbeddedSystem) -> EmbeddedSystem:
    report = load(system, population())
    assert report.ok, report.errors
    return system


def figures(system: EmbeddedSystem, on: str) -> dict[str, dict[str, Any]]:
    return {row["facility"]: row for row in system.query("intake", "occupancy", {"on": on})}


def test_an_overcrowded_facility_with_people_held_pretrial(loaded: EmbeddedSystem) -> None:
    n = figures(loaded, "2025-02-15")["N"]

    assert (n["capacity"], n["occupancy"], n["occupancy_rate"]) == (2, 3, 1.5)
    assert (n["pretrial"], n["pretrial_share"]) == (2, 2 / 3)
    assert n["average_pretrial_days"] == (41 + 14) / 2  # held since 5 January and 1 February


def test_a_sentence_ends_pretrial_detention(loaded: EmbeddedSystem) -> None:
    n = figures(loaded, "2025-03-15")["N"]

    assert (n["occupancy"], n["pretrial"], n["pretrial_share"]) == (3, 1, 1 / 3)


def test_a_person_released_on_the_day_is_no_longer_counted(loaded: EmbeddedSystem) -> None:
    n = figures(loaded, "2025-04-01")["N"]

    assert (n["occupancy"], n["occupancy_rate"], n["pretrial"]) == (2, 1.0, 0)


def test_a_later_capacity_holds_from_its_effective_date(loaded: EmbeddedSystem) -> None:
    assert figures(loaded, "2025-05-31")["L"]["capacity"] == 1
    assert figures(loaded, "2025-07-01")["L"] == {
        "facility": "L",
        "capacity": 3,
        "occupancy": 1,
        "occupancy_rate": 1 / 3,
        "pretrial": 0,
        "pretrial_share": 0.0,
        "average_pretrial_days": None,
    }


def test_an_undeclared_facility_is_reported_with_unknown_capacity(loaded: EmbeddedSystem) -> None:
    x = figures(loaded, "2025-02-15")["X"]

    assert (x["capacity"], x["occupancy"], x["occupancy_rate"], x["pretrial_share"]) == (None, 1, None, 1.0)


def test_before_anyone_arrives_the_first_declaration_already_holds_and_rates_are_null(loaded: EmbeddedSystem) -> None:
    early = figures(loaded, "2024-12-31")

    assert early["N"]["capacity"] == 2
    assert early["N"]["occupancy_rate"] == 0.0
    assert early["N"]["pretrial_share"] is None


def test_a_capacity_declared_again_from_the_recording_day(system: EmbeddedSystem) -> None:
    load(system, [facility("Q", 5), facility("Q", 8)])
    today = date.today().isoformat()

    assert figures(system, "2000-01-01")["Q"]["capacity"] == 5
    assert figures(system, today)["Q"]["capacity"] == 8


def test_the_report_command_and_a_rebuilt_model_agree(tmp_path: Path) -> None:
    file = tmp_path / "population.jsonl"
    file.write_text("".join(json.dumps(line) + "\n" for line in population()))
    data = tmp_path / "data"
    assert main(["import", str(file), "--data", str(data)], out=io.StringIO(), err=io.StringIO()) == 0

    out = io.StringIO()
    assert main(["report", "occupancy", "--on", "2025-02-15", "--data", str(data), "--format", "json"], out=out) == 0
    rows = json.loads(out.getvalue())

    assert [row["facility"] for row in rows] == ["L", "N", "X"]
    assert rows[1] == {
        "facility": "N",
        "capacity": 2,
        "occupancy": 3,
        "occupancy_rate": 1.5,
        "pretrial": 2,
        "pretrial_share": 2 / 3,
    }
    with EmbeddedSystem(data) as reopened:  # a fresh process folds the events again from the first
        assert figures(reopened, "2025-02-15")["N"]["occupancy"] == 3
    table = io.StringIO()
    main(["report", "occupancy", "--on", "2025-02-15", "--data", str(data)], out=table)
    assert "overcrowded: N" in table.getvalue()


def test_the_overcrowded_report_names_each_facility_over_capacity(loaded: EmbeddedSystem) -> None:
    assert loaded.query("intake", "overcrowded", {"on": "2025-02-15"}) == [
        {"facility": "N", "capacity": 2, "occupancy": 3, "over_capacity": 1}
    ]
    assert loaded.query("intake", "overcrowded", {"on": "2025-04-01"}) == []  # N at capacity; X has none declared


def test_the_overcrowded_report_is_a_command_line_report(tmp_path: Path) -> None:
    file = tmp_path / "population.jsonl"
    file.write_text("".join(json.dumps(line) + "\n" for line in population()))
    data = tmp_path / "data"
    assert main(["import", str(file), "--data", str(data)], out=io.StringIO(), err=io.StringIO()) == 0

    out = io.StringIO()
    assert main(["report", "overcrowded", "--on", "2025-02-15", "--data", str(data), "--format", "json"], out=out) == 0
    assert json.loads(out.getvalue()) == [{"facility": "N", "capacity": 2, "occupancy": 3, "over_capacity": 1}]
