"""Each person's learning record, rebuilt from the programmes store: what they attended and achieved."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest

from pathway.cli import main
from pathway.embedded import EmbeddedSystem
from pathway.replay import resolve_in_store
from shared.contracts.base import NationalId
from shared.errors import NotFound
from tests import examples as ex
from tests.embedded.helpers import TEST_READER, load
from tests.embedded.test_programme_transfers import held_and_enrolled, transfer


def lines() -> list[dict[str, Any]]:
    """A1 starts welding, is transferred away and back (progress kept), completes it; literacy runs anywhere."""
    return [
        ex.publish_programme("P-WELD", capacity=2, facility="Test Prison", awarding_body="National Awarding Body"),
        ex.publish_programme("P-ANY", title="Literacy", kind="education"),
        *held_and_enrolled("A1"),
        ex.enrol("A1", programme_id="P-ANY"),
        ex.attend("A1", "2025-02-08"),
        ex.attend("A1", "2025-02-09", programme_id="P-ANY", attended=False),
        transfer("A1", "Other Prison", "2025-02-10", 1),
        transfer("A1", "Test Prison", "2025-02-20", 2),
        ex.attend("A1", "2025-02-22"),
        ex.complete_programme("A1"),
    ]


def record_of(system: EmbeddedSystem, value: str) -> dict[str, Any]:
    programmes = system.apps["programmes"]
    person_id = resolve_in_store(programmes, NationalId(issuer=ex.ISSUER, value=value))
    return system.query("programmes", "learning-record", {"person_id": person_id}, TEST_READER)  # type: ignore[no-any-return]


def test_the_record_keeps_what_was_attended_and_achieved_across_a_transfer(system: EmbeddedSystem) -> None:
    assert load(system, lines()).ok

    record = record_of(system, "A1")

    weld, literacy = sorted(record["participations"], key=lambda p: p["programme_id"])[::-1]
    assert weld["programme_id"] == "P-WELD"
    assert (weld["status"], weld["outcome"], weld["ended_on"]) == ("ended", "completed", "2025-03-01")
    assert (weld["sessions_attended"], weld["sessions_recorded"]) == (2, 2)  # one before the transfer, one after
    assert weld["suspensions"] == [{"suspended_on": "2025-02-10", "reason": "transferred", "resumed_on": "2025-02-20"}]
    assert (literacy["programme_id"], literacy["status"], literacy["title"]) == ("P-ANY", "on_programme", "Literacy")
    assert literacy["sessions"] == [{"session_on": "2025-02-09", "outcome": "absent", "attended": False}]
    assert record["certificates"] == [
        {
            "programme_id": "P-WELD",
            "awarding_body": "National Awarding Body",
            "certificate_no": "CERT-A1",
            "awarded_on": "2025-03-01",
        }
    ]
    assert (record["completed"], record["sessions_attended"]) == (1, 2)


def test_an_unknown_person_has_no_record(system: EmbeddedSystem) -> None:
    with pytest.raises(NotFound):
        system.query("programmes", "learning-record", {"person_id": uuid4()}, TEST_READER)


def test_the_command_line_prints_the_record_the_same_after_a_rebuild(tmp_path: Path) -> None:
    data = tmp_path / "data"
    file = tmp_path / "cohort.jsonl"
    file.write_text("".join(json.dumps(line) + "\n" for line in lines()), encoding="utf-8")
    assert main(["import", str(file), "--data", str(data)], out=io.StringIO(), err=io.StringIO()) == 0

    def report(*extra: str) -> str:
        out, err = io.StringIO(), io.StringIO()
        code = main(["report", "learning-record", f"{ex.ISSUER}:A1", "--data", str(data), *extra], out=out, err=err)
        assert code == 0, err.getvalue()
        return out.getvalue()

    first = json.loads(report("--format", "json"))
    assert [c["certificate_no"] for c in first["certificates"]] == ["CERT-A1"]
    assert json.loads(report("--format", "json")) == first  # folded afresh from the events each time
    table = report()
    assert all(text in table for text in ("P-WELD", "CERT-A1", "suspended 2025-02-10 (transferred)"))

    err = io.StringIO()
    assert main(["report", "learning-record", "--data", str(data)], out=io.StringIO(), err=err) != 0
    assert "PERSON" in err.getvalue()
