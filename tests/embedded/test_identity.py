"""Several identifiers per person, possible matches, and merging duplicate records in every service."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

from pathway.cli import main
from pathway.embedded import EmbeddedSystem
from shared.contracts.base import NationalId, person_id_for
from tests import examples as ex
from tests.embedded.helpers import load, replay, types
from tests.stores import BOTH_STORES

pytestmark = BOTH_STORES

PRISON_NUMBER = {"kind": "prison_number", "issuer": "Test Prison Service", "value": "PN-1"}


def person_id(system: EmbeddedSystem, value: str) -> str:
    """The id intake gave the record registered under this national identifier."""
    return str(person_id_for(NationalId(**ex.nid(value))))


def merge(system: EmbeddedSystem, survivor: str, merged: str, command: str = "merge_persons") -> Any:
    data = {"national_id": ex.nid(survivor), "merged_person_id": person_id(system, merged), "reason": "duplicate"}
    return load(system, [ex.line("intake", command, **data)])


def two_records_of_one_person(system: EmbeddedSystem) -> None:
    """The same person, registered by two agencies under two national identifiers, one prison number."""
    report = load(
        system,
        [
            *ex.catalogue(),
            ex.register_person("A1", identifiers=[PRISON_NUMBER]),
            ex.custodial_sentence("A1"),
            ex.admit("A1"),
            ex.register_person("A2", identifiers=[PRISON_NUMBER]),
            ex.non_custodial_measure("A2", decision_id="D-A2", decided_on="2023-01-10"),
        ],
    )
    assert report.ok, report.errors


def test_a_shared_identifier_records_a_possible_match_for_a_person_to_decide(system: EmbeddedSystem) -> None:
    two_records_of_one_person(system)

    (match,) = [e for e in replay(system, "A2") if e["type"] == "intake.possible-match.recorded"]
    assert match["data"]["candidate_person_id"] == person_id(system, "A1")
    assert match["data"]["matched_on"] == ["prison_number"]


def test_the_replay_of_a_merged_person_shows_both_histories(system: EmbeddedSystem) -> None:
    two_records_of_one_person(system)
    merged_id = person_id(system, "A2")

    assert merge(system, "A1", "A2").ok

    for reference in ("A1", "A2"):  # by either record
        entries = replay(system, reference)
        people = {e["data"].get("person_id") for e in entries}
        assert merged_id in people
        assert person_id(system, "A1") in people
        assert "intake.persons.merged" in types(entries)
        assert {"intake", "release"} <= {e["service"] for e in entries if e["data"].get("person_id") == merged_id}


def test_after_a_merge_commands_for_either_record_reach_the_survivor(system: EmbeddedSystem) -> None:
    two_records_of_one_person(system)
    merge(system, "A1", "A2")

    report = load(system, [ex.enrol("A2", enrolled_on="2025-02-01")])  # A1 is the one in custody

    assert report.ok, report.errors
    started = [e for e in replay(system, "A1") if e["type"] == "programmes.enrolment.started"]
    assert [e["data"]["person_id"] for e in started] == [person_id(system, "A1")]


def test_an_unmerge_separates_the_histories_again(system: EmbeddedSystem) -> None:
    two_records_of_one_person(system)
    merge(system, "A1", "A2")

    assert merge(system, "A1", "A2", command="unmerge_persons").ok

    assert person_id(system, "A2") not in {e["data"].get("person_id") for e in replay(system, "A1")}
    assert types(replay(system, "A1"))[-1] == "intake.persons.unmerged"


def test_merging_a_record_into_itself_or_twice_elsewhere_is_refused(system: EmbeddedSystem) -> None:
    two_records_of_one_person(system)
    load(system, [ex.register_person("A3")])
    merge(system, "A1", "A2")

    assert "into itself" in merge(system, "A1", "A1").errors[0]
    assert "already merged into another record" in merge(system, "A3", "A2").errors[0]
    assert merge(system, "A1", "A2").skipped == 1  # the same merge again


def test_the_replay_json_of_a_merged_person_from_the_command_line(tmp_path: Path) -> None:
    lines = [
        ex.register_person("B1", identifiers=[PRISON_NUMBER]),
        ex.register_person("B2", identifiers=[PRISON_NUMBER]),
    ]
    file = tmp_path / "people.jsonl"
    file.write_text("".join(json.dumps(line) + "\n" for line in lines))
    data = tmp_path / "data"
    main(["import", str(file), "--data", str(data)], out=io.StringIO(), err=io.StringIO())
    out = io.StringIO()
    main(["replay", f"{ex.ISSUER}:B2", "--data", str(data), "--format", "json"], out=out)
    b2 = json.loads(out.getvalue())[0]["data"]["person_id"]
    out = io.StringIO()
    main(["replay", f"{ex.ISSUER}:B1", "--data", str(data), "--format", "json"], out=out)
    b1 = json.loads(out.getvalue())[0]["data"]["person_id"]
    merge_line = ex.line("intake", "merge_persons", person_id=b1, merged_person_id=b2, reason="same prison number")
    file.write_text(json.dumps(merge_line) + "\n")
    assert main(["import", str(file), "--data", str(data)], out=io.StringIO(), err=io.StringIO()) == 0

    out = io.StringIO()
    main(["replay", b2, "--data", str(data), "--format", "json"], out=out)

    registered = [e["data"]["person_id"] for e in json.loads(out.getvalue()) if e["type"] == "intake.person.registered"]
    assert registered == [b1, b2]


def add_identifier(person: str, identifier: dict[str, str]) -> dict[str, Any]:
    return ex.line("intake", "add_identifier", national_id=ex.nid(person), identifier=identifier)


def test_a_second_national_identifier_names_the_person_in_every_service(system: EmbeddedSystem) -> None:
    second = {"kind": "national_id", "issuer": "OTHER-NID", "value": "X-9"}
    lines = [*ex.catalogue(), ex.register_person("C1"), ex.custodial_sentence("C1"), ex.admit("C1")]
    lines += [add_identifier("C1", second), add_identifier("C1", second)]
    enrol = ex.enrol("C1")
    enrol["data"]["national_id"] = {"issuer": "OTHER-NID", "value": "X-9"}
    report = load(system, [*lines, enrol])

    assert report.ok, report.errors
    assert report.skipped == 1  # the same identifier again
    assert "programmes.enrolment.started" in types(replay(system, "C1"))


def test_an_identifier_held_by_someone_else_is_a_possible_match_not_a_second_owner(system: EmbeddedSystem) -> None:
    load(system, [ex.register_person("D1", identifiers=[PRISON_NUMBER]), ex.register_person("D2")])

    report = load(system, [add_identifier("D2", PRISON_NUMBER)])

    assert report.ok, report.errors
    (match,) = [e["data"] for e in replay(system, "D2") if e["type"] == "intake.possible-match.recorded"]
    assert match["candidate_person_id"] == person_id(system, "D1")
    assert "intake.identifier.added" not in types(replay(system, "D2"))
