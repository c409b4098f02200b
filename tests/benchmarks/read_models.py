"""Benchmark: reports from kept read models against folding the whole store for each report.

An embedded system holds a synthetic cohort; then, a few times over, one more person's lines come
in and each report is answered twice: folded from the store's first event (the baseline, how
every report was answered before read models were kept) and from the kept model, which folds
only what was recorded since it last answered. Both are measured in the same run, so the ratio is
what to read on a shared, noisy machine.

    .venv/bin/python -m tests.benchmarks.read_models [people]
"""

from __future__ import annotations

import io
import json
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from pathway.cohort import demo_cohort
from pathway.embedded import EmbeddedSystem
from pathway.importer import run_import
from services.intake.read_models.population import Population
from services.programmes.read_models.programme_figures import ProgrammesReadModel
from services.release.read_models.reoffending import ReoffendingRegister
from services.release.read_models.supervision import SupervisionRegister
from shared.eventstore.reading import head

ON = date(2025, 6, 1)
ROUNDS = 5
# report -> (service, from the kept model, folded from the first event)
REPORTS: dict[str, tuple[str, Callable[[Any], Any], Callable[[Any], Any]]] = {
    "occupancy": (
        "intake",
        lambda app: app.read_models.answer(Population, lambda p: p.on(ON)),
        lambda app: Population.from_store(app).on(ON),
    ),
    "programmes": (
        "programmes",
        lambda app: app.read_models.answer(ProgrammesReadModel, lambda model: model.figures()),
        lambda app: ProgrammesReadModel.from_store(app).figures(),
    ),
    "caseload": (
        "release",
        lambda app: app.read_models.answer(SupervisionRegister, lambda r: r.caseload(ON)),
        lambda app: SupervisionRegister.from_store(app).caseload(ON),
    ),
    "reoffending": (
        "release",
        lambda app: app.read_models.answer(ReoffendingRegister, lambda r: r.report(ON)),
        lambda app: ReoffendingRegister.from_store(app).report(ON),
    ),
}


def load(system: EmbeddedSystem, lines: list[dict[str, Any]]) -> None:
    report = run_import(system, (json.dumps(line) for line in lines), "bench", errors=io.StringIO())
    assert report.ok, "the benchmark's cohort must import cleanly"


def one_more_person(round: int) -> list[dict[str, Any]]:
    """A person's whole pathway; the catalogue and facilities are the cohort's already."""
    shared = ("publish_programme", "declare_facility")
    return [line for line in demo_cohort(1, seed=round, prefix=f"L{round}") if line["command"] not in shared]


def timed(report: Callable[[Any], Any], app: Any) -> tuple[float, Any]:
    started = time.perf_counter()
    answer = report(app)
    return time.perf_counter() - started, answer


def main(people: int) -> None:
    cohort = demo_cohort(people, prefix="B")
    later = [one_more_person(round) for round in range(ROUNDS)]
    with tempfile.TemporaryDirectory() as folder, EmbeddedSystem(Path(folder)) as system:
        load(system, cohort)
        for service, kept, _ in REPORTS.values():
            kept(system.apps[service])  # the kept models start from the cohort, as in a running service
        events = sum(head(app) for app in system.apps.values())
        print(f"reports on {people} people ({events} events in the three stores), {ROUNDS} rounds of new lines")
        totals = {name: [0.0, 0.0] for name in REPORTS}
        for lines in later:
            load(system, lines)
            for name, (service, kept, fresh) in REPORTS.items():
                app = system.apps[service]
                whole, expected = timed(fresh, app)
                caught_up, answer = timed(kept, app)
                assert answer == expected, f"{name}: the kept model answers differently"
                totals[name][0] += whole
                totals[name][1] += caught_up
        for name, (whole, caught_up) in totals.items():
            print(
                f"  {name:<12} whole store (baseline) {1000 * whole / ROUNDS:8.1f} ms"
                f"   kept and caught up {1000 * caught_up / ROUNDS:7.2f} ms   x{whole / caught_up:.0f} faster"
            )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
