"""The admission record (Mandela Rule 7, Bangkok Rule 3): commitment orders, and sensitive parts kept in."""

from __future__ import annotations

import json
from typing import Any

from pathway.embedded import EmbeddedSystem
from tests import examples as ex
from tests.embedded.helpers import load, replay

CHILD_NAME = "ZZ-CHILD-NAME"
INJURY = "ZZ-BRUISE-LEFT-ARM"


def full_admission(value: str, **overrides: Any) -> dict[str, Any]:
    record = {
        "reason": "new_remand",
        "commitment_order": {"kind": "remand_warrant", "issuing_authority": "Test Court", "reference": "W-1"},
        "arrested_at": "2025-01-04T22:15:00+00:00",
        "arrest_place": "Main Street",
        "self_perceived_gender": "female",
        "health": {"visible_injuries": INJURY, "ill_treatment_complaint": "none made"},
        "property": [{"item": "watch"}, {"item": "coins", "quantity": 12}],
        "children": [{"name": CHILD_NAME, "age": 6, "whereabouts": "at home", "cared_for_by": "grandmother"}],
        "next_of_kin": {"name": "Kin Person", "relationship": "mother"},
        **overrides,
    }
    return ex.admit(value, **record)


def test_a_commitment_order_is_enough_to_admit_and_gives_the_legal_status(system: EmbeddedSystem) -> None:
    report = load(system, [ex.register_person("A1"), full_admission("A1")])

    assert report.ok, report.errors
    entries = replay(system, "A1")
    (status,) = [e["data"] for e in entries if e["type"] == "intake.legal-status.changed"]
    assert (status["status"], status["reason"]) == ("remand", "commitment order W-1")


def test_sensitive_parts_are_marked_and_never_published(system: EmbeddedSystem) -> None:
    load(system, [ex.register_person("A1"), full_admission("A1")])

    entries = replay(system, "A1")
    (record,) = [e["data"] for e in entries if e["type"] == "intake.admission.recorded"]
    assert record["sensitive_fields"] == ["children", "health"]
    assert record["withheld_fields"] == ["arrest_place", "next_of_kin", "property", "self_perceived_gender"]
    assert record["reason"] == "new_remand"
    assert record["commitment_order"]["reference"] == "W-1"
    published = json.dumps(entries)
    assert CHILD_NAME not in published
    assert INJURY not in published


def test_the_spine_admission_still_needs_a_committing_decision(system: EmbeddedSystem) -> None:
    report = load(system, [ex.register_person("A1"), ex.admit("A1", reason="new_sentenced")])

    assert report.failed == 1
    assert "no commitment order" in report.errors[0]


def test_a_bad_admission_record_names_the_field(system: EmbeddedSystem) -> None:
    bad_child = {"name": CHILD_NAME, "age": -1, "whereabouts": "x", "cared_for_by": "y"}
    report = load(system, [ex.register_person("A1"), full_admission("A1", children=[bad_child], reason="vacation")])

    assert report.failed == 1
    assert any("children.0.age" in error for error in report.errors)
    assert any(error.split(": ", 1)[1].startswith("reason: Input should be") for error in report.errors)
    assert CHILD_NAME not in " ".join(report.errors)


def in_error(value: str, **overrides: Any) -> dict[str, Any]:
    data = {"national_id": ex.nid(value), "facility": "Test Prison", "admitted_at": "2025-01-11T09:00:00+00:00",
            "reason": "the warrant named someone else", **overrides}  # fmt: skip
    return ex.line("intake", "record_admission_in_error", **data)


def test_an_admission_recorded_in_error_is_corrected_everywhere(system: EmbeddedSystem) -> None:
    from datetime import date

    lines = [ex.register_person("E1"), ex.custodial_sentence("E1"), ex.admit("E1"), in_error("E1"), in_error("E1")]
    report = load(system, lines)

    assert report.ok, report.errors
    assert report.skipped == 1  # the same correction again
    types_seen = [e["type"] for e in replay(system, "E1")]
    assert types_seen.index("intake.admission.recorded-in-error") > types_seen.index("intake.person.admitted")
    figures = {f["facility"]: f["occupancy"] for f in system.query("intake", "occupancy", {"on": date(2025, 2, 1)})}
    assert figures.get("Test Prison", 0) == 0
    refused = load(system, [ex.release("E1", release_type="sentence_served", released_on="2025-03-01")])
    assert "not in custody" in refused.errors[0]  # the release service learned it too
    readmitted = load(system, [ex.admit("E1", facility="Other Prison", admitted_at="2025-01-12T09:00:00+00:00")])
    assert readmitted.ok, readmitted.errors  # the sentence still commits the person


def test_correcting_an_admission_that_was_never_recorded_is_refused(system: EmbeddedSystem) -> None:
    report = load(system, [ex.register_person("E2"), in_error("E2")])

    assert "no such admission" in report.errors[0]


def recall_executed(system: EmbeddedSystem, value: str, facility: str, at: str) -> None:
    """Deliver release's `release.recall.executed` as the release service will publish it."""
    from datetime import datetime
    from uuid import UUID, uuid4

    from shared.contracts.envelope import Envelope

    person = UUID(replay(system, value)[0]["data"]["person_id"])
    envelope = Envelope(
        event_id=uuid4(),
        type="release.recall.executed",
        version=1,
        occurred_at=datetime.fromisoformat(at),
        recorded_at=datetime.fromisoformat(at),
        source="release",
        subject=person,
        aggregate_id=person,
        aggregate_version=99,
        notification_id=10**9,
        correlation_id="recall",
        causation_id=None,
        actor={"id": "board-1", "role": "parole_board", "agency": "Test Parole Board"},
        payload={"person_id": str(person), "recall_id": "RC-1", "facility": facility, "executed_at": at,
                 "issuing_authority": "Test Parole Board"},
    )  # fmt: skip
    system.bus.publish([envelope])
    system.settle()


def test_a_recall_executed_by_release_is_a_recall_admission(system: EmbeddedSystem) -> None:
    load(system, [ex.register_person("R1"), ex.custodial_sentence("R1"), ex.admit("R1"), ex.release("R1")])

    recall_executed(system, "R1", "Recall Prison", "2026-05-01T07:00:00+00:00")

    entries = replay(system, "R1")
    admitted = [e["data"] for e in entries if e["type"] == "intake.person.admitted"]
    assert [a["facility"] for a in admitted] == ["Test Prison", "Recall Prison"]
    (record,) = [e["data"] for e in entries if e["type"] == "intake.admission.recorded"]
    assert (record["reason"], record["commitment_order"]["kind"]) == ("recall", "recall")
    assert [e["data"]["status"] for e in entries if e["type"] == "intake.legal-status.changed"][-1] == "recall"
    assert all(consumer.dead_letters() == [] for consumer in system.consumers.values())
