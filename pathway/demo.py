"""`pathway demo`: the whole system in one process on a synthetic cohort, then one replay."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from pathlib import Path
from typing import TextIO
from uuid import UUID

from pathway.cohort import ISSUER, demo_cohort
from pathway.embedded import EmbeddedSystem, acting_as_line, local_principal
from pathway.importer import run_import
from pathway.replay import StoreSource, as_table, resolve_in_store, timeline
from pathway.report_tables.intake import occupancy_table
from pathway.report_tables.programmes import programmes_table
from pathway.report_tables.release import reoffending_table
from pathway.services import SERVICES
from pathway.verify import as_table as verify_table
from shared.contracts.base import NationalId
from shared.eventstore.reading import head
from shared.messaging.relay import verify_seals
from shared.reader import Reader

# The demo's own replays (finding a showcase person) are reads of synthetic cases, recorded as the demo's.
DEMO_READER = Reader("pathway demo", purpose="showcase on a synthetic cohort")
# The synthetic cohort's court decisions fall in 2024: by the end of 2026 most 12-month windows have ended.
REPORTS_ON = date(2026, 12, 31)


def run_demo(data_dir: Path, out: TextIO, err: TextIO, size: int = 50) -> int:
    lines = demo_cohort(size)
    with EmbeddedSystem(data_dir) as system:
        report = run_import(system, (json.dumps(line) for line in lines), "demo", errors=err)
        print(f"pathway demo: {size} synthetic people through intake, programmes and release", file=out)
        print(f"  data folder: {data_dir}", file=out)
        print(f"  {acting_as_line(local_principal())}", file=out)
        print(f"  {report.summary('commands')}", file=out)
        for name, app in system.apps.items():
            print(f"  {name:<11} store holds {head(app)} events", file=out)
        kinds = Counter(line["data"].get("kind") for line in lines if line["command"] == "record_court_decision")
        print(
            "  court decisions: " + ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in sorted(kinds.items())), file=out
        )
        on = date(2024, 9, 1)
        rows = system.query("intake", "occupancy", {"on": on})
        print("", file=out)
        out.write(occupancy_table(rows, on.isoformat()))
        _after_release(system, out)
        sources = [StoreSource(app, SERVICES[name].translate, DEMO_READER) for name, app in system.apps.items()]
        person = _showcase(system, sources)
        print(f"\nReplay of {ISSUER}:{person[1]} (person {person[0]}), all three services:\n", file=out)
        out.write(as_table(timeline(sources, person[0])))
        print("\nStores checked against their seals (pathway verify; an auditor keeps the heads):\n", file=out)
        out.write(verify_table([verify_seals(app) for app in system.apps.values()]))
    return 0 if report.ok else 1


def _after_release(system: EmbeddedSystem, out: TextIO) -> None:
    """What programmes achieved, who left unprepared, and who came back, from the events folded afresh."""
    print("", file=out)
    out.write(programmes_table(system.query("programmes", "programmes", {})))
    flagged = system.query("release", "releases-flagged", {"on": REPORTS_ON})
    print(f"\nReleases up to {REPORTS_ON} without an approved plan, accommodation or ID: {len(flagged)}", file=out)
    print("", file=out)
    reoffending = system.query("release", "reoffending", {"on": REPORTS_ON})
    out.write(reoffending_table(reoffending, REPORTS_ON.isoformat()))


def _showcase(system: EmbeddedSystem, sources: list[StoreSource]) -> tuple[UUID, str]:
    """The first person whose pathway crosses all three services and loops back: a certificate, a licence,
    a recall and the recall admission; failing that, the first with a certificate and a licence."""
    intake = system.apps["intake"]
    crossing = {"programmes.programme.completed", "release.supervision.started", "intake.person.admitted"}
    fallback: tuple[UUID, str] | None = None
    for number in range(1, 1000):
        value = f"D{number:05d}"
        try:
            person_id = resolve_in_store(intake, NationalId(issuer=ISSUER, value=value))
        except Exception:  # noqa: BLE001 - past the end of the cohort
            break
        types = {entry["type"] for entry in timeline(sources, person_id)}
        if crossing | {"release.recall.executed"} <= types:
            return person_id, value
        if fallback is None and crossing <= types:
            fallback = person_id, value
    return fallback or (resolve_in_store(intake, NationalId(issuer=ISSUER, value="D00001")), "D00001")
