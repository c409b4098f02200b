"""Temporary absences (court, hospital, temporary release): the person stays on the facility's roll, custody
programmes are suspended while they are away, and resume on the return where a place is free."""

from __future__ import annotations

from datetime import date
from typing import Any

from pathway.embedded import EmbeddedSystem
from tests import examples as ex
from tests.embedded.helpers import load, replay, types
from tests.embedded.test_programme_learning_record import record_of


def absence(value: str, absence_id: str = "TA-1", **overrides: Any) -> dict[str, Any]:
    data = {"national_id": ex.nid(value), "absence_id": absence_id, "kind": "court",
            "left_at": "2025-02-10T07:30:00+00:00", "expected_back_on": "2025-02-10", **overrides}  # fmt: skip
    return ex.line("intake", "record_temporary_absence", **data)


def back(value: str, absence_id: str = "TA-1", returned_at: str = "2025-02-10T18:00:00+00:00") -> dict[str, Any]:
    return ex.line("intake", "record_return", national_id=ex.nid(value), absence_id=absence_id, returned_at=returned_at)


def held(value: str) -> list[dict[str, Any]]:
    return [ex.register_person(value), ex.custodial_sentence(value), ex.admit(value)]


def test_away_at_court_the_enrolment_is_suspended_and_resumes_on_the_return(system: EmbeddedSystem) -> None:
    lines = [ex.publish_programme("P-WELD", capacity=2), *held("A1"), ex.enrol("A1"), ex.attend("A1", "2025-02-08")]
    assert load(system, [*lines, absence("A1")]).ok
    (suspended,) = record_of(system, "A1")["participations"]
    assert (suspended["status"], suspended["suspensions"][0]["reason"]) == ("suspended", "temporary_absence")

    assert load(system, [back("A1"), ex.attend("A1", "2025-02-15")]).ok

    (resumed,) = record_of(system, "A1")["participations"]
    assert (resumed["status"], resumed["sessions_attended"]) == ("on_programme", 2)  # the progress was kept
    order = types(replay(system, "A1"))
    assert order.index("intake.temporary-absence.started") < order.index("programmes.enrolment.suspended")
    assert order.index("intake.temporary-absence.ended") < order.index("programmes.enrolment.resumed")


def test_a_place_freed_by_an_absence_goes_to_the_person_waiting(system: EmbeddedSystem) -> None:
    waiting = [ex.refer("B1"), *(ex.change_referral_status("B1", status=s) for s in
               ("assessed_suitable", "awaiting_allocation"))]  # fmt: skip
    lines = [ex.publish_programme("P-WELD", capacity=1), *held("A1"), *held("B1"), ex.enrol("A1"), *waiting]
    assert load(system, [*lines, absence("A1"), back("A1")]).ok

    assert "programmes.place.allocated" in types(replay(system, "B1"))
    (still,) = record_of(system, "A1")["participations"]
    assert still["status"] == "suspended"  # back, but the place is taken: suspended, its progress kept


def test_the_person_stays_on_the_roll_and_the_rules_of_an_absence(system: EmbeddedSystem) -> None:
    assert load(system, [*held("A1"), absence("A1")]).ok
    rows = system.query("intake", "occupancy", {"on": date(2025, 2, 10)})
    assert sum(row["occupancy"] for row in rows) == 1

    report = load(system, [
        absence("A1"),  # the same again: skipped
        absence("A1", absence_id="TA-2"),  # already away
        back("A1", returned_at="2025-02-09T09:00:00+00:00"),  # before leaving
        back("A1", absence_id="TA-9"),
        absence("C1"),  # nobody
    ])  # fmt: skip

    assert (report.applied, report.skipped, report.failed) == (0, 1, 4)
    assert "already away" in report.errors[0]
    assert "returned_at: before the person left" in report.errors[1]
    assert "absence_id: no such temporary absence" in report.errors[2]
    refused = load(system, [ex.register_person("D1"), absence("D1")])
    assert "temporary absence refused: the person is not in custody" in refused.errors[0]
