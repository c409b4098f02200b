"""Supervision records keep their supervision after it ended: a repeated import changes nothing, and a record
entered late lands on the supervision whose term held its day; a day no term held is still refused."""

from __future__ import annotations

from pathway.embedded import EmbeddedSystem
from tests import examples as ex
from tests.embedded.helpers import load, replay
from tests.stores import BOTH_STORES

pytestmark = BOTH_STORES

# Probation from 2025-01-10 for 365 days, completed on 2026-01-10.
SUPERVISED = [
    ex.register_person("B1"), ex.non_custodial_measure("B1"), ex.assign_officer("B1"), ex.set_conditions("B1"),
    ex.explain_conditions("B1"), ex.record_contact("B1"), ex.complete_supervision("B1", completed_on="2026-01-10"),
]  # fmt: skip


def test_a_repeated_import_after_the_supervision_ended_changes_nothing(system: EmbeddedSystem) -> None:
    assert load(system, SUPERVISED).ok
    before = replay(system, "B1")

    again = load(system, SUPERVISED)

    assert again.ok, again.errors
    assert replay(system, "B1") == before


def test_a_contact_entered_late_is_recorded_on_the_supervision_it_belongs_to(system: EmbeddedSystem) -> None:
    late = ex.record_contact("B1", contact_id="C-B1-2", contact_on="2025-12-01")
    report = load(system, [*SUPERVISED, late])

    assert report.ok, report.errors
    contacts = [e["data"] for e in replay(system, "B1") if e["type"] == "release.contact.recorded"]
    assert [(c["contact_id"], c["supervision_started_on"]) for c in contacts] == [
        ("C-B1-1", "2025-01-10"),
        ("C-B1-2", "2025-01-10"),
    ]


def test_a_record_dated_after_the_supervision_ended_is_refused(system: EmbeddedSystem) -> None:
    after = ex.record_contact("B1", contact_id="C-B1-3", contact_on="2026-02-01")
    report = load(system, [*SUPERVISED, after])

    assert report.failed == 1
    assert "not under supervision" in report.errors[0]
