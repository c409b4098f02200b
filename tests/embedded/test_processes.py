"""The command line as separate processes: the demo, and an import killed with SIGKILL mid-way."""

from __future__ import annotations

import io
import json
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from pathway.cli import main
from pathway.cohort import ISSUER, demo_cohort

PATHWAY = [sys.executable, "-m", "pathway.cli"]


def test_demo_prints_a_replayed_pathway_from_all_three_services() -> None:
    done = subprocess.run([*PATHWAY, "demo"], capture_output=True, text=True, timeout=120, check=False)

    assert done.returncode == 0, done.stderr
    replay = done.stdout.split("Replay of", 1)[1]
    for service, event in [
        ("intake", "intake.person.admitted"),
        ("programmes", "programmes.programme.completed"),
        ("release", "release.person.released"),
    ]:
        assert f" {service} " in replay
        assert event in replay


def stored_events(data: Path, service: str) -> int:
    try:
        with sqlite3.connect(data / f"{service}.sqlite", timeout=30) as db:
            return int(db.execute("SELECT COUNT(*) FROM stored_events").fetchone()[0])
    except sqlite3.OperationalError:
        return 0  # not created yet


def per_service_history(data: Path, person: str) -> dict[str, list[tuple[str, Any]]]:
    """Each service's own sequence of (type, data): what must survive a crash unchanged."""
    out = io.StringIO()
    assert main(["replay", person, "--data", str(data), "--format", "json"], out=out) == 0
    history: dict[str, list[tuple[str, Any]]] = {}
    for entry in json.loads(out.getvalue()):
        history.setdefault(entry["service"], []).append((entry["type"], entry["data"]))
    return history


def test_an_import_killed_mid_way_and_run_again_loses_nothing_and_applies_nothing_twice(tmp_path: Path) -> None:
    size = 60
    file = tmp_path / "cohort.jsonl"
    file.write_text("".join(json.dumps(line) + "\n" for line in demo_cohort(size)))
    clean, crashed = tmp_path / "clean", tmp_path / "crashed"
    subprocess.run([*PATHWAY, "import", str(file), "--data", str(clean)], capture_output=True, timeout=300, check=True)

    loading = subprocess.Popen([*PATHWAY, "import", str(file), "--data", str(crashed)], stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while stored_events(crashed, "programmes") < 150 and loading.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert loading.poll() is None, "the import finished before it could be killed; make the file larger"
    loading.send_signal(signal.SIGKILL)
    loading.wait()
    rerun = subprocess.run(
        [*PATHWAY, "import", str(file), "--data", str(crashed)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )

    assert rerun.returncode == 0, rerun.stderr
    assert " skipped" in rerun.stdout
    assert " 0 skipped" not in rerun.stdout
    for number in range(1, size + 1):
        person = f"{ISSUER}:D{number:05d}"
        assert per_service_history(crashed, person) == per_service_history(clean, person), person
