"""The import is line-safe and exact under failure: a bad line spoils itself only, a lost reply is settled by
the line's receipt, and a failed line holds its person's later lines back so a re-run keeps file order."""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from pathway.embedded import EmbeddedSystem
from pathway.importer import ImportReport, line_id, parse_line, run_import
from pathway.unanswered import Unanswered
from shared.eventstore.batch import BatchLine, LineOutcome
from tests import examples as ex
from tests.embedded.helpers import is_subsequence, replay, types
from tests.embedded.test_cli import run

PERSON_LINES = [ex.register_person("A1"), ex.custodial_sentence("A1"), ex.admit("A1")]


def per_service(entries: list[dict[str, Any]]) -> dict[str, list[str]]:
    history: dict[str, list[str]] = {}
    for entry in entries:
        history.setdefault(entry["service"], []).append(entry["type"])
    return history


def jsonl(lines: list[Any]) -> bytes:
    return b"".join(line if isinstance(line, bytes) else json.dumps(line).encode() + b"\n" for line in lines)


def load(system: Any, lines: list[dict[str, Any]]) -> tuple[ImportReport, str]:
    errors = io.StringIO()
    report = run_import(system, [json.dumps(line) for line in lines], "f.jsonl", errors=errors)
    return report, errors.getvalue()


def test_a_line_of_invalid_utf8_in_the_middle_fails_alone_and_the_summary_names_it(tmp_path: Path) -> None:
    bad = b'{"service": "intake", "command": "register_person", "data": {"name": "\xff\xfe"}}\n'
    file = tmp_path / "f.jsonl"
    file.write_bytes(jsonl([ex.register_person("A1"), ex.register_person("A2"), bad, *PERSON_LINES[1:]]))
    data = tmp_path / "data"

    code, out, err = run("import", str(file), "--data", str(data))

    assert code == 1
    assert err.strip() == f"{file}:3: not valid UTF-8"
    assert f"{file}: 5 lines: 4 applied, 0 skipped, 1 failed (line 3)" in out
    with EmbeddedSystem(data) as system:
        recorded = types(replay(system, "A1"))
        assert is_subsequence(
            ["intake.person.registered", "intake.court-decision.recorded", "intake.person.admitted"], recorded
        )
        assert [t for t in types(replay(system, "A2")) if t.startswith("intake.")] == ["intake.person.registered"]


def test_blank_lines_and_comments_are_allowed_and_not_counted(tmp_path: Path) -> None:
    file = tmp_path / "f.jsonl"
    file.write_bytes(b"# people from the March transfer\n\n" + jsonl(PERSON_LINES[:2]) + b"   \n  # done\n")

    code, out, err = run("import", str(file), "--data", str(tmp_path / "data"))

    assert (code, err) == (0, "")
    assert f"{file}: 2 lines: 2 applied, 0 skipped, 0 failed" in out


def test_every_line_gets_a_command_id_from_its_content_so_a_rerun_is_known_by_its_receipts(
    system: EmbeddedSystem,
) -> None:
    first, _ = load(system, PERSON_LINES)
    again, _ = load(system, PERSON_LINES)

    assert (first.applied, again.applied, again.skipped) == (3, 0, 3)
    identifier = line_id(parse_line(json.dumps(PERSON_LINES[0])))
    assert identifier == line_id(parse_line(json.dumps(PERSON_LINES[0])))
    assert system.command_receipt("intake", identifier) is not None
    assert system.command_receipt("intake", line_id(parse_line(json.dumps(ex.register_person("Z9"))))) is None


class Faulty:
    """The embedded system with one fault at its boundary, on the batches holding a line `when` picks."""

    def __init__(self, system: EmbeddedSystem, fault: str, when: Any) -> None:
        self.system = system
        self.fault = fault
        self.when = when

    def execute_batch(self, service: str, lines: Sequence[BatchLine]) -> list[LineOutcome]:
        if not any(self.when(line.command, line.data) for line in lines):
            return self.system.execute_batch(service, lines)
        if self.fault == "reply lost after applying":
            self.system.execute_batch(service, lines)
            raise Unanswered(service, f"{service} did not answer a batch within 30s")
        if self.fault == "crash after applying":
            self.system.execute_batch(service, lines)
            raise RuntimeError("the reply could not be sent")
        raise Unanswered(None, "the broker did not answer")  # "everything gone"

    def command_receipt(self, service: str, command_id: str) -> dict[str, Any] | None:
        if self.fault == "everything gone":
            raise Unanswered(None, "the broker did not answer")
        return self.system.command_receipt(service, command_id)

    def reaction_graph(self) -> dict[str, dict[str, list[str]]]:
        return self.system.reaction_graph()

    def commands_across_people(self) -> set[str]:
        return self.system.commands_across_people()

    def settle(self) -> Any:
        return self.system.settle()

    def catch_up(self, written: Any) -> Any:
        return self.system.catch_up(written)


def about(value: str, command: str) -> Any:
    return lambda name, data: name == command and data.get("national_id", {}).get("value") == value


def test_a_reply_lost_after_the_batch_applied_counts_its_lines_applied_from_their_receipts(
    system: EmbeddedSystem,
) -> None:
    for fault in ("reply lost after applying", "crash after applying"):
        value = "L1" if fault.startswith("reply") else "L2"
        lines = [ex.register_person(value), ex.custodial_sentence(value), ex.admit(value)]
        report, errors = load(Faulty(system, fault, about(value, "record_court_decision")), lines)

        assert (report.applied, report.failed, report.unknown, report.stopped, errors) == (3, 0, 0, False, "")
        assert types(replay(system, value))[1] == "intake.court-decision.recorded"


def test_with_no_one_to_ask_the_batch_is_unknown_and_the_load_stops_there_with_its_summary(
    system: EmbeddedSystem,
) -> None:
    lines = [ex.register_person("U1"), ex.custodial_sentence("U1"), ex.admit("U1"), ex.register_person("U2")]
    report, errors = load(Faulty(system, "everything gone", about("U1", "record_court_decision")), lines)

    assert (report.applied, report.failed, report.unknown, report.stopped_at) == (0, 0, 4, 1)
    because = "the broker did not answer; whether lines 1 to 4 were applied is unknown (the broker did not answer)"
    assert errors.splitlines() == [f"f.jsonl:1: {because}; stopped here, later lines not sent"]
    assert report.summary("f.jsonl") == (
        "f.jsonl: 4 lines: 0 applied, 0 skipped, 0 failed, 4 unknown whether applied (0 waits for reactions); "
        f"stopped at line 1, later lines not sent: {because}"
    )


def test_a_failed_line_holds_back_the_persons_later_lines_and_a_rerun_keeps_file_order(
    system: EmbeddedSystem, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = [*ex.catalogue(), *ex.custodial_pathway("H1"), *ex.custodial_pathway("H2")]
    handlers = type(system.apps["intake"]).handlers
    contract = system.apps["intake"].commands["admit"]
    admit = handlers[contract]

    def failing_for_h1(command: Any, uow: Any, ctx: Any) -> Any:
        if command.national_id is not None and command.national_id.value == "H1":
            raise KeyError("a bug")
        return admit(command, uow, ctx)

    with monkeypatch.context() as flaky:
        flaky.setitem(handlers._by_contract, contract, failing_for_h1)
        report, errors = load(system, lines)

    held = len(ex.custodial_pathway("H1")) - 3  # after register, sentence and the admission that failed
    assert (report.failed, report.held_back) == (1, held)
    assert errors.splitlines()[0] == "f.jsonl:5: internal error in intake (KeyError)"
    assert errors.splitlines()[1] == "f.jsonl:6: held back: line 5 of the same person failed"
    assert len(errors.splitlines()) == 1 + held  # H2's lines all went ahead

    rerun, errors = load(system, lines)

    assert (rerun.applied, rerun.failed, rerun.held_back, errors) == (1 + held, 0, 0, "")
    with EmbeddedSystem(tmp_path / "clean") as clean:
        assert load(clean, lines)[0].ok
        for person in ("H1", "H2"):  # each service's own history in file order (reactions interleave freely)
            assert per_service(replay(system, person)) == per_service(replay(clean, person)), person
