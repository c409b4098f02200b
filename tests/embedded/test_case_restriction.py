"""Restricted cases (protected identity, staff relative, high profile): marked and lifted in intake, kept by every
service, and to anyone not named an unknown person on every way a case is read, with no read recorded.

The edges are driven here with a stand-in for the token verifier (a token is its caller's name); the real identity
provider, over HTTP between running services, is in tests/integration/test_case_restriction.py.
"""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID, uuid4

import pytest
from nameko.testing.services import worker_factory
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request, Response

from pathway.embedded import EmbeddedSystem
from pathway.services import SERVICES
from services.intake.service import IntakeService
from services.programmes.service import ProgrammesService
from services.release.service import ReleaseService
from shared.auth.gate import Gate
from shared.auth.principal import Principal
from shared.auth.tokens import TokenVerifier
from shared.contracts.base import NationalId, person_id_for
from shared.errors import InvalidInput
from shared.eventstore.read_log import case_reads_in
from shared.nameko_edge import ServiceHandle
from shared.restriction import CaseRestriction, may_see, without_restricted
from tests import examples as ex
from tests.embedded.helpers import TEST_READER, load, replay, types
from tests.stores import BOTH_STORES

pytestmark = BOTH_STORES

# The officer the import lines name: who marks a case may always see it.
MARKER = ex.CLERK["id"]
NAMED = "auditor"  # named in the restriction (tests/examples.py)
OTHER = "probation-officer"  # holds a role that reads cases, and is not named
PURPOSE = "checking the supervision file"
EDGES = {"intake": IntakeService, "programmes": ProgrammesService, "release": ReleaseService}


def person(value: str = "A1") -> UUID:
    return person_id_for(NationalId(**ex.nid(value)))


def staff(subject: str) -> Principal:
    """A member of staff as the tests' identity provider names them: the role is the subject."""
    return Principal(subject=subject, agency="ministry-of-justice", roles=frozenset({subject}), client_id=subject)


class StaffByName(TokenVerifier):
    """A stand-in verifier: the token is the caller's name. The gate and the edge behind it are the real ones."""

    def __init__(self) -> None:  # no provider to ask
        pass

    def verify(self, token: str) -> Principal:
        return staff(token)


def edge(system: EmbeddedSystem, service: str, caller: str | None = None) -> Any:
    """The service's nameko edge over the embedded store, behind a gate; `caller` makes the RPC calls."""
    handle = ServiceHandle(system.apps[service], SERVICES[service].translate, Gate(StaffByName()))
    return worker_factory(EDGES[service], application=handle, caller=f"Bearer {caller}" if caller else None)


def get(worker: Any, path: str, caller: str, purpose: str | None = PURPOSE) -> Response:
    headers = {"Authorization": f"Bearer {caller}", **({"X-Pathway-Purpose": purpose} if purpose else {})}
    request = Request(EnvironBuilder(path=path, method="GET", headers=list(headers.items())).get_environ())
    if path.endswith("/events") and path.startswith("/persons/"):
        return worker.http_person_events(request, path.split("/")[2])  # type: ignore[no-any-return]
    return worker.http_query(request, path.lstrip("/"))  # type: ignore[no-any-return]


def supervised(*values: str) -> list[dict[str, Any]]:
    """People under a non-custodial measure, each with a contact and an officer (release's lists name them)."""
    return [
        line
        for value in values
        for line in (
            ex.register_person(value),
            ex.non_custodial_measure(value),
            ex.assign_officer(value),
            ex.record_contact(value),
        )
    ]


def restricted(system: EmbeddedSystem, value: str = "A1", **given: Any) -> None:
    report = load(system, [ex.restrict_case(value, **given)])
    assert report.ok, report.errors
    system.settle()


# --- marking and lifting are events, and every service keeps them -------------------------------------------------


def test_a_restriction_is_an_event_of_the_person_published_and_kept_by_every_service(system: EmbeddedSystem) -> None:
    assert load(system, [*ex.catalogue(), *ex.custodial_pathway("A1")]).ok

    restricted(system, "A1", grounds="staff_relative")

    (marked,) = [entry for entry in replay(system, "A1") if entry["type"] == "intake.case.restricted"]
    assert marked["data"] == {"person_id": str(person()), "grounds": "staff_relative", "may_see": [NAMED, MARKER]}
    assert marked["actor"]["id"] == MARKER
    for name, app in system.apps.items():
        record = app.get_or_none(CaseRestriction.id_for(person()))
        assert (record.grounds, record.may_see) == ("staff_relative", [NAMED, MARKER]), name
        assert may_see(app, person(), staff(NAMED)), name
        assert may_see(app, person(), staff(MARKER)), name
        assert not may_see(app, person(), staff(OTHER)), name
        assert may_see(app, person(), None), name  # an open gate checks nobody


def test_lifting_opens_the_case_again_in_every_service(system: EmbeddedSystem) -> None:
    assert load(system, [*ex.catalogue(), *ex.custodial_pathway("A1")]).ok
    restricted(system)

    assert load(system, [ex.lift_case_restriction("A1")]).ok
    system.settle()

    (lifted,) = [entry for entry in replay(system, "A1") if entry["type"] == "intake.case.restriction-lifted"]
    assert lifted["data"] == {"person_id": str(person()), "reason": "the threat to the person has passed"}
    for name, app in system.apps.items():
        assert not app.get_or_none(CaseRestriction.id_for(person())).restricted, name
        assert may_see(app, person(), staff(OTHER)), name


def test_the_same_restriction_again_changes_nothing_and_another_replaces_who_may_see(system: EmbeddedSystem) -> None:
    assert load(system, [ex.register_person("A1")]).ok
    restricted(system)
    restricted(system)  # the same again: skipped

    restricted(system, may_see=[OTHER])

    assert types(replay(system, "A1")).count("intake.case.restricted") == 2
    for app in system.apps.values():
        assert may_see(app, person(), staff(OTHER))
        assert not may_see(app, person(), staff(NAMED))


def test_lifting_a_case_that_is_not_restricted_is_refused(system: EmbeddedSystem) -> None:
    assert load(system, [ex.register_person("A1")]).ok

    report = load(system, [ex.lift_case_restriction("A1")])

    assert not report.ok
    assert "lifting refused: the case is not restricted" in report.errors[0]


@pytest.mark.parametrize(
    ("given", "field"),
    [
        ({"may_see": []}, "may_see"),
        ({"may_see": [f"staff-{n}" for n in range(51)]}, "may_see"),
        ({"grounds": "curiosity"}, "grounds"),
    ],
)
def test_a_restriction_names_its_grounds_and_at_least_one_and_at_most_fifty_people(
    system: EmbeddedSystem, given: dict[str, Any], field: str
) -> None:
    assert load(system, [ex.register_person("A1")]).ok

    with pytest.raises(InvalidInput) as refused:
        system.execute("intake", "restrict_case", ex.restrict_case("A1", **given)["data"])

    assert [problem.field for problem in refused.value.problems] == [field]


def test_a_record_merged_into_another_restricts_the_whole_case(system: EmbeddedSystem) -> None:
    assert load(system, [ex.register_person("A1"), ex.register_person("A2")]).ok
    restricted(system, "A2")

    merge = {"national_id": ex.nid("A1"), "merged_person_id": str(person("A2")), "reason": "duplicate"}
    assert load(system, [ex.line("intake", "merge_persons", **merge)]).ok
    system.settle()

    for app in system.apps.values():
        assert not may_see(app, person("A1"), staff(OTHER))
        assert not may_see(app, person("A2"), staff(OTHER))
        assert may_see(app, person("A1"), staff(NAMED))

    restricted(system, "A1", may_see=[OTHER])  # the case's restriction: each record of it that has one

    for app in system.apps.values():
        assert may_see(app, person("A1"), staff(OTHER))
        assert not may_see(app, person("A1"), staff(NAMED))
    assert load(system, [ex.lift_case_restriction("A2")]).ok  # named by its merged record: the case's survivor
    system.settle()
    for app in system.apps.values():
        assert may_see(app, person("A1"), staff(NAMED))
        assert may_see(app, person("A2"), staff(NAMED))


# --- reads of a restricted case answer as for an unknown person, and record nothing -----------------------------


def test_a_persons_events_over_http_answer_as_for_an_unknown_person_and_record_no_read(system: EmbeddedSystem) -> None:
    assert load(system, [*ex.catalogue(), *ex.custodial_pathway("A1")]).ok
    restricted(system)

    for service in SERVICES:
        worker = edge(system, service)
        refused = get(worker, f"/persons/{person()}/events", OTHER)
        unknown = get(worker, f"/persons/{uuid4()}/events", OTHER)
        unstated = get(worker, f"/persons/{person()}/events", OTHER, purpose=None)
        seen = get(worker, f"/persons/{person()}/events", NAMED)

        assert (refused.status_code, refused.get_data()) == (unknown.status_code, unknown.get_data()), service
        assert refused.status_code == 404
        assert json.loads(refused.get_data()) == {"error": "person_id: unknown person"}
        assert sorted(refused.headers.items()) == sorted(unknown.headers.items())
        assert unstated.status_code == 404  # told apart from a known case by nothing, not even the purpose asked
        assert seen.status_code == 200, service
        assert json.loads(seen.get_data()), service
        assert [read.reader for read in case_reads_in(system.apps[service], person())] == [NAMED], service


def test_a_persons_events_and_reads_over_rpc_are_empty_and_record_nothing(system: EmbeddedSystem) -> None:
    assert load(system, [*ex.catalogue(), *ex.custodial_pathway("A1")]).ok
    restricted(system)

    unknown = uuid4()
    for service in SERVICES:
        refused = edge(system, service, OTHER)
        assert refused.person_events(str(person()), purpose=PURPOSE) == []
        assert refused.case_reads(str(person()), purpose=PURPOSE) == []
        assert case_reads_in(system.apps[service], person()) == []
        # A person unknown here answers alike, and its probe is not recorded, so the reads tell nothing apart.
        assert refused.person_events(str(unknown), purpose=PURPOSE) == []
        assert refused.case_reads(str(unknown), purpose=PURPOSE) == []
        assert case_reads_in(system.apps[service], unknown) == []

        seen = edge(system, service, NAMED).person_events(str(person()), purpose=PURPOSE)
        assert seen, service
        assert [read.reader for read in case_reads_in(system.apps[service], person())] == [NAMED]


def test_a_national_id_does_not_reveal_a_restricted_case_except_to_those_named_and_the_importer(
    system: EmbeddedSystem,
) -> None:
    assert load(system, [ex.register_person("A1")]).ok
    restricted(system)

    assert edge(system, "intake", OTHER).resolve_person(ex.ISSUER, "A1") is None
    assert edge(system, "intake", NAMED).resolve_person(ex.ISSUER, "A1") == str(person())
    assert edge(system, "intake", "importer").resolve_person(ex.ISSUER, "A1") == str(person())


def test_a_query_reading_the_case_answers_as_for_an_unknown_person_on_rpc_and_http(system: EmbeddedSystem) -> None:
    assert load(system, [*ex.catalogue(), *ex.custodial_pathway("A1")]).ok
    restricted(system, may_see=["programme-officer"])
    worker = edge(system, "programmes", OTHER)

    for name in ("learning-record",):  # the queries a probation officer may ask that read a case
        refused = worker.query(name, {"person_id": str(person())}, {"purpose": PURPOSE})
        unknown = worker.query(name, {"person_id": str(uuid4())}, {"purpose": PURPOSE})
        assert refused == unknown == {"ok": False, "status": 404, "error": "person_id: unknown person"}
    for route in ("learning-record", "plan-proposals"):
        by_http = [get(edge(system, "programmes"), f"/persons/{p}/{route}", "auditor") for p in (person(), uuid4())]
        assert {(r.status_code, r.get_data()) for r in by_http} == {(404, b'{"error": "person_id: unknown person"}')}
    assert edge(system, "programmes", "programme-officer").query(
        "learning-record", {"person_id": str(person())}, {"purpose": PURPOSE}
    )["ok"]
    assert [read.reader for read in case_reads_in(system.apps["programmes"], person())] == ["programme-officer"]


def test_the_answer_for_a_restricted_case_is_exactly_an_unknown_persons_for_every_query_reading_a_case(
    system: EmbeddedSystem,
) -> None:
    assert load(system, [*ex.catalogue(), *ex.custodial_pathway("A1")]).ok
    restricted(system, may_see=["nobody-here"])

    for service, parts in SERVICES.items():
        worker = edge(system, service, "auditor")
        for name in [name for name, query in parts.queries.items() if query.reads_case]:
            refused, unknown = (
                worker.query(name, {"person_id": str(who)}, {"purpose": PURPOSE}) for who in (person(), uuid4())
            )
            assert refused == unknown, (service, name)


# --- lists of people leave out those the reader may not see ---------------------------------------------------------


def test_a_list_report_leaves_out_the_rows_of_a_restricted_case_for_those_not_named(system: EmbeddedSystem) -> None:
    assert load(system, supervised("B1", "B2")).ok
    restricted(system, "B1")

    def rows(caller: str, name: str) -> Any:
        reply = edge(system, "release", caller).query(name, {"on": "2025-03-01"})
        assert reply["ok"], reply
        return reply["answer"]

    assert [row["person_id"] for row in rows(OTHER, "compliance")] == [str(person("B2"))]
    assert {row["person_id"] for row in rows(NAMED, "compliance")} == {str(person("B1")), str(person("B2"))}
    assert rows(OTHER, "caseload") == [{"officer_id": "officer-1", "people": 1, "person_ids": [str(person("B2"))]}]
    (load_seen,) = rows(NAMED, "caseload")
    assert load_seen["people"] == 2
    by_http = get(edge(system, "release"), "/reports/compliance?on=2025-03-01", OTHER, purpose=None)
    assert [row["person_id"] for row in json.loads(by_http.get_data())] == [str(person("B2"))]


def test_leaving_out_follows_merges_and_lifting_and_an_open_gate_sees_every_row(system: EmbeddedSystem) -> None:
    assert load(system, supervised("B1", "B2")).ok
    app = system.apps["release"]
    answer = system.query("release", "compliance", {"on": "2025-03-01"}, TEST_READER)
    restricted(system, "B2")
    merge = {"national_id": ex.nid("B1"), "merged_person_id": str(person("B2")), "reason": "duplicate"}
    assert load(system, [ex.line("intake", "merge_persons", **merge)]).ok
    system.settle()

    assert len(answer) == 2
    assert without_restricted(app, answer, staff(OTHER)) == []  # B1's case now holds B2's restricted record
    assert without_restricted(app, answer, staff(NAMED)) == answer
    assert without_restricted(app, answer, None) == answer
    assert load(system, [ex.lift_case_restriction("B1")]).ok
    system.settle()
    assert without_restricted(app, answer, staff(OTHER)) == answer
