"""`pathway report occupancy-trend`: the occupancy report on each day of a period, from one fold."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

from pathway.cli import main
from pathway.cohort import demo_cohort
from pathway.embedded import EmbeddedSystem
from tests.embedded.helpers import load


def report(data: Path, *argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["report", "occupancy-trend", "--data", str(data), *argv], out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_the_trend_is_the_occupancy_of_each_day(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with EmbeddedSystem(data) as system:
        assert load(system, demo_cohort(20, prefix="T")).ok
        expected = [
            {"on": day.isoformat(), **{k: v for k, v in figures.items() if k != "average_pretrial_days"}}
            for day in (date(2024, 3, 1), date(2024, 5, 30), date(2024, 8, 28), date(2024, 9, 1))
            for figures in system.query("intake", "occupancy", {"on": day})
        ]

    code, out, err = report(data, "--from", "2024-03-01", "--to", "2024-09-01", "--every", "90", "--format", "json")

    assert code == 0, err
    assert json.loads(out) == expected
    code, table, _ = report(data, "--from", "2024-03-01", "--to", "2024-09-01", "--every", "90")
    assert table.splitlines()[0] == "Occupancy against capacity from 2024-03-01 to 2024-09-01, every 90 days"
    assert len(table.splitlines()) == 2 + 4


def test_a_bad_period_is_refused_naming_the_option(tmp_path: Path) -> None:
    with EmbeddedSystem(tmp_path / "data") as system:
        assert load(system, demo_cohort(2, prefix="U")).ok

    code, _, err = report(tmp_path / "data", "--to", "2024-09-01")
    assert (code, err.strip()) == (2, "pathway report occupancy-trend: --from DATE is required")
    code, _, err = report(tmp_path / "data", "--from", "2024-09-01", "--to", "2024-01-01")
    assert (code, err.strip()) == (1, "pathway report: to: must be on or after from")
