"""Plausible values end to end: the longest terms accepted flow through to release without a dead letter, and
absurd report parameters are refused by name (422 over HTTP, InvalidInput over RPC, exit 2 on the command line)."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from pathway.cli import main
from pathway.embedded import EmbeddedSystem
from services.intake import translators as intake_translators
from services.intake.service import IntakeService
from services.release import translators as release_translators
from services.release.service import ReleaseService
from shared.contracts.bounds import MAX_TERM_DAYS, latest_date
from shared.errors import InvalidInput
from shared.nameko_edge import PathwayService, ServiceHandle, raise_reply
from tests import examples as ex
from tests.embedded.helpers import load, replay

LATEST = latest_date().isoformat()


def longest_terms(value: str) -> list[dict[str, Any]]:
    """Everything at its maximum: decided on the latest date, the longest sentence, consecutive sentences and
    added days on top of it, and the longest measure."""
    return [
        ex.register_person(value),
        ex.custodial_sentence(value, decided_on=LATEST, sentence_days=MAX_TERM_DAYS),
        ex.admit(value, admitted_at=f"{LATEST}T00:00:00+00:00"),
        *[
            ex.custodial_sentence(
                value,
                decision_id=f"D{n}-{value}",
                decided_on=LATEST,
                sentence_days=MAX_TERM_DAYS,
                consecutive_to=f"D{n - 1}-{value}" if n > 1 else f"D-{value}",
            )
            for n in range(1, 4)
        ],
        ex.sentence_adjustment(value, kind="added_days", days=MAX_TERM_DAYS, recorded_on=LATEST),
    ]


def test_the_longest_terms_accepted_are_calculated_without_a_dead_letter(system: EmbeddedSystem) -> None:
    measure = [ex.register_person("M1"), ex.non_custodial_measure("M1", decided_on=LATEST, measure_days=MAX_TERM_DAYS)]

    report = load(system, [*longest_terms("X1"), *measure])

    assert report.ok, report.errors
    assert all(not consumer.dead_letters() for consumer in system.consumers.values())
    calculations = [e["data"] for e in replay(system, "X1") if e["type"] == "release.release-dates.calculated"]
    latest = calculations[-1]
    assert latest["sentence_start"] == LATEST
    # Four sentences one after another and a century of added days: five terms, all counted.
    assert latest["sentence_end"] == (latest_date() + timedelta(days=5 * MAX_TERM_DAYS)).isoformat()
    assert latest["conditional_release_eligibility"] <= latest["sentence_end"]
    started = [e for e in replay(system, "M1") if e["type"] == "release.supervision.started"]
    assert started


def test_reports_as_far_ahead_as_accepted_answer(system: EmbeddedSystem) -> None:
    load(system, longest_terms("X1"))
    release = release_service(system)

    assert asked(release, "releases-due", on=LATEST, days=MAX_TERM_DAYS) == asked(
        release, "releases-due", on=LATEST, days=str(MAX_TERM_DAYS)
    )
    asked(release, "followups-due", on=LATEST, within=MAX_TERM_DAYS)
    asked(release, "reoffending", on=LATEST)
    asked(intake_service(system), "pretrial", on=LATEST)


# --- absurd report parameters ---------------------------------------------------------------------------------------


def release_service(system: EmbeddedSystem) -> ReleaseService:
    service = ReleaseService()
    service.application = ServiceHandle(system.apps["release"], release_translators.translate)
    return service


def intake_service(system: EmbeddedSystem) -> IntakeService:
    service = IntakeService()
    service.application = ServiceHandle(system.apps["intake"], intake_translators.translate)
    return service


def asked(service: PathwayService, name: str, **params: Any) -> Any:
    """A query answered over RPC, a refusal raised as the error it was."""
    reply = service.query(name, params)
    if not reply["ok"]:
        raise_reply(reply)
    return reply["answer"]


def get(query: dict[str, str], path: str = "/") -> Request:
    return Request(EnvironBuilder(path=path, method="GET", query_string=query).get_environ())


def refused(call: Any) -> dict[str, str]:
    with pytest.raises(InvalidInput) as error:
        call()
    return {p.field: p.problem for p in error.value.problems}


def test_absurd_report_parameters_are_refused_over_rpc(system: EmbeddedSystem) -> None:
    release, intake = release_service(system), intake_service(system)

    assert list(refused(lambda: asked(release, "releases-due", on="9999-12-31"))) == ["on"]
    assert list(refused(lambda: asked(release, "releases-due", on=LATEST, days=99999999999))) == ["days"]
    assert list(refused(lambda: asked(release, "caseload", on="0001-01-01"))) == ["on"]
    assert list(refused(lambda: asked(release, "followups-due", on=LATEST, within="99999999999"))) == ["within"]
    assert list(refused(lambda: asked(release, "reoffending", on="9999-12-31"))) == ["on"]
    assert list(refused(lambda: asked(intake, "occupancy", on="9999-12-31"))) == ["on"]
    assert list(refused(lambda: asked(intake, "pretrial", on="not a date"))) == ["on"]
    assert list(refused(lambda: asked(intake, "classification-reviews", on="9999-12-31"))) == ["on"]
    trend = {"from": "1800-01-01", "to": "9999-12-31", "every": "0"}
    assert set(refused(lambda: asked(intake, "occupancy-trend", **trend))) == {"from", "to", "every"}


@pytest.mark.parametrize(
    ("route", "query", "field"),
    [
        ("releases-due", {"on": "9999-12-31"}, "on"),
        ("releases-due", {"on": "2026-01-01", "days": "99999999999"}, "days"),
        ("followups-due", {"on": "2026-01-01", "within": "-3"}, "within"),
        ("reoffending", {"on": "9999-12-31"}, "on"),
        ("caseload", {"on": "2026-13-01"}, "on"),
    ],
)
def test_absurd_release_report_parameters_answer_422_by_name(
    system: EmbeddedSystem, route: str, query: dict[str, str], field: str
) -> None:
    response = release_service(system).http_query(get(query, f"/reports/{route}"), f"reports/{route}")

    assert response.status_code == 422
    [problem] = json.loads(response.get_data())["errors"]
    assert problem["field"] == field
    assert "99999999999" not in problem["problem"]


@pytest.mark.parametrize(
    ("route", "query", "field"),
    [
        ("occupancy", {"on": "9999-12-31"}, "on"),
        ("pretrial", {"on": "9999-12-31"}, "on"),
        ("classification-reviews", {"on": "9999-12-31"}, "on"),
        ("occupancy-trend", {"from": "2026-01-01", "to": "2026-02-01", "every": "99999999999"}, "every"),
        ("occupancy-trend", {"from": "2026-01-01", "to": "9999-12-31"}, "to"),
    ],
)
def test_absurd_intake_report_parameters_answer_422_by_name(
    system: EmbeddedSystem, route: str, query: dict[str, str], field: str
) -> None:
    response = intake_service(system).http_query(get(query, f"/reports/{route}"), f"reports/{route}")

    assert response.status_code == 422
    assert [p["field"] for p in json.loads(response.get_data())["errors"]] == [field]


@pytest.mark.parametrize(
    "argv",
    [
        ["releases-due", "--on", "9999-12-31"],
        ["releases-due", "--on", "2026-01-01", "--days", "99999999999"],
        ["followups-due", "--within", "-1"],
        ["occupancy-trend", "--from", "2026-01-01", "--to", "2026-02-01", "--every", "0"],
    ],
)
def test_absurd_report_options_are_a_usage_error(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["report", *argv, "--data", "unused"])

    assert exited.value.code == 2
    assert "must be" in capsys.readouterr().err
