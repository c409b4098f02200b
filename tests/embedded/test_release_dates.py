"""Sentences, adjustments and release dates through `pathway import`, read back by replay."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from pathway.embedded import EmbeddedSystem
from tests import examples as ex
from tests.embedded.helpers import is_subsequence, load, replay, types
from tests.embedded.test_reliability import published_envelopes


def remanded_then_sentenced_consecutively(value: str = "P1") -> list[dict[str, Any]]:
    """Remanded on 2025-01-15; 300 days on 2025-03-01 and 150 consecutive; 45 days of remand credit."""
    return [
        ex.register_person(value),
        ex.custodial_sentence(
            value, decision_id=f"R-{value}", kind="pretrial_detention", decided_on="2025-01-15", sentence_days=None
        ),
        ex.admit(value, admitted_at="2025-01-15T09:00:00+00:00"),
        ex.custodial_sentence(value, decided_on="2025-03-01", sentence_days=300),
        ex.custodial_sentence(
            value, decision_id=f"D2-{value}", decided_on="2025-03-01", sentence_days=150, consecutive_to=f"D-{value}"
        ),
        ex.sentence_adjustment(value, days=45, recorded_on="2025-03-02"),
    ]


def late_admission(value: str) -> list[dict[str, Any]]:
    """Sentenced on 2025-03-01 with 45 days of remand credit; the remand admission (2025-01-15) recorded last."""
    return [
        ex.register_person(value),
        ex.custodial_sentence(value, decided_on="2025-03-01", sentence_days=300),
        ex.sentence_adjustment(value, days=45),
        ex.admit(value, admitted_at="2025-01-15T09:00:00+00:00"),
    ]


def calculated(system: EmbeddedSystem, value: str) -> list[dict[str, Any]]:
    return [e["data"] for e in replay(system, value) if e["type"] == "release.release-dates.calculated"]


def test_a_consecutive_sentence_with_remand_credit_gives_the_hand_computed_dates(system: EmbeddedSystem) -> None:
    report = load(system, remanded_then_sentenced_consecutively("P1"))

    assert report.ok, report.errors
    history = calculated(system, "P1")
    assert [c["calculation"] for c in history] == [1, 2, 3]  # each change of inputs a new calculation
    latest = history[-1]
    # Worked out in tests/unit/test_release_calculation.py: 450 days from 2025-03-01 less 45 of remand.
    assert (latest["sentence_start"], latest["sentence_end"]) == ("2025-03-01", "2026-04-10")
    assert latest["conditional_release_eligibility"] == "2025-11-11"
    assert (latest["sentence_days"], latest["remand_days_served"], latest["remand_credit_applied"]) == (450, 45, 45)
    assert [s["decision_id"] for s in latest["sentences"]] == ["D-P1", "D2-P1"]
    assert latest["sentences"][1]["consecutive_to"] == "D-P1"
    assert latest["adjustments"] == [
        {"adjustment_id": "ADJ-P1", "decision_id": "D-P1", "kind": "remand_credit", "days": 45}
    ]
    assert (latest["rules_version"], latest["jurisdiction"], latest["override"]) == ("spine-1", "default", None)
    assert [c["sentence_end"] for c in history] == ["2025-12-26", "2026-05-25", "2026-04-10"]
    assert is_subsequence(
        ["intake.court-decision.recorded", "intake.sentence-adjustment.recorded", "release.release-dates.calculated"],
        types(replay(system, "P1")),
    )


def test_an_override_records_who_and_why_and_release_follows_it(system: EmbeddedSystem) -> None:
    officer = {"id": "officer-7", "role": "release_officer", "agency": "Test Prison Service"}
    lines = [
        *remanded_then_sentenced_consecutively("P2"),
        ex.override_release_dates("P2", conditional_release_eligibility="2025-11-01", actor=officer),
        ex.release("P2", released_on="2025-10-31"),  # before the date in force: refused
        ex.release("P2", released_on="2025-11-01"),
    ]

    report = load(system, lines)

    assert report.failed == 1
    assert "eligible from 2025-11-01" in report.errors[0]
    latest = calculated(system, "P2")[-1]
    assert latest["calculation"] == 4
    assert latest["override"]["by"] == officer
    assert latest["override"]["reason"] == "court of appeal order CA-1 reduced the custodial part"
    assert latest["override"]["calculated"]["conditional_release_eligibility"] == "2025-11-11"
    assert latest["conditional_release_eligibility"] == "2025-11-01"
    (licence,) = [e for e in replay(system, "P2") if e["type"] == "release.supervision.started"]
    assert (licence["data"]["started_on"], licence["data"]["ends_on"]) == ("2025-11-01", "2026-04-10")
    history = system.apps["release"].get_or_none(UUID(latest["person_id"])).calculations
    assert [c["calculation"] for c in history] == [1, 2, 3, 4]
    assert history[-1]["override"]["by"] == officer
    assert history[-1]["calculated"]["conditional_release_eligibility"].isoformat() == "2025-11-11"


def test_loading_the_same_file_again_calculates_nothing_new(system: EmbeddedSystem) -> None:
    lines = [*remanded_then_sentenced_consecutively("P3"), ex.override_release_dates("P3")]
    load(system, lines)

    again = load(system, lines)

    assert (again.applied, again.skipped, again.failed) == (0, len(lines), 0)
    assert len(calculated(system, "P3")) == 4


def test_sentences_and_adjustments_that_cannot_be_right_are_refused_with_the_reason(system: EmbeddedSystem) -> None:
    lines = [
        ex.register_person("P4"),
        ex.non_custodial_measure("P4"),
        ex.custodial_sentence("P4", decision_id="D2-P4", consecutive_to="D-P4"),  # follows a measure
        ex.sentence_adjustment("P4"),  # for a measure
        ex.override_release_dates("P4"),  # no dates yet
    ]

    report = load(system, lines)

    assert report.failed == 3
    assert "consecutive_to: no custodial sentence" in report.errors[0]
    assert "decision_id is not a custodial sentence" in report.errors[1]
    assert "no release dates have been calculated" in report.errors[2]
    assert calculated(system, "P4") == []


def test_a_spine_import_still_gives_the_spines_dates(system: EmbeddedSystem) -> None:
    load(system, [ex.register_person("P5"), ex.custodial_sentence("P5"), ex.admit("P5")])

    (dates,) = calculated(system, "P5")
    assert {k: dates[k] for k in ("decision_id", "sentence_days", "sentence_start", "sentence_end")} == {
        "decision_id": "D-P5",
        "sentence_days": 600,
        "sentence_start": "2025-01-10",
        "sentence_end": "2026-09-02",
    }
    assert (dates["conditional_release_eligibility"], dates["conditional_release_fraction"]) == ("2026-02-14", "2/3")
    assert (dates["calculation"], dates["remand_days_served"], dates["remand_credit_applied"]) == (1, 0, 0)


def test_an_admission_recorded_late_brings_the_remand_credit_in(system: EmbeddedSystem) -> None:
    report = load(system, late_admission("P6"))

    assert report.ok, report.errors
    history = calculated(system, "P6")
    assert [(c["remand_days_served"], c["remand_credit_applied"]) for c in history] == [(0, 0), (0, 0), (45, 45)]
    assert history[-1]["sentence_end"] == "2025-11-11"  # 2025-12-26 - 45


def test_the_new_reactions_publish_only_what_release_declares(system: EmbeddedSystem) -> None:
    load(system, remanded_then_sentenced_consecutively("P7") + late_admission("P8"))
    envelopes = {name: published_envelopes(system, name) for name in system.apps}
    type_of = {str(e.event_id): e.type for found in envelopes.values() for e in found}
    declared = system.apps["release"].reaction_outputs

    causes = set()
    for envelope in envelopes["release"]:
        cause = type_of.get(envelope.causation_id or "")
        if cause is not None:
            causes.add(cause)
            assert envelope.type in declared[cause], f"release published {envelope.type} reacting to {cause}"
    assert {"intake.sentence-adjustment.recorded", "intake.person.admitted"} <= causes
