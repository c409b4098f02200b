"""Whole pathways through the three services in one process, read back by replay."""

from __future__ import annotations

from pathway.embedded import EmbeddedSystem
from tests import examples as ex
from tests.embedded.helpers import is_subsequence, load, replay, types
from tests.stores import BOTH_STORES

pytestmark = BOTH_STORES

CUSTODIAL_ORDER = [
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


def test_custodial_pathway_replays_in_order_across_the_three_services(system: EmbeddedSystem) -> None:
    report = load(system, ex.catalogue() + ex.custodial_pathway("A1"))

    assert report.ok, report.errors
    entries = replay(system, "A1")
    assert is_subsequence(CUSTODIAL_ORDER, types(entries)), types(entries)
    assert {entry["service"] for entry in entries} == {"intake", "programmes", "release"}


def test_custodial_sentence_gets_release_dates_from_the_decision(system: EmbeddedSystem) -> None:
    load(system, [ex.register_person("A1"), ex.custodial_sentence("A1")])

    (dates,) = [e for e in replay(system, "A1") if e["type"] == "release.release-dates.calculated"]
    assert dates["data"]["sentence_end"] == "2026-09-02"
    assert dates["data"]["conditional_release_eligibility"] == "2026-02-14"
    assert dates["occurred_at"].startswith("2025-01-10")  # a reaction happens when its cause did


def test_conditional_release_supervises_until_the_sentence_end(system: EmbeddedSystem) -> None:
    load(system, ex.catalogue() + ex.custodial_pathway("A1"))

    (started,) = [e for e in replay(system, "A1") if e["type"] == "release.supervision.started"]
    assert started["data"]["supervision_type"] == "parole_licence"
    assert started["data"]["ends_on"] == "2026-09-02"


def test_non_custodial_measure_supervises_at_once_with_no_custody(system: EmbeddedSystem) -> None:
    report = load(system, ex.catalogue() + ex.non_custodial_pathway("B1"))

    assert report.ok, report.errors
    seen = types(replay(system, "B1"))
    assert "intake.person.admitted" not in seen
    assert is_subsequence(
        ["intake.court-decision.recorded", "release.supervision.started", "programmes.enrolment.started"], seen
    )


def test_release_withdraws_open_custody_enrolments(system: EmbeddedSystem) -> None:
    load(system, ex.catalogue() + ex.left_early_pathway("C1"))

    entries = replay(system, "C1")
    assert is_subsequence(["release.person.released", "programmes.enrolment.withdrawn"], types(entries))
    (withdrawn,) = [e for e in entries if e["type"] == "programmes.enrolment.withdrawn"]
    assert withdrawn["data"]["reason"] == "released_before_completion"


def test_community_enrolment_goes_on_after_release(system: EmbeddedSystem) -> None:
    lines = [
        *ex.catalogue(),
        ex.register_person("D1"),
        ex.custodial_sentence("D1"),
        ex.admit("D1"),
        ex.release("D1"),  # conditional: supervision starts
        ex.enrol("D1", programme_id="P-COMM", enrolled_on="2026-03-01"),
        ex.release("D1", released_on="2026-02-14"),  # the same release again: skipped
    ]
    report = load(system, lines)

    assert report.ok, report.errors
    assert report.skipped == 1
    assert "programmes.enrolment.withdrawn" not in types(replay(system, "D1"))


def test_completed_programme_enters_the_release_record(system: EmbeddedSystem) -> None:
    load(system, ex.catalogue() + ex.custodial_pathway("A1"))

    assert is_subsequence(
        ["programmes.programme.completed", "release.achievement.recorded"], types(replay(system, "A1"))
    )


def test_enrolment_refused_outside_custody_and_supervision(system: EmbeddedSystem) -> None:
    report = load(system, [*ex.catalogue(), ex.register_person("E1"), ex.enrol("E1")])

    assert report.failed == 1
    assert "needs the person to be in custody" in report.errors[0]


def test_full_programme_refuses_the_next_enrolment(system: EmbeddedSystem) -> None:
    lines = [ex.publish_programme("P-SMALL", capacity=1)]
    for value in ("F1", "F2"):
        lines += [ex.register_person(value), ex.custodial_sentence(value), ex.admit(value)]
        lines.append(ex.enrol(value, programme_id="P-SMALL"))
    report = load(system, lines)

    assert report.failed == 1
    assert "programme is full" in report.errors[0]


def test_completion_needs_the_required_sessions(system: EmbeddedSystem) -> None:
    lines = [
        *ex.catalogue(),
        ex.register_person("G1"),
        ex.custodial_sentence("G1"),
        ex.admit("G1"),
        ex.enrol("G1"),
        ex.attend("G1", "2025-02-08"),
        ex.attend("G1", "2025-02-15", attended=False),
        ex.complete_programme("G1"),
    ]
    report = load(system, lines)

    assert report.failed == 1
    assert "1 of 2 required sessions attended" in report.errors[0]


def test_a_national_identifier_resolves_in_every_service(system: EmbeddedSystem) -> None:
    report = load(system, ex.catalogue() + ex.custodial_pathway("H1"))

    assert report.ok, report.errors  # every line named the person by national id only


def test_admission_needs_a_commitment(system: EmbeddedSystem) -> None:
    report = load(system, [ex.register_person("J1"), ex.non_custodial_measure("J1"), ex.admit("J1")])

    assert report.failed == 1
    assert "no commitment order" in report.errors[0]
