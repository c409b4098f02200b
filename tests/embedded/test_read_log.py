"""The read log: every read of a person's case recorded by each service in its own store, listed by `pathway reads`.

The store-level tests run on SQLite and PostgreSQL through the same code the command line runs; the command-line
tests drive `pathway.cli.main` on a data folder.
"""

from __future__ import annotations

import argparse
import getpass
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from nameko.testing.services import worker_factory
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from pathway.embedded import EmbeddedSystem
from pathway.reads import cmd_reads
from pathway.replay import StoreSource, resolve_in_store, timeline
from pathway.report import cmd_report
from pathway.services import SERVICES
from services.intake.service import IntakeService
from shared.contracts.base import NationalId
from shared.eventstore import read_log
from shared.eventstore.application import PathwayApplication
from shared.eventstore.read_log import case_reads_in
from shared.eventstore.reading import head
from shared.nameko_edge import ServiceHandle
from shared.reader import Reader
from tests import examples as ex
from tests.embedded.helpers import load
from tests.embedded.test_cli import run, write_jsonl
from tests.embedded.test_programme_learning_record import lines as learning_lines
from tests.stores import BOTH_STORES

pytestmark = BOTH_STORES

AUDITOR = Reader("alice", purpose="complaint 2025/17", agency="inspectorate", role="auditor")


@pytest.fixture(autouse=True)
def no_stated_reader(monkeypatch: pytest.MonkeyPatch) -> None:
    """Who runs the tests must not decide what they find."""
    monkeypatch.delenv("PATHWAY_READER", raising=False)


def person(system: EmbeddedSystem, value: str = "A1") -> UUID:
    return resolve_in_store(system.apps["intake"], NationalId(issuer=ex.ISSUER, value=value))


def replay_as(system: EmbeddedSystem, reader: Reader, value: str = "A1") -> list[dict[str, Any]]:
    """What `pathway replay` does on the stores."""
    sources = [StoreSource(app, SERVICES[name].translate, reader) for name, app in system.apps.items()]
    return timeline(sources, person(system, value))


def args(value: str = "A1", **given: Any) -> argparse.Namespace:
    stated = {"reader": None, "purpose": None, "agency": None, "role": None, **given}
    return argparse.Namespace(person=f"{ex.ISSUER}:{value}", amqp_uri=None, format="json", **stated)


def opener(system: EmbeddedSystem) -> Callable[[str], PathwayApplication]:
    """Opens a service's store afresh, as the command line does (it closes what it opened)."""
    return lambda name: SERVICES[name].build(dict(system.apps[name].env))


def no_remote(uri: str) -> Any:
    raise AssertionError("no --amqp-uri was given")


def reads(system: EmbeddedSystem, value: str = "A1", **given: Any) -> list[dict[str, Any]]:
    """What `pathway reads --format json` answers (itself recorded as a read)."""
    out = io.StringIO()
    assert cmd_reads(args(value, **given), out, opener(system), no_remote) == 0
    listed: list[dict[str, Any]] = json.loads(out.getvalue())
    return listed


def read_learning_record(system: EmbeddedSystem, **given: Any) -> dict[str, Any]:
    out = io.StringIO()
    asked = args(**given, query=SERVICES["programmes"].queries["learning-record"])
    assert cmd_report(asked, out, io.StringIO(), opener(system), no_remote) == 0
    record: dict[str, Any] = json.loads(out.getvalue())
    return record


def test_a_replay_records_one_read_per_service_with_the_reader_and_purpose(system: EmbeddedSystem) -> None:
    assert load(system, ex.catalogue() + ex.custodial_pathway("A1")).ok

    replay_as(system, AUDITOR)

    for name, app in system.apps.items():
        (read,) = case_reads_in(app, person(system))
        assert (read.service, read.person_id, read.what, read.how) == (name, str(person(system)), "replay", "store")
        assert (read.reader, read.purpose, read.agency, read.role) == (
            "alice",
            "complaint 2025/17",
            "inspectorate",
            "auditor",
        )


def test_a_learning_record_read_is_recorded_by_programmes(system: EmbeddedSystem) -> None:
    assert load(system, learning_lines()).ok

    record = read_learning_record(system, reader="bob", purpose="individual plan")

    assert record["person_id"] == str(person(system))
    (read,) = case_reads_in(system.apps["programmes"], person(system))
    assert (read.reader, read.purpose, read.what, read.how) == ("bob", "individual plan", "learning-record", "store")
    assert case_reads_in(system.apps["intake"], person(system)) == []  # only programmes was read


def test_pathway_reads_lists_every_read_in_the_order_it_happened(system: EmbeddedSystem) -> None:
    assert load(system, learning_lines()).ok
    replay_as(system, AUDITOR)
    read_learning_record(system, reader="bob")

    first = reads(system, reader="carol", purpose="audit of reads")
    second = reads(system)

    assert [(r["service"], r["what"], r["reader"]) for r in first] == [
        ("intake", "replay", "alice"),
        ("programmes", "replay", "alice"),
        ("release", "replay", "alice"),
        ("programmes", "learning-record", "bob"),
    ]
    assert [r["read_at"] for r in first] == sorted(r["read_at"] for r in first)
    assert second[:4] == first  # the log only grows
    listing = [(r["service"], r["what"], r["reader"], r["purpose"]) for r in second[4:]]
    assert listing == [(name, "reads", "carol", "audit of reads") for name in ("intake", "programmes", "release")]


def test_a_read_with_no_stated_reader_is_recorded_as_the_os_user(
    system: EmbeddedSystem, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert load(system, ex.catalogue() + ex.custodial_pathway("A1")).ok

    read_learning_record(system)
    monkeypatch.setenv("PATHWAY_READER", "clerk-17")
    read_learning_record(system)

    readers = [r["reader"] for r in reads(system)]
    assert readers == [f"os:{getpass.getuser()}", "clerk-17"]


def test_a_person_nobody_read_has_an_empty_list(system: EmbeddedSystem) -> None:
    assert load(system, ex.catalogue() + ex.custodial_pathway("A1") + ex.non_custodial_pathway("B1")).ok
    replay_as(system, AUDITOR, "A1")

    assert reads(system, "B1") == []
    assert {r["what"] for r in reads(system, "B1")} == {"reads"}  # asking was itself a read


def test_reads_of_a_record_merged_into_another_are_reads_of_the_survivors_case(system: EmbeddedSystem) -> None:
    assert load(system, [ex.register_person("M1"), ex.register_person("M2")]).ok
    replay_as(system, Reader("before the merge"), "M2")
    merged = str(person(system, "M2"))
    merge = ex.line("intake", "merge_persons", national_id=ex.nid("M1"), merged_person_id=merged, reason="duplicate")
    assert load(system, [merge]).ok

    listed = reads(system, "M1")

    assert {(r["reader"], r["person_id"]) for r in listed} == {("before the merge", merged)}


def test_reads_are_not_events_they_are_never_published_nor_replayed(system: EmbeddedSystem) -> None:
    assert load(system, learning_lines()).ok
    system.settle()
    heads = {name: head(app) for name, app in system.apps.items()}
    before = replay_as(system, AUDITOR)

    read_learning_record(system, reader="bob")
    reads(system)
    after = replay_as(system, AUDITOR)

    assert after == before
    assert not any("read" in entry["type"] for entry in after)
    assert {name: head(app) for name, app in system.apps.items()} == heads  # nothing new in any notification log
    assert system.is_settled()  # so nothing for a relay to publish
    assert system.settle().rounds == 0


def test_a_read_that_cannot_be_recorded_fails_and_returns_nothing(
    system: EmbeddedSystem, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert load(system, ex.catalogue() + ex.custodial_pathway("A1")).ok

    def broken(*_: Any) -> None:
        raise OSError("the read log is unavailable")

    monkeypatch.setattr(read_log, "record_read", broken)
    with pytest.raises(OSError, match="read log"):
        replay_as(system, AUDITOR)
    with pytest.raises(OSError, match="read log"):
        read_learning_record(system, reader="bob")


def test_an_http_read_records_the_reader_its_headers_state(system: EmbeddedSystem) -> None:
    assert load(system, ex.catalogue() + ex.custodial_pathway("A1")).ok
    handle = ServiceHandle(system.apps["intake"], SERVICES["intake"].translate)
    service = worker_factory(IntakeService, application=handle)
    headers = {"X-Pathway-Reader": "dana", "X-Pathway-Purpose": "appeal", "X-Pathway-Agency": "court"}

    stated = service.http_person_events(request(headers), str(person(system)))
    unstated = service.http_person_events(request({}), str(person(system)))

    assert stated.status_code == unstated.status_code == 200
    assert [(r.reader, r.purpose, r.agency, r.how) for r in case_reads_in(system.apps["intake"], person(system))] == [
        ("dana", "appeal", "court", "http"),
        ("unstated", None, None, "http"),
    ]


def request(headers: dict[str, str]) -> Request:
    return Request(EnvironBuilder(method="GET", headers=list(headers.items())).get_environ())


# --- the command line (SQLite stores in a data folder) ---------------------------------------------------------


@pytest.fixture
def data(tmp_path: Path) -> Path:
    lines = [*learning_lines(), ex.register_person("B1")]
    folder = tmp_path / "data"
    code, _, err = run("import", str(write_jsonl(tmp_path / "c.jsonl", lines)), "--data", str(folder))
    assert code == 0, err
    return folder


def cli_reads(data: Path, person: str, *extra: str) -> list[dict[str, Any]]:
    code, out, err = run("reads", person, "--data", str(data), "--format", "json", *extra)
    assert code == 0, err
    listed: list[dict[str, Any]] = json.loads(out)
    return listed


def test_the_command_line_records_replays_and_reports_and_lists_them(data: Path) -> None:
    a1 = f"{ex.ISSUER}:A1"
    stated = ("--reader", "erin", "--purpose", "case review", "--agency", "ombudsman", "--role", "investigator")
    assert run("replay", a1, "--data", str(data), *stated)[0] == 0
    assert run("report", "learning-record", a1, "--data", str(data), "--reader", "finn")[0] == 0
    assert run("report", "plan-proposals", a1, "--data", str(data))[0] == 0

    listed = cli_reads(data, a1)

    assert [(r["service"], r["what"], r["how"], r["reader"]) for r in listed] == [
        ("intake", "replay", "store", "erin"),
        ("programmes", "replay", "store", "erin"),
        ("release", "replay", "store", "erin"),
        ("programmes", "learning-record", "store", "finn"),
        ("programmes", "plan-proposals", "store", f"os:{getpass.getuser()}"),
    ]
    assert (listed[0]["purpose"], listed[0]["agency"], listed[0]["role"]) == (
        "case review",
        "ombudsman",
        "investigator",
    )
    code, table, _ = run("reads", a1, "--data", str(data))
    assert code == 0
    replay_at_intake = next(line for line in table.splitlines() if " intake " in line).split()
    assert replay_at_intake[1:] == ["intake", "replay", "store", "erin", "ombudsman/investigator", "case", "review"]
    assert cli_reads(data, f"{ex.ISSUER}:B1") == []


def test_the_command_line_reader_defaults_to_pathway_reader(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATHWAY_READER", "gina")
    assert run("replay", f"{ex.ISSUER}:A1", "--data", str(data))[0] == 0

    assert {r["reader"] for r in cli_reads(data, f"{ex.ISSUER}:A1")} == {"gina"}


def test_reads_of_nobody_known_is_refused(data: Path) -> None:
    code, out, err = run("reads", f"{ex.ISSUER}:NOBODY", "--data", str(data))

    assert (code, out) == (1, "")
    assert "no person is known" in err
