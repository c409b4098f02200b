"""`pathway verify` as an auditor runs it on the embedded stores: exit codes, messages, kept heads."""

from __future__ import annotations

import io
import json
import re
import sqlite3
from pathlib import Path

import pytest

from pathway.cli import main
from tests import examples as ex
from tests.embedded.test_cli import write_jsonl

HEAD = re.compile(r"^\s+head\s+(\w+:\d+:[0-9a-f]{64})$", re.MULTILINE)


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def data(tmp_path: Path) -> Path:
    lines = ex.catalogue() + ex.custodial_pathway("A1") + ex.non_custodial_pathway("B1")
    folder = tmp_path / "data"
    code, _, err = run("import", str(write_jsonl(tmp_path / "cohort.jsonl", lines)), "--data", str(folder))
    assert code == 0, err
    return folder


def change_one_event(data: Path, service: str) -> int:
    with sqlite3.connect(data / f"{service}.sqlite") as db:
        rowid, state = db.execute("SELECT rowid, state FROM stored_events ORDER BY rowid LIMIT 1 OFFSET 3").fetchone()
        db.execute("UPDATE stored_events SET state = ? WHERE rowid = ?", (state + b" ", rowid))
    return int(rowid)


def test_untouched_stores_verify_and_print_the_heads_to_keep(data: Path) -> None:
    code, out, err = run("verify", "--data", str(data))

    assert (code, err) == (0, "")
    assert [line.split()[:2] for line in out.splitlines() if not line.startswith(" ")] == [
        ["intake", "intact"],
        ["programmes", "intact"],
        ["release", "intact"],
    ]
    heads = HEAD.findall(out)
    assert [head.split(":")[0] for head in heads] == ["intake", "programmes", "release"]

    code, out, err = run("verify", "--data", str(data), *(f"--expect={head}" for head in heads))

    assert (code, err) == (0, "")
    assert out.count("1 kept head checked") == 3


def test_json_reports_counts_and_hashes_only(data: Path) -> None:
    code, out, _ = run("verify", "--data", str(data), "--format", "json")

    reports = json.loads(out)
    assert code == 0
    assert [r["service"] for r in reports] == ["intake", "programmes", "release"]
    assert {r["status"] for r in reports} == {"intact"}
    assert all(r["not_yet_sealed"] == 0 and r["seals_checked"] > 0 for r in reports)
    assert "A1" not in out
    assert "Test Prison" not in out  # nothing of the events themselves


def test_a_changed_event_exits_1_naming_the_service_and_the_range(data: Path) -> None:
    changed = change_one_event(data, "release")

    code, out, err = run("verify", "--data", str(data))

    assert code == 1
    found = re.search(r"pathway verify: release was altered: notifications (\d+) to (\d+): ", err)
    assert found, err
    assert int(found[1]) <= changed <= int(found[2])
    assert "changed, removed or added since it was sealed" in err
    assert "intake      intact" in out
    assert "release     ALTERED" in out


def test_a_kept_head_that_no_longer_matches_exits_1(data: Path) -> None:
    _, out, _ = run("verify", "--data", str(data))
    service, notification_id, chain = HEAD.findall(out)[0].split(":")
    wrong = f"{service}:{notification_id}:{chain[::-1]}"

    code, _, err = run("verify", "--data", str(data), "--expect", wrong)

    assert code == 1
    assert f"pathway verify: intake was altered: notifications 1 to {notification_id}: " in err
    assert "the head kept" in err


@pytest.mark.parametrize("bad", ["intake:12", "court:1:" + "0" * 64, "intake:x:" + "0" * 64, "intake:1:123"])
def test_a_malformed_kept_head_exits_2_naming_the_option(data: Path, bad: str) -> None:
    code, out, err = run("verify", "--data", str(data), "--expect", bad)

    assert (code, out) == (2, "")
    assert err.startswith("pathway verify: --expect: ")
    assert "SERVICE:ID:HEX" in err


def test_without_stores_it_says_where_it_looked(tmp_path: Path) -> None:
    code, _, err = run("verify", "--data", str(tmp_path / "nowhere"))

    assert code == 1
    assert "--data: no stores in" in err
