"""Eligibility by sex, risk and needs, and individual plans (Mandela 94), through `pathway import` and HTTP."""

from __future__ import annotations

import json
from typing import Any

from nameko.testing.services import worker_factory
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request, Response

from pathway.embedded import EmbeddedSystem
from pathway.replay import resolve_in_store
from services.programmes import translators
from services.programmes.service import ProgrammesService
from shared.contracts.base import NationalId
from shared.eventstore.read_log import case_reads_in
from shared.nameko_edge import ServiceHandle
from shared.registry.queries import ask
from shared.registry.roles import AUDITOR, PROGRAMME_OFFICER
from tests import examples as ex
from tests.embedded.helpers import TEST_READER, load, replay, types

SECRET_NEED = "substance_use"
CATALOGUE = [
    ex.publish_programme("P-WOMEN", title="Women's enterprise", eligibility={"sexes": ["female"]}),
    ex.publish_programme("P-MEN", title="Fathers' course", kind="life_skills", eligibility={"sexes": ["male"]}),
    ex.publish_programme("P-LIT", title="Literacy", kind="education", eligibility={"needs": ["literacy"]}),
    ex.publish_programme(
        "P-TSP", title="Thinking skills", kind="accredited_behaviour", eligibility={"risk_levels": ["medium", "high"]}
    ),
    ex.publish_programme("P-SUB", title="Recovery", kind="substance", eligibility={"needs": [SECRET_NEED]}),
]


def held(value: str, **registration: Any) -> list[dict[str, Any]]:
    return [ex.register_person(value, **registration), ex.custodial_sentence(value), ex.admit(value)]


def assess(value: str, **findings: Any) -> dict[str, Any]:
    data = {
        "national_id": ex.nid(value),
        "assessment_id": f"NA-{value}",
        "assessed_on": "2025-01-20",
        "education_level": "primary",
        "literacy": "below_entry",
        "numeracy": "entry",
        "work_readiness": "partly_ready",
        **findings,
    }
    return ex.line("programmes", "assess_needs", **data)


def plan(value: str, *goals: dict[str, Any]) -> dict[str, Any]:
    data = {"national_id": ex.nid(value), "plan_id": f"PLAN-{value}", "assessment_id": f"NA-{value}"}
    return ex.line("programmes", "draw_up_plan", **data, drawn_up_on="2025-01-25", goals=list(goals))


def proposals(system: EmbeddedSystem, value: str) -> dict[str, Any]:
    programmes = system.apps["programmes"]
    person_id = resolve_in_store(programmes, NationalId(issuer=ex.ISSUER, value=value))
    return system.query("programmes", "plan-proposals", {"person_id": person_id}, TEST_READER)  # type: ignore[no-any-return]


def test_sex_from_intakes_registration_decides_a_women_only_or_men_only_place(system: EmbeddedSystem) -> None:
    assert load(system, [*CATALOGUE, *held("A1"), *held("B1", sex="male")]).ok

    refused = load(system, [ex.enrol("A1", programme_id="P-MEN"), ex.enrol("B1", programme_id="P-WOMEN")])
    accepted = load(system, [ex.enrol("A1", programme_id="P-WOMEN"), ex.enrol("B1", programme_id="P-MEN")])

    assert refused.errors[0].endswith(
        "refused: the programme is for sexes male, and the person's recorded sex is not one"
    )
    assert "for sexes female, and the person's recorded sex is not one" in refused.errors[1]
    assert accepted.ok, accepted.errors


def test_risk_and_needs_from_the_assessment_decide_targeted_places_and_stay_unpublished(
    system: EmbeddedSystem,
) -> None:
    lines = [*CATALOGUE, *held("A1"), assess("A1", risk_of_reoffending="low", needs=["literacy", SECRET_NEED])]
    assert load(system, lines).ok

    refused = load(system, [ex.enrol("A1", programme_id="P-TSP")])
    assert "for risk levels medium, high, and the person's assessed risk is not one" in refused.errors[0]
    assert load(system, [ex.enrol("A1", programme_id="P-LIT")]).ok
    entries = replay(system, "A1")
    assert "programmes.needs.assessed" in types(entries)
    assert SECRET_NEED not in json.dumps(entries)
    assert '"low"' not in json.dumps(entries)


def test_a_plan_proposes_the_programmes_meeting_the_needs_and_names_only_eligible_ones(
    system: EmbeddedSystem,
) -> None:
    lines = [*CATALOGUE, *held("B1", sex="male"), assess("B1", risk_of_reoffending="high", needs=["literacy"])]
    assert load(system, lines).ok

    offered = proposals(system, "B1")
    assert [p["programme_id"] for p in offered["proposed"]] == ["P-LIT"]
    assert offered["proposed"][0]["needs_met"] == ["literacy"]

    refused = load(system, [plan("B1", {"need": "literacy", "programme_id": "P-WOMEN"})])
    assert "goals[0].programme_id: P-WOMEN refused: the programme is for sexes female" in refused.errors[0]
    missing = load(system, [plan("B1", {"need": "literacy", "programme_id": "P-NONE"})])
    assert "goals[0].programme_id: unknown programme" in missing.errors[0]
    goals = [{"need": "literacy", "programme_id": "P-LIT", "note": "ZZ-NOTE"}, {"need": "housing"}]
    assert load(system, [plan("B1", *goals)]).ok
    assert load(system, [plan("B1", *goals)]).applied == 0  # the same plan again

    drawn_up = [e for e in replay(system, "B1") if e["type"] == "programmes.plan.drawn-up"]
    assert drawn_up[0]["data"]["programme_ids"] == ["P-LIT"]
    assert "ZZ-NOTE" not in json.dumps(drawn_up)
    assert proposals(system, "B1")["plans"][0]["goals"][0]["note"] == "ZZ-NOTE"  # kept, for the staff


def test_plan_proposals_over_http_answer_the_person_or_the_error(system: EmbeddedSystem) -> None:
    assert load(system, [*CATALOGUE, *held("A1"), assess("A1", needs=["literacy"])]).ok
    person_id = resolve_in_store(system.apps["programmes"], NationalId(issuer=ex.ISSUER, value="A1"))
    app = ServiceHandle(system.apps["programmes"], translators.translate)
    service = worker_factory(ProgrammesService, application=app)

    def get(person: str) -> Response:
        path = f"/persons/{person}/plan-proposals"
        return service.http_query(Request(EnvironBuilder(path=path, method="GET").get_environ()), path.lstrip("/"))

    found = get(str(person_id))
    bad = get("not-a-uuid")

    assert found.status_code == 200
    assert [p["programme_id"] for p in json.loads(found.get_data(as_text=True))["proposed"]] == ["P-LIT"]
    assert bad.status_code == 422


def test_needs_and_risk_are_given_only_to_the_roles_entitled_and_such_a_read_says_so_in_the_read_log(
    system: EmbeddedSystem,
) -> None:
    lines = [*CATALOGUE, *held("B2", sex="male"), assess("B2", risk_of_reoffending="high", needs=["literacy"])]
    assert load(system, [*lines, plan("B2", {"need": "literacy", "programme_id": "P-LIT", "note": "ZZ-NOTE"})]).ok
    app = system.apps["programmes"]
    person_id = resolve_in_store(app, NationalId(issuer=ex.ISSUER, value="B2"))
    query = app.queries["plan-proposals"]

    def as_role(role: str) -> dict[str, Any]:
        return ask(app, query, {"person_id": person_id}, TEST_READER, "http", frozenset({role}))  # type: ignore[no-any-return]

    audited = as_role(AUDITOR)
    assert audited["assessed_needs"] is None
    assert audited["risk_of_reoffending"] is None
    assert audited["proposed"] is None
    assert audited["plans"][0]["goals"] == [{"need": None, "programme_id": "P-LIT", "note": None}]
    assert audited["withheld"] == [
        "assessed_needs",
        "plans.goals.need",
        "plans.goals.note",
        "proposed",
        "risk_of_reoffending",
    ]
    assert "literacy" not in json.dumps(audited)
    assert "high" not in json.dumps(audited)

    planned = as_role(PROGRAMME_OFFICER)
    assert (planned["assessed_needs"], planned["risk_of_reoffending"]) == (["literacy"], "high")
    assert planned["plans"][0]["goals"][0]["note"] == "ZZ-NOTE"
    assert "withheld" not in planned

    reads = [read.what for read in case_reads_in(app, person_id) if read.how == "http"]
    assert reads == ["plan-proposals", "plan-proposals (sensitive: needs, risk)"]
