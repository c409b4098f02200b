"""Violations, responses and recall (Tokyo 14) through `pathway import` lines, and the loop back to intake."""

from __future__ import annotations

from datetime import date

from pathway.embedded import EmbeddedSystem
from tests import examples as ex
from tests.embedded.helpers import is_subsequence, load, replay, types
from tests.embedded.test_reliability import published_envelopes
from tests.stores import BOTH_STORES

pytestmark = BOTH_STORES

RELEASED = [ex.register_person("A1"), ex.custodial_sentence("A1"), ex.admit("A1"), ex.release("A1")]


def test_a_revocation_after_a_hearing_and_alternatives_leads_to_a_recall_admission(system: EmbeddedSystem) -> None:
    report = load(system, RELEASED + ex.recall_loop("A1"))

    assert report.ok, report.errors
    entries = replay(system, "A1")
    loop = [
        "release.person.released",
        "release.violation.recorded",
        "release.person.heard",
        "release.alternatives.considered",
        "release.violation-response.decided",
        "release.recall.decided",
        "release.recall.executed",
        "intake.person.admitted",
        "intake.admission.recorded",
    ]
    assert is_subsequence(loop, types(entries)), types(entries)
    admitted = [e["data"] for e in entries if e["type"] == "intake.person.admitted"]
    assert [a["facility"] for a in admitted] == ["Test Prison", "Recall Prison"]
    (record,) = [e["data"] for e in entries if e["type"] == "intake.admission.recorded"]
    assert (record["reason"], record["commitment_order"]["kind"]) == ("recall", "recall")
    (ended,) = [e["data"] for e in entries if e["type"] == "release.supervision.ended"]
    assert (ended["reason"], ended["ended_on"], ended["supervision_started_on"]) == (
        "revocation",
        "2026-03-10",
        "2026-02-14",
    )
    assert system.query("release", "caseload", {"on": date(2026, 3, 10)}) == []
    (executed,) = [e for e in entries if e["type"] == "release.recall.executed"]
    assert executed["data"]["issuing_authority"] == "Test Parole Board"
    assert executed["actor"]["role"] == "records_officer"


def test_the_reason_alternatives_were_not_enough_is_withheld_from_the_public_event(system: EmbeddedSystem) -> None:
    load(system, RELEASED + ex.recall_loop("A1")[:3])

    (considered,) = [e["data"] for e in replay(system, "A1") if e["type"] == "release.alternatives.considered"]
    assert considered["alternatives"] == ["new_conditions", "warning"]
    assert considered["sensitive_fields"] == ["reason"]
    assert "earlier warnings" not in str(considered)


def test_a_revocation_without_the_person_heard_is_refused(system: EmbeddedSystem) -> None:
    report = load(system, [*RELEASED, ex.record_violation("A1"), ex.record_alternatives_considered("A1"),
                           ex.decide_response("A1")])  # fmt: skip

    assert report.failed == 1
    assert "revocation refused: the person has not been heard" in report.errors[0]


def test_a_revocation_without_alternatives_considered_is_refused(system: EmbeddedSystem) -> None:
    report = load(system, [*RELEASED, ex.record_violation("A1"), ex.record_hearing("A1"), ex.decide_response("A1")])

    assert report.failed == 1
    assert "non-custodial alternatives have not been considered" in report.errors[0]


def test_a_non_custodial_response_needs_neither(system: EmbeddedSystem) -> None:
    report = load(system, [*RELEASED, ex.record_violation("A1"), ex.decide_response("A1", response="warning")])

    assert report.ok, report.errors
    (decided,) = [e["data"] for e in replay(system, "A1") if e["type"] == "release.violation-response.decided"]
    assert (decided["response"], decided["decided_by"]) == ("warning", "Test Parole Board")


def test_a_recall_needs_a_revocation(system: EmbeddedSystem) -> None:
    report = load(system, [*RELEASED, ex.record_violation("A1"), ex.decide_response("A1", response="warning"),
                           ex.decide_recall("A1")])  # fmt: skip

    assert report.failed == 1
    assert "recall refused: no revocation" in report.errors[0]


def test_a_recall_not_decided_cannot_be_executed(system: EmbeddedSystem) -> None:
    report = load(system, [*RELEASED, ex.execute_recall("A1")])

    assert report.failed == 1
    assert "no such recall" in report.errors[0]


def test_a_violation_needs_a_supervision(system: EmbeddedSystem) -> None:
    in_custody = [ex.register_person("A1"), ex.custodial_sentence("A1"), ex.admit("A1")]
    report = load(system, [*in_custody, ex.record_violation("A1")])

    assert report.failed == 1
    assert "not under supervision" in report.errors[0]


def test_a_violation_during_a_court_measure_is_recorded_without_custody(system: EmbeddedSystem) -> None:
    report = load(system, [ex.register_person("B1"), ex.non_custodial_measure("B1"),
                           ex.record_violation("B1", kind="new_offence", condition="good_behaviour")])  # fmt: skip

    assert report.ok, report.errors
    (violation,) = [e["data"] for e in replay(system, "B1") if e["type"] == "release.violation.recorded"]
    assert (violation["kind"], violation["condition"]) == ("new_offence", "good_behaviour")


def test_the_loop_again_changes_nothing_and_other_content_is_a_conflict(system: EmbeddedSystem) -> None:
    load(system, RELEASED + ex.recall_loop("A1"))
    before = replay(system, "A1")

    again = load(system, RELEASED + ex.recall_loop("A1"))
    conflicting = load(system, [ex.record_violation("A1", condition="curfew"),
                                ex.execute_recall("A1", facility="Other Prison")])  # fmt: skip

    assert (again.ok, again.applied, again.skipped) == (True, 0, len(RELEASED) + 6)
    assert conflicting.failed == 2
    assert "already recorded with other content" in conflicting.errors[0]
    assert "already executed otherwise" in conflicting.errors[1]
    assert replay(system, "A1") == before


def test_a_recall_of_someone_in_custody_is_refused(system: EmbeddedSystem) -> None:
    loop = ex.recall_loop("A1")
    load(system, RELEASED + loop[:-1] + [ex.admit("A1", admitted_at="2026-03-09T12:00:00+00:00",
                                                  commitment_order={"kind": "remand_warrant",
                                                                    "issuing_authority": "Test Court",
                                                                    "reference": "W-1"})])  # fmt: skip

    report = load(system, [loop[-1]])

    assert report.failed == 1
    assert "already in custody" in report.errors[0]


def test_the_reactions_to_a_recall_publish_only_what_their_services_declare(system: EmbeddedSystem) -> None:
    load(system, RELEASED + ex.recall_loop("A1"))
    envelopes = {name: published_envelopes(system, name) for name in system.apps}
    type_of = {str(e.event_id): e.type for found in envelopes.values() for e in found}

    to_recall = [
        (name, envelope.type)
        for name, found in envelopes.items()
        for envelope in found
        if type_of.get(envelope.causation_id or "") == "release.recall.executed"
    ]
    assert ("intake", "intake.person.admitted") in to_recall
    for name, published in to_recall:
        assert published in system.apps[name].reaction_outputs["release.recall.executed"]
