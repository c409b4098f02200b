"""Custody as intake and release report it: an admission makes the person eligible for the places they wait for;
a transfer suspends the enrolments that do not run where they now are (and resumes those that do); a release ends
custody enrolments and custody waiting, offering the community version of what was left unfinished."""

from __future__ import annotations

from services.programmes import places
from services.programmes.domain.learner import RELEASED_BEFORE_COMPLETION
from services.programmes.domain.programme import Programme
from services.programmes.domain.referral import AWAITING_ALLOCATION
from services.programmes.lookup import learner_of, programme_of
from shared.contracts.events import (
    AdmissionRecordedInError,
    EnrolmentResumed,
    EnrolmentSuspended,
    EnrolmentWithdrawn,
    ParticipationEnded,
    PersonAdmitted,
    PersonReleased,
    PersonTransferred,
    ReferralCreated,
)
from shared.eventstore.unit_of_work import UnitOfWork
from shared.registry.reactions import Cause, reacts_to


@reacts_to(PersonAdmitted, publishes=places.PLACE_OFFERED)
def on_intake_person_admitted(event: PersonAdmitted, uow: UnitOfWork, cause: Cause) -> None:
    learner = learner_of(uow, event.person_id)
    learner.custody_started(event.facility, cause.by, cause.when)
    places.offer_waiting_places(uow, learner, event.admitted_at.date(), cause.by)


@reacts_to(AdmissionRecordedInError)
def on_intake_admission_recorded_in_error(event: AdmissionRecordedInError, uow: UnitOfWork, cause: Cause) -> None:
    learner_of(uow, event.person_id).custody_cancelled(cause.by, cause.when)


@reacts_to(PersonTransferred, publishes=[EnrolmentSuspended, EnrolmentResumed, *places.PLACE_OFFERED])
def on_intake_person_transferred(event: PersonTransferred, uow: UnitOfWork, cause: Cause) -> None:
    """Custody enrolments where the programme does not run are suspended (their place freed, progress kept);
    suspended ones where it runs resume if a place is free (and, suspended after a reclassification, if the
    person's level is eligible again). A programme without a facility runs wherever the person is held."""
    by, on, when = cause.by, event.transferred_at.date(), cause.when
    learner = learner_of(uow, event.person_id)
    learner.custody_started(event.to_facility, by, when)
    for programme_id, enrolment in list(learner.enrolments.items()):
        programme = programme_of(uow, programme_id)
        runs_here = programme.facility in (None, event.to_facility)
        if enrolment["setting"] != "custody" or (runs_here and not enrolment.get("suspended")):
            continue
        if not runs_here:
            places.suspend(uow, learner, programme, on, by, when, reason="transferred")
        elif learner.meets_security_level(programme.eligibility):
            places.resume(learner, programme, on, by, when)


@reacts_to(
    PersonReleased,
    publishes=[EnrolmentWithdrawn, ParticipationEnded, ReferralCreated, *places.PLACE_OFFERED],
)
def on_release_person_released(event: PersonReleased, uow: UnitOfWork, cause: Cause) -> None:
    """Custody enrolments end as released before completion and custody referrals awaiting a place are withdrawn;
    only then are the places freed offered to the people waiting. A programme left unfinished that has a community
    version still open is offered as a referral to it."""
    by, on, when = cause.by, event.released_on, cause.when
    learner = learner_of(uow, event.person_id)
    freed = learner.custody_ended(on, by, when)
    for programme_id in freed:
        learner.record_end(programme_id, RELEASED_BEFORE_COMPLETION, on, by)
        learner.close_referral(programme_id, "withdrawn", on, ("release", RELEASED_BEFORE_COMPLETION), by)
        places.give_up_place(learner, programme_of(uow, programme_id), by, when)
    for referral_id, referral in list(learner.referrals.items()):
        programme = programme_of(uow, referral["programme_id"])
        if referral["status"] == AWAITING_ALLOCATION and programme.setting == "custody":
            learner.change_referral(referral_id, "withdrawn", on, ("release", "released"), by)
            places.leave_waiting_list(learner, programme, by, when)
    for programme_id in freed:
        places.fill_places(uow, programme_of(uow, programme_id), on, by)
    for programme_id in freed:
        community = programme_of(uow, programme_id).community_version
        offered: Programme | None = uow.get_or_none(Programme.id_for(community)) if community else None
        if offered is not None and offered.retired is None:
            learner.offer_community_version(offered.programme_id, programme_id, on, by)
