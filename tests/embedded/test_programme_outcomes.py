"""Outcomes through `pathway import` lines: how participations end, and certificates."""

from __future__ import annotations

from typing import Any

from pathway.embedded import EmbeddedSystem
from tests import examples as ex
from tests.embedded.helpers import is_subsequence, load, replay, types
from tests.embedded.test_programme_places import cohort, waiting


def end(value: str, outcome: str, **extra: Any) -> dict[str, Any]:
    data = {"national_id": ex.nid(value), "programme_id": "P-WELD", "ended_on": "2025-03-05", "outcome": outcome}
    return ex.line("programmes", "end_participation", **{**data, "reason": "tutor's assessment", **extra})


def figures(system: EmbeddedSystem) -> dict[str, Any]:
    (row,) = system.query("programmes", "programmes", {})
    return row


def test_a_completion_ends_the_participation_with_a_certificate_from_the_awarding_body(system: EmbeddedSystem) -> None:
    lines = [
        ex.publish_programme("P-WELD", awarding_body="National Awarding Body"),
        *[ex.register_person("A1"), ex.custodial_sentence("A1"), ex.admit("A1"), ex.enrol("A1")],
        ex.attend("A1", "2025-02-08"),
        ex.attend("A1", "2025-02-15"),
        ex.complete_programme("A1"),
    ]
    assert load(system, lines).ok

    entries = replay(system, "A1")
    wanted = ["programmes.programme.completed", "programmes.participation.ended", "programmes.certificate.awarded"]
    assert is_subsequence(wanted, types(entries))
    (certificate,) = [e["data"] for e in entries if e["type"] == "programmes.certificate.awarded"]
    assert certificate == {
        "person_id": certificate["person_id"],
        "programme_id": "P-WELD",
        "awarding_body": "National Awarding Body",
        "certificate_no": "CERT-A1",
        "awarded_on": "2025-03-01",
    }
    assert "Prison" not in str(certificate)


def test_a_failed_participation_frees_its_place_for_the_next_waiting(system: EmbeddedSystem) -> None:
    loaded = load(system, [*cohort(), end("A1", "failed"), end("A1", "failed")])

    assert loaded.ok, loaded.errors
    assert loaded.skipped == 1
    assert waiting(system) == ["R-C1-P-WELD", "R-D1-P-WELD"]
    assert {k: figures(system)[k] for k in ("enrolled", "completed", "dropped_out")} == {
        "enrolled": 1,
        "completed": 0,
        "dropped_out": 1,
    }
    (ended,) = [e["data"] for e in replay(system, "A1") if e["type"] == "programmes.participation.ended"]
    assert ended["outcome"] == "failed"
    assert "reason" not in ended


def test_a_completion_with_discretion_needs_no_attendance_but_a_certificate_number(system: EmbeddedSystem) -> None:
    refused = load(system, [*cohort(), end("A1", "completed_with_discretion")])
    assert "certificate_no: required with completed_with_discretion" in refused.errors[0]

    assert load(system, [end("A1", "completed_with_discretion", certificate_no="CERT-D-1")]).ok
    assert figures(system)["completed"] == 1
    assert "release.achievement.recorded" in types(replay(system, "A1"))


def test_a_needs_assessment_is_in_the_replay_without_its_barriers(system: EmbeddedSystem) -> None:
    assessment = ex.line(
        "programmes",
        "assess_needs",
        national_id=ex.nid("A1"),
        assessment_id="NA-1",
        assessed_on="2025-01-20",
        education_level="lower_secondary",
        literacy="level_1",
        numeracy="entry",
        work_readiness="partly_ready",
        barriers=["ZZ-BARRIER"],
    )
    loaded = load(system, [ex.register_person("A1"), assessment, assessment])

    assert loaded.ok, loaded.errors
    assert loaded.skipped == 1
    (assessed,) = [e["data"] for e in replay(system, "A1") if e["type"] == "programmes.needs.assessed"]
    assert (assessed["numeracy"], assessed["withheld_fields"]) == ("entry", ["barriers"])
    assert "ZZ-BARRIER" not in str(replay(system, "A1"))
