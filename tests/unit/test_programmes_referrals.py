"""Referrals on their own: the status machine, a direct enrolment's referral, waiting and allocation."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from services.programmes.domain.errors import (
    ReferralConflictError,
    ReferralNotFoundError,
    ReferralOpenError,
    ReferralTransitionError,
)
from services.programmes.domain.learner import Learner
from services.programmes.domain.referral import TRANSITIONS, check_transition
from shared.domain import Provenance
from tests.unit.test_programmes_domain import a_learner, a_programme

BY = Provenance(actor={"id": "tutor-03", "role": "programme_officer", "agency": "Test Prison Service"})
NOW = datetime(2025, 2, 1, 9, 0, tzinfo=UTC)
REFERRED_ON = date(2025, 2, 3)
REASON = ("sentence_plan", "work_readiness")


def referred(**kwargs: bool) -> Learner:
    learner = a_learner(**kwargs)
    learner.refer("R-1", "VOC-WELD", REFERRED_ON, REASON, BY)
    return learner


def test_a_referral_starts_submitted_and_moves_along_allowed_transitions_with_its_reason() -> None:
    learner = referred()
    assert learner.change_referral("R-1", "assessed_suitable", date(2025, 2, 4), ("assessment", "suitable"), BY)
    assert learner.change_referral("R-1", "awaiting_allocation", date(2025, 2, 5), ("allocation", "no_place"), BY)

    created, *changes = learner.collect_events()
    assert isinstance(created, Learner.ReferralCreated)
    assert created.status == "submitted"
    assert [(c.from_status, c.status, c.reason_category, c.reason_code) for c in changes] == [
        ("submitted", "assessed_suitable", "assessment", "suitable"),
        ("assessed_suitable", "awaiting_allocation", "allocation", "no_place"),
    ]
    assert learner.referral("R-1")["status"] == "awaiting_allocation"


def test_a_forbidden_transition_is_refused_listing_the_allowed_ones() -> None:
    learner = referred()
    learner.collect_events()

    with pytest.raises(
        ReferralTransitionError, match=r"submitted cannot become complete \(allowed: assessed_suitable, "
    ):
        learner.change_referral("R-1", "complete", date(2025, 2, 4), REASON, BY)
    assert learner.collect_events() == []


def test_a_closed_referral_allows_nothing() -> None:
    learner = referred()
    learner.change_referral("R-1", "withdrawn", date(2025, 2, 4), REASON, BY)

    with pytest.raises(ReferralTransitionError, match="allowed: none, the referral is closed"):
        learner.change_referral("R-1", "submitted", date(2025, 2, 5), REASON, BY)


@pytest.mark.parametrize("status", sorted(TRANSITIONS))
def test_on_programme_and_complete_are_reached_only_through_enrolment_and_completion(status: str) -> None:
    for wanted in ("on_programme", "complete"):
        with pytest.raises(ReferralTransitionError):
            check_transition(status, wanted)


def test_the_same_change_again_is_skipped_and_an_unknown_referral_is_not_found() -> None:
    learner = referred()
    learner.change_referral("R-1", "on_hold", date(2025, 2, 4), REASON, BY)
    learner.collect_events()

    assert not learner.change_referral("R-1", "on_hold", date(2025, 2, 4), REASON, BY)
    assert learner.collect_events() == []
    with pytest.raises(ReferralNotFoundError, match="referral_id"):
        learner.change_referral("R-9", "on_hold", date(2025, 2, 4), REASON, BY)


def test_a_referral_id_again_is_skipped_with_the_same_content_and_refused_with_other() -> None:
    learner = referred()
    learner.collect_events()

    assert not learner.refer("R-1", "VOC-WELD", REFERRED_ON, REASON, BY)
    with pytest.raises(ReferralConflictError, match="referral_id"):
        learner.refer("R-1", "VOC-WELD", date(2025, 2, 9), REASON, BY)
    with pytest.raises(ReferralOpenError, match="open referral"):
        learner.refer("R-2", "VOC-WELD", REFERRED_ON, REASON, BY)


def test_a_direct_enrolment_records_its_referral_as_accepted() -> None:
    learner = a_learner(in_custody=True)
    learner.enrol("VOC-WELD", "custody", REFERRED_ON, BY)
    learner.accept_referral("VOC-WELD", REFERRED_ON, BY)

    created = learner.collect_events()[-1]
    assert isinstance(created, Learner.ReferralCreated)
    assert (created.status, created.reason_category) == ("on_programme", "direct_allocation")


def test_a_direct_enrolment_takes_up_the_open_referral() -> None:
    learner = referred(in_custody=True)
    learner.change_referral("R-1", "assessed_suitable", date(2025, 2, 4), REASON, BY)
    learner.enrol("VOC-WELD", "custody", date(2025, 2, 5), BY)
    learner.accept_referral("VOC-WELD", date(2025, 2, 5), BY)

    assert learner.referral("R-1")["status"] == "on_programme"
    assert [r["status"] for r in learner.referrals.values()] == ["on_programme"]


def test_an_allocated_place_puts_the_referral_on_the_programme_and_starts_the_enrolment() -> None:
    learner = referred(in_custody=True)
    learner.change_referral("R-1", "assessed_suitable", date(2025, 2, 4), REASON, BY)
    learner.change_referral("R-1", "awaiting_allocation", date(2025, 2, 4), REASON, BY)
    learner.join_waiting_list("R-1", date(2025, 2, 4), BY)
    learner.collect_events()

    learner.allocate("R-1", "custody", date(2025, 3, 1), BY)

    events = learner.collect_events()
    assert [type(e) for e in events] == [
        Learner.PlaceAllocated,
        Learner.ReferralStatusChanged,
        Learner.EnrolmentStarted,
    ]
    assert learner.referral("R-1")["status"] == "on_programme"
    assert learner.enrolments["VOC-WELD"]["enrolled_on"] == date(2025, 3, 1)
    assert not learner.can_take_place("VOC-WELD", "custody")


def test_only_someone_where_the_programme_runs_can_take_a_place() -> None:
    assert not a_learner().can_take_place("VOC-WELD", "custody")
    assert a_learner(in_custody=True).can_take_place("VOC-WELD", "custody")
    assert not a_learner(in_custody=True).can_take_place("COM-NUM", "community")


def test_a_programme_keeps_its_waiting_list_and_counts_free_places() -> None:
    programme = a_programme(capacity=1)
    first, second = a_learner(), a_learner()
    programme.take_place(first.id, BY, NOW)
    programme.wait(second.id, "R-1", REFERRED_ON, BY, NOW)
    programme.wait(second.id, "R-1", REFERRED_ON, BY, NOW)  # already waiting: nothing new

    assert programme.free_places() == 0
    assert list(programme.waiting) == [second.id]
    programme.stop_waiting(second.id, BY, NOW)
    assert programme.waiting == {}
    assert len(programme.collect_events()) == 3
