"""Intake's nameko entrypoints for classification, on a real (SQLite) application: HTTP and RPC answers."""

from __future__ import annotations

import json
from typing import Any

import pytest
from nameko.testing.services import worker_factory
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request, Response

from pathway.embedded import EmbeddedSystem
from services.intake import translators
from services.intake.service import IntakeService
from shared.errors import InvalidInput
from shared.nameko_edge import ServiceHandle, raise_reply
from tests import examples as ex
from tests.embedded.helpers import load

SECRET = "ZZ-SECRET-NEED"


@pytest.fixture
def service(system: EmbeddedSystem) -> Any:
    lines = [ex.register_person("A1"), ex.custodial_sentence("A1"), ex.admit("A1")]
    assert load(system, lines).ok
    return worker_factory(IntakeService, application=ServiceHandle(system.apps["intake"], translators.translate))


def post(service: Any, command: str, body: Any) -> tuple[int, Any]:
    request = Request(
        EnvironBuilder(method="POST", data=json.dumps(body), content_type="application/json").get_environ()
    )
    return answer(service.http_command(request, command))


def get_reviews(service: Any, query: str) -> tuple[int, Any]:
    path = "/reports/classification-reviews"
    request = Request(EnvironBuilder(path=path, method="GET", query_string=query).get_environ())
    return answer(service.http_query(request, path.lstrip("/")))


def rpc_reviews(service: Any, on: str) -> Any:
    """The overdue reviews over RPC, a refusal raised as the error it was."""
    reply = service.query("classification-reviews", {"on": on})
    if not reply["ok"]:
        raise_reply(reply)
    return reply["answer"]


def answer(response: Response) -> tuple[int, Any]:
    return response.status_code, json.loads(response.get_data(as_text=True))


def test_commands_over_http_answer_with_the_documented_statuses(service: Any) -> None:
    proposal = ex.propose_classification("A1", needs=[SECRET], next_review_due="2025-03-01")["data"]

    status, body = post(service, "propose_classification", proposal)
    assert (status, body["status"], body["result"]["assessment_id"]) == (200, "applied", "CA-A1-1")
    assert post(service, "propose_classification", proposal)[1]["status"] == "skipped"
    assert post(service, "decide_classification", {**ex.decide_classification("A1")["data"], "actor": ex.CLERK}) == (
        409,
        {
            "error": "decision refused: a second person decides (the proposer cannot approve or reject their own "
            "proposal)"
        },
    )
    status, body = post(service, "propose_classification", {**proposal, "proposed_level": SECRET})
    assert (status, [e["field"] for e in body["errors"]]) == (422, ["proposed_level"])
    assert SECRET not in json.dumps(body)
    unknown = {**proposal, "national_id": ex.nid("Z9")}
    assert post(service, "propose_classification", unknown) == (
        404,
        {"error": "national_id: no person is known by this identifier"},
    )
    status, body = post(service, "decide_classification", ex.decide_classification("A1")["data"])
    assert (status, body["status"], body["result"]["decision"]) == (200, "applied", "approved")


def test_overdue_reviews_over_http_and_rpc(service: Any) -> None:
    post(service, "propose_classification", ex.propose_classification("A1", next_review_due="2025-03-01")["data"])
    post(service, "decide_classification", ex.decide_classification("A1")["data"])

    status, rows = get_reviews(service, "on=2025-04-01")
    assert status == 200
    assert [(row["assessment_id"], row["days_overdue"]) for row in rows] == [("CA-A1-1", 31)]
    assert rpc_reviews(service, "2025-04-01") == rows
    assert get_reviews(service, "on=2025-02-01") == (200, [])
    assert get_reviews(service, "on=someday") == (
        422,
        {"errors": [{"field": "on", "problem": "must be a date (YYYY-MM-DD)"}]},
    )
    with pytest.raises(InvalidInput, match="on: must be a date"):
        rpc_reviews(service, "someday")
