"""Places on programmes: who holds one, who waits for one, and who gets one that is freed.

An enrolment going on holds a place; a suspended one holds none (the programmes report's rule). A place freed by
an ending or a suspension is offered at once to the first eligible person waiting, least time left to serve
first, and a suspended enrolment resumes only where a place is free. These rules span a programme and the people
on it or waiting for it, so every command and reaction that takes, frees or offers a place does it through here,
loading the people it needs through the unit of work.
"""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from services.programmes.domain.learner import Learner
from services.programmes.domain.programme import Programme
from services.programmes.lookup import learner_of, programme_of
from shared.contracts.events import EnrolmentStarted, PlaceAllocated, ReferralStatusChanged
from shared.domain import Provenance, start_of_day
from shared.eventstore.unit_of_work import UnitOfWork

# What offering a place publishes: the allocation, the referral on the programme, and the enrolment started.
PLACE_OFFERED = (PlaceAllocated, ReferralStatusChanged, EnrolmentStarted)


def waiting_order(uow: UnitOfWork, programme: Programme) -> list[UUID]:
    """Least time left to serve first (sentence end minus referral date; unknown last), then referral date."""

    def priority(person_id: UUID) -> tuple[bool, int, date, str]:
        referred_on = programme.waiting[person_id]["referred_on"]
        end = learner_of(uow, person_id).sentence_end
        left = (end - referred_on).days if end is not None else 0
        return (end is None, left, referred_on, str(person_id))

    return sorted(programme.waiting, key=priority)


def fill_places(uow: UnitOfWork, programme: Programme, on: date, by: Provenance) -> None:
    """Offer each free place to the first eligible person waiting, by priority."""
    while programme.free_places() > 0 and programme.waiting and programme.retired is None:
        chosen = next(
            (
                person_id
                for person_id in waiting_order(uow, programme)
                if learner_of(uow, person_id).can_take_place(
                    programme.programme_id, programme.setting, programme.eligibility
                )
            ),
            None,
        )
        if chosen is None:
            return
        waiting = programme.waiting[chosen]
        day = max(on, waiting["referred_on"])
        learner_of(uow, chosen).allocate(waiting["referral_id"], programme.setting, day, by)
        programme.stop_waiting(chosen, by, start_of_day(day))
        programme.take_place(chosen, by, start_of_day(day))


def offer_waiting_places(uow: UnitOfWork, learner: Learner, on: date, by: Provenance) -> None:
    """The person has just become eligible (admitted, reclassified, under supervision): each programme they wait
    for offers its free places to the first eligible people in line, who may now include them."""
    for referral in list(learner.referrals.values()):
        if referral["waiting"]:
            fill_places(uow, programme_of(uow, referral["programme_id"]), on, by)


def enrol(learner: Learner, programme: Programme, on: date, by: Provenance) -> None:
    """A direct enrolment takes a place (refused when none is free), puts the person's referral on the programme
    and takes them off its waiting list."""
    if learner.enrol(programme.programme_id, programme.setting, on, by, programme.eligibility):
        programme.take_place(learner.id, by, start_of_day(on))
        learner.accept_referral(programme.programme_id, on, by)
        programme.stop_waiting(learner.id, by, start_of_day(on))


def join_waiting_list(learner: Learner, programme: Programme, referral_id: str, on: date, by: Provenance) -> None:
    """A referral awaiting allocation: the person waits on the programme's list, where a freed place finds them."""
    learner.join_waiting_list(referral_id, on, by)
    referred_on = learner.referrals[referral_id]["referred_on"]
    programme.wait(learner.id, referral_id, referred_on, by, start_of_day(on))


def leave_waiting_list(learner: Learner, programme: Programme, by: Provenance, when: datetime) -> None:
    """The person's referral no longer awaits allocation (moved on, withdrawn): off the programme's list."""
    programme.stop_waiting(learner.id, by, when)


def give_up_place(learner: Learner, programme: Programme, by: Provenance, when: datetime) -> None:
    """The person's enrolment has ended or is suspended: their place is free, to be offered by `fill_places`."""
    programme.free_place(learner.id, by, when)


def vacate(uow: UnitOfWork, learner: Learner, programme: Programme, on: date, by: Provenance, when: datetime) -> None:
    """The person's place freed and offered at once to the people waiting."""
    give_up_place(learner, programme, by, when)
    fill_places(uow, programme, on, by)


def suspend(
    uow: UnitOfWork, learner: Learner, programme: Programme, on: date, by: Provenance, when: datetime, reason: str
) -> None:
    """An enrolment going on suspended (its progress kept): its place goes to the people waiting."""
    if learner.suspend(programme.programme_id, on, by, reason=reason):
        vacate(uow, learner, programme, on, by, when)


def resume(learner: Learner, programme: Programme, on: date, by: Provenance, when: datetime) -> None:
    """A suspended enrolment resumes only where a place is free, and takes it; otherwise it stays suspended."""
    if programme.free_places() > 0:
        learner.resume(programme.programme_id, on, by)
        programme.take_place(learner.id, by, when)
