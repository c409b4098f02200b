"""The command line as agencies and auditors use it: import a file, replay a person."""

from __future__ import annotations

import io
import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from pathway.cli import main
from tests import examples as ex


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def write_jsonl(path: Path, lines: list[Any]) -> Path:
    path.write_text("".join((line if isinstance(line, str) else json.dumps(line)) + "\n" for line in lines))
    return path


@pytest.fixture
def cohort_file(tmp_path: Path) -> Path:
    lines = ex.catalogue() + ex.custodial_pathway("A1") + ex.non_custodial_pathway("B1") + ex.left_early_pathway("C1")
    return write_jsonl(tmp_path / "cohort.jsonl", lines)


def replay_json(data: Path, person: str, *extra: str) -> list[dict[str, Any]]:
    code, out, err = run("replay", person, "--data", str(data), "--format", "json", *extra)
    assert code == 0, err
    return json.loads(out)


SPINE_PATH = [
    "intake.person.registered",
    "intake.court-decision.recorded",
    "intake.person.admitted",
    "programmes.enrolment.started",
    "programmes.programme.completed",
    "release.person.released",
    "release.supervision.started",
    "release.supervision.completed",
    "release.outcome.recorded",
]


def test_import_then_replay_shows_each_path(tmp_path: Path, cohort_file: Path) -> None:
    data = tmp_path / "data"
    code, out, err = run("import", str(cohort_file), "--data", str(data))

    assert (code, err) == (0, "")
    assert "0 failed" in out
    custodial = [e["type"] for e in replay_json(data, f"{ex.ISSUER}:A1")]
    assert [t for t in custodial if t in SPINE_PATH] == SPINE_PATH
    assert custodial.index("intake.legal-status.changed") > custodial.index("intake.court-decision.recorded")
    non_custodial = [e["type"] for e in replay_json(data, f"{ex.ISSUER}:B1")]
    assert "intake.person.admitted" not in non_custodial
    assert non_custodial.index("release.supervision.started") > non_custodial.index("intake.court-decision.recorded")
    left_early = [e["type"] for e in replay_json(data, f"{ex.ISSUER}:C1")]
    assert left_early.index("programmes.enrolment.withdrawn") > left_early.index("release.person.released")


def test_the_embedded_import_says_who_it_acts_as_and_needs_no_identity_provider(
    tmp_path: Path, cohort_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for variable in ("PATHWAY_OIDC_ISSUER", "PATHWAY_CLIENT_ID", "AMQP_URI"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("PATHWAY_READER", "migration-desk")

    code, out, err = run("import", str(cohort_file), "--data", str(tmp_path / "data"))

    assert (code, err) == (0, "")
    assert out.splitlines()[0] == "acting as migration-desk, holding the importer role (embedded: no identity provider)"


def test_replay_entries_have_the_documented_shape(tmp_path: Path, cohort_file: Path) -> None:
    data = tmp_path / "data"
    run("import", str(cohort_file), "--data", str(data))

    entries = replay_json(data, f"{ex.ISSUER}:A1")

    assert all(
        set(e) == {"service", "type", "occurred_at", "recorded_at", "sequence", "actor", "data"} for e in entries
    )
    assert entries[0]["actor"] == ex.CLERK
    keys = [(e["recorded_at"], e["service"], e["sequence"]) for e in entries]
    assert keys == sorted(keys)


def test_bad_lines_are_reported_by_line_and_the_good_ones_load(tmp_path: Path) -> None:
    lines = [
        ex.register_person("A1"),
        "{not json",
        ex.line("intake", "teleport", national_id=ex.nid("A1")),
        {**ex.custodial_sentence("A1"), "data": {**ex.custodial_sentence("A1")["data"], "sentence_days": None}},
        ex.register_person("A2", sex="robot"),
        ex.admit("A1"),  # refused by the domain: no commitment yet
        ex.custodial_sentence("A1"),
        {"service": "archive", "command": "register_person", "data": {}},
    ]
    file = write_jsonl(tmp_path / "bad.jsonl", lines)
    code, out, err = run("import", str(file), "--data", str(tmp_path / "data"))

    assert code == 1
    reported = err.splitlines()
    assert reported[0] == f"{file}:2: (line): not valid JSON"
    assert reported[1].startswith(f"{file}:3: command: unknown command for intake")
    assert reported[2] == f"{file}:4: sentence_days: required for a custodial sentence"
    assert reported[3].startswith(f"{file}:5: sex: Input should be")
    assert reported[4].startswith(f"{file}:6: admission refused: no commitment order")
    assert reported[5].startswith(f"{file}:8: service: Input should be")
    assert "2 applied" in out
    assert "robot" not in err  # the refused value is not echoed


def test_importing_the_same_file_twice_changes_nothing(tmp_path: Path, cohort_file: Path) -> None:
    data = tmp_path / "data"
    run("import", str(cohort_file), "--data", str(data))
    before = replay_json(data, f"{ex.ISSUER}:A1")

    code, out, err = run("import", str(cohort_file), "--data", str(data))

    assert (code, err) == (0, "")
    assert " 0 applied" in out
    assert replay_json(data, f"{ex.ISSUER}:A1") == before


def test_a_decision_id_reused_with_other_content_is_an_error(tmp_path: Path) -> None:
    file = write_jsonl(
        tmp_path / "f.jsonl",
        [ex.register_person("A1"), ex.custodial_sentence("A1"), ex.custodial_sentence("A1", sentence_days=900)],
    )
    code, _, err = run("import", str(file), "--data", str(tmp_path / "data"))

    assert code == 1
    assert err.strip() == f"{file}:3: decision_id: already recorded with different content"


def test_a_command_id_reused_with_other_content_is_an_error(tmp_path: Path) -> None:
    first = ex.register_person("A1", command_id="cmd-1")
    again = ex.register_person("A1", command_id="cmd-1")
    other = ex.register_person("A2", command_id="cmd-1")
    file = write_jsonl(tmp_path / "f.jsonl", [first, again, other])
    code, out, err = run("import", str(file), "--data", str(tmp_path / "data"))

    assert code == 1
    assert "1 applied, 1 skipped, 1 failed" in out
    assert err.strip() == f"{file}:3: command_id: already used for a different command"


def test_as_of_before_the_release_leaves_the_release_out(tmp_path: Path, cohort_file: Path) -> None:
    data = tmp_path / "data"
    run("import", str(cohort_file), "--data", str(data))
    entries = replay_json(data, f"{ex.ISSUER}:A1")
    released = next(e for e in entries if e["type"] == "release.person.released")
    just_before = entries[entries.index(released) - 1]["recorded_at"]

    earlier = replay_json(data, f"{ex.ISSUER}:A1", "--as-of", just_before.replace("Z", "+00:00"))

    assert "release.person.released" not in [e["type"] for e in earlier]
    assert earlier == entries[: entries.index(released)]


def test_two_replays_are_byte_identical(tmp_path: Path, cohort_file: Path) -> None:
    data = tmp_path / "data"
    run("import", str(cohort_file), "--data", str(data))
    args = ("replay", f"{ex.ISSUER}:A1", "--data", str(data), "--format", "json")

    assert run(*args)[1] == run(*args)[1]


def test_replay_by_person_id_equals_replay_by_national_id(tmp_path: Path, cohort_file: Path) -> None:
    data = tmp_path / "data"
    run("import", str(cohort_file), "--data", str(data))
    by_national_id = replay_json(data, f"{ex.ISSUER}:A1")

    assert replay_json(data, by_national_id[0]["data"]["person_id"]) == by_national_id


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert run("import", str(tmp_path / "missing.jsonl"))[0] == 2
    with pytest.raises(SystemExit) as exited:
        run("replay", "x:y", "--as-of", "yesterday")
    assert exited.value.code == 2


def test_unknown_person_is_a_clear_error(tmp_path: Path, cohort_file: Path) -> None:
    data = tmp_path / "data"
    run("import", str(cohort_file), "--data", str(data))

    code, _, err = run("replay", f"{ex.ISSUER}:NOBODY", "--data", str(data))

    assert code == 1
    assert err.strip() == "pathway replay: PERSON: no person is known by this identifier"


def test_dead_letters_list_is_empty_json_when_nothing_failed(tmp_path: Path, cohort_file: Path) -> None:
    data = tmp_path / "data"
    run("import", str(cohort_file), "--data", str(data))

    code, out, _ = run("dead-letters", "list", "release", "--data", str(data))

    assert (code, json.loads(out)) == (0, [])


def test_occurred_by_keeps_what_happened_by_that_day_however_late_it_was_recorded(
    tmp_path: Path, cohort_file: Path
) -> None:
    data = tmp_path / "data"
    run("import", str(cohort_file), "--data", str(data))
    entries = replay_json(data, f"{ex.ISSUER}:A1")
    released = next(e for e in entries if e["type"] == "release.person.released")
    day_before = (date.fromisoformat(released["data"]["released_on"]) - timedelta(days=1)).isoformat()

    by_then = replay_json(data, f"{ex.ISSUER}:A1", "--occurred-by", day_before)

    assert by_then == [e for e in entries if e["occurred_at"][:10] <= day_before]
    assert "intake.court-decision.recorded" in [e["type"] for e in by_then]  # recorded today, happened in 2025
    assert "release.person.released" not in [e["type"] for e in by_then]
