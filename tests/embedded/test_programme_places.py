"""Referrals, waiting lists and the programmes report, through `pathway import` lines."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

from pathway.cli import main
from pathway.embedded import EmbeddedSystem
from tests import examples as ex
from tests.embedded.helpers import is_subsequence, load, replay, types
from tests.stores import BOTH_STORES

pytestmark = BOTH_STORES


def in_custody(value: str, sentence_days: int | None) -> list[dict[str, Any]]:
    """A person held: sentenced (release learns the sentence end), or on remand (no release date)."""
    decision = ex.custodial_sentence(value, sentence_days=sentence_days)
    if sentence_days is None:
        decision["data"].update(kind="pretrial_detention")
        decision["data"].pop("sentence_days")
    return [ex.register_person(value), decision, ex.admit(value)]


def waiting_for_a_place(value: str, referred_on: str) -> list[dict[str, Any]]:
    return [
        ex.refer(value, referred_on=referred_on),
        ex.change_referral_status(value, "assessed_suitable", changed_on=referred_on),
        ex.change_referral_status(value, "awaiting_allocation", changed_on=referred_on),
    ]


def cohort() -> list[dict[str, Any]]:
    """One place; A1 holds it, four wait. Sentences end 2025-01-10 + days (no adjustments)."""
    return [
        ex.publish_programme("P-WELD", capacity=1, sessions_required=2),
        *in_custody("A1", 600),
        *in_custody("B1", 300),  # less time left than C1: first, although referred later
        *in_custody("C1", 900),
        *in_custody("D1", None),  # no release date: last, although referred first
        *in_custody("E1", 200),  # the least time left, but released before a place frees
        ex.enrol("A1"),
        *waiting_for_a_place("D1", "2025-01-20"),
        *waiting_for_a_place("C1", "2025-02-01"),
        *waiting_for_a_place("B1", "2025-02-03"),
        *waiting_for_a_place("E1", "2025-02-03"),
        ex.release("E1", released_on="2025-02-20", release_type="court_order"),
    ]


def waiting(system: EmbeddedSystem) -> list[str]:
    rows = system.query("programmes", "waiting-list", {"programme_id": "P-WELD"})
    return [row["referral_id"] for row in rows]


def report(data: Path) -> list[dict[str, Any]]:
    out = io.StringIO()
    assert main(["report", "programmes", "--data", str(data), "--format", "json"], out=out) == 0
    return list(json.loads(out.getvalue()))


def test_a_referral_to_a_full_programme_waits_by_time_left_to_serve_then_referral_date(
    system: EmbeddedSystem,
) -> None:
    loaded = load(system, cohort())

    assert loaded.ok, loaded.errors
    assert waiting(system) == ["R-B1-P-WELD", "R-C1-P-WELD", "R-D1-P-WELD"]  # E1 left it on release
    assert is_subsequence(
        ["programmes.referral.created", "programmes.referral.status-changed", "programmes.waiting-list.joined"],
        types(replay(system, "B1")),
    )


def test_a_freed_place_goes_to_the_first_eligible_person_waiting(system: EmbeddedSystem) -> None:
    loaded = load(
        system,
        [*cohort(), ex.attend("A1", "2025-02-08"), ex.attend("A1", "2025-02-15"), ex.complete_programme("A1")],
    )

    assert loaded.ok, loaded.errors
    assert waiting(system) == ["R-C1-P-WELD", "R-D1-P-WELD"]
    entries = replay(system, "B1")
    assert is_subsequence(
        [
            "programmes.referral.created",
            "programmes.waiting-list.joined",
            "programmes.place.allocated",
            "programmes.referral.status-changed",
            "programmes.enrolment.started",
        ],
        types(entries),
    )
    (started,) = [e for e in entries if e["type"] == "programmes.enrolment.started"]
    assert started["data"]["enrolled_on"] == "2025-03-01"  # the day A1's place was freed
    a1 = [e["data"] for e in replay(system, "A1") if e["type"] == "programmes.referral.status-changed"]
    assert [(c["from_status"], c["status"]) for c in a1] == [("on_programme", "complete")]


def test_a_direct_enrolment_on_a_full_programme_is_still_refused(system: EmbeddedSystem) -> None:
    loaded = load(system, [*cohort(), ex.enrol("C1")])

    assert not loaded.ok
    assert "programme is full" in loaded.errors[0]


def test_a_forbidden_transition_is_refused_with_the_allowed_ones(system: EmbeddedSystem) -> None:
    loaded = load(system, [*cohort(), ex.change_referral_status("B1", "submitted")])

    assert not loaded.ok
    assert "awaiting_allocation cannot become submitted (allowed: on_hold, deferred, withdrawn)" in loaded.errors[0]


def test_a_repeated_referral_change_is_skipped(system: EmbeddedSystem) -> None:
    assert load(system, cohort()).ok

    again = load(system, waiting_for_a_place("B1", "2025-02-03"))

    assert again.ok
    assert again.skipped == 3


def test_the_report_counts_places_waiting_completion_and_dropouts_and_a_rebuild_agrees(tmp_path: Path) -> None:
    file = tmp_path / "cohort.jsonl"
    lines = [
        *cohort(),
        ex.publish_programme("P-EMPTY", title="Bricklaying"),
        ex.attend("A1", "2025-02-08"),
        ex.attend("A1", "2025-02-15"),
        ex.complete_programme("A1"),  # the place goes to B1
        ex.change_referral_status("B1", "withdrawn", changed_on="2025-03-10"),  # and then to C1
    ]
    file.write_text("".join(json.dumps(line) + "\n" for line in lines))
    data = tmp_path / "data"
    assert main(["import", str(file), "--data", str(data)], out=io.StringIO(), err=io.StringIO()) == 0

    rows = report(data)

    assert rows == [
        {
            "programme_id": "P-EMPTY",
            "capacity": 10,
            "enrolled": 0,
            "waiting": 0,
            "completed": 0,
            "dropped_out": 0,
            "completion_rate": None,
        },
        {
            "programme_id": "P-WELD",
            "capacity": 1,
            "enrolled": 1,
            "waiting": 1,
            "completed": 1,
            "dropped_out": 1,
            "completion_rate": 0.5,
        },
    ]
    with EmbeddedSystem(data) as reopened:  # a fresh process folds the events again from the first
        assert waiting(reopened) == ["R-D1-P-WELD"]
        figures = reopened.query("programmes", "programmes", {})
    assert figures == rows == report(data)
    table = io.StringIO()
    assert main(["report", "programmes", "--data", str(data)], out=table) == 0
    assert "P-WELD" in table.getvalue()
    assert "50%" in table.getvalue()


def test_the_replay_shows_referral_waiting_list_sessions_and_certificate_in_order(system: EmbeddedSystem) -> None:
    lines = [*cohort(), *(ex.attend("A1", day) for day in ("2025-02-08", "2025-02-15")), ex.complete_programme("A1")]
    lines[0] = ex.publish_programme("P-WELD", capacity=1, sessions_required=2, awarding_body="National Body")
    lines += [ex.attend("B1", day) for day in ("2025-03-08", "2025-03-15")]
    lines.append(ex.complete_programme("B1", completed_on="2025-03-20"))
    assert load(system, lines).ok

    assert is_subsequence(
        [
            "programmes.referral.created",
            "programmes.referral.status-changed",
            "programmes.waiting-list.joined",
            "programmes.place.allocated",
            "programmes.enrolment.started",
            "programmes.attendance.recorded",
            "programmes.attendance.recorded",
            "programmes.programme.completed",
            "programmes.participation.ended",
            "programmes.certificate.awarded",
            "release.achievement.recorded",
        ],
        types(replay(system, "B1")),
    )


def test_the_other_reports_still_need_a_date(tmp_path: Path) -> None:
    err = io.StringIO()
    assert main(["report", "occupancy", "--data", str(tmp_path)], out=io.StringIO(), err=err) == 2
    assert "--on DATE is required" in err.getvalue()
