"""`pathway demo`, the README's first command: the whole cohort applies, every report prints, the replay shows
a pathway that loops back through a recall, and running it again on the same folder records nothing twice."""

from __future__ import annotations

import io
from pathlib import Path

from pathway.demo import run_demo
from tests.embedded.helpers import is_subsequence

LOOP = [
    "intake.person.registered",
    "intake.person.admitted",
    "programmes.certificate.awarded",
    "release.person.released",
    "release.supervision.started",
    "release.violation.recorded",
    "release.person.heard",
    "release.alternatives.considered",
    "release.recall.executed",
    "intake.person.admitted",
    "release.person.released",
    "release.outcome.recorded",
]


def demo(data: Path) -> str:
    out, err = io.StringIO(), io.StringIO()
    assert run_demo(data, out, err) == 0, err.getvalue()
    assert err.getvalue() == ""
    return out.getvalue()


def test_the_demo_applies_every_line_prints_every_report_and_replays_a_recall(tmp_path: Path) -> None:
    printed = demo(tmp_path)

    assert " 0 failed" in printed
    for heading in ("Occupancy on", "Programmes now", "without an approved plan", "Reoffending", "Replay of"):
        assert heading in printed
    blocks = printed.split("\n\n")
    replay_at = next(i for i, block in enumerate(blocks) if block.lstrip().startswith("Replay of"))
    replayed = [line.split()[2] for line in blocks[replay_at + 1].splitlines()[1:] if line.strip()]
    assert is_subsequence(LOOP, replayed), replayed
    verified = blocks[-1].splitlines()
    assert [line.split()[:2] for line in verified if not line.startswith(" ")] == [
        [service, "intact"] for service in ("intake", "programmes", "release")
    ]
    assert sum(line.split()[0] == "head" for line in verified) == 3


def test_running_the_demo_again_on_its_folder_records_nothing_twice(tmp_path: Path) -> None:
    demo(tmp_path)

    again = demo(tmp_path)

    assert " 0 applied" in again
    assert " 0 failed" in again
