"""Referrals and the waiting list: a referral awaiting allocation puts the person on the programme's list, where a
free place finds them; one ending an enrolment frees its place. A change of status is `across_people`: whether a place
is free depends on other people's releases, and who gets it on the sentence ends release reports."""

from __future__ import annotations

from services.programmes import places
from services.programmes.domain import referral as status
from services.programmes.lookup import learner_of, programme_of
from shared.contracts.commands import ChangeReferralStatus, Refer
from shared.domain import start_of_day
from shared.eventstore.unit_of_work import UnitOfWork
from shared.registry.commands import Context, Result, across_people
from shared.registry.roles import PROBATION_OFFICER, PROGRAMME_OFFICER, allowed


@allowed(PROGRAMME_OFFICER, PROBATION_OFFICER)
def refer(command: Refer, uow: UnitOfWork, ctx: Context) -> Result:
    """A retired programme takes no new referral; this very referral again changes nothing."""
    learner = learner_of(uow, ctx.person_id)
    programme = programme_of(uow, command.programme_id)
    reason = (command.reason_category, command.reason_code)
    if command.referral_id not in learner.referrals:
        programme.check_open()
    learner.refer(command.referral_id, programme.programme_id, command.referred_on, reason, ctx.by)
    return {"person_id": learner.id, "referral_id": command.referral_id, "status": status.SUBMITTED}


@allowed(PROGRAMME_OFFICER)
@across_people
def change_referral_status(command: ChangeReferralStatus, uow: UnitOfWork, ctx: Context) -> Result:
    """Move a referral; awaiting allocation puts the person on the waiting list, where a free place finds them."""
    learner = learner_of(uow, ctx.person_id)
    referral = learner.referral(command.referral_id)
    programme = programme_of(uow, referral["programme_id"])
    was, on, by = referral["status"], command.changed_on, ctx.by
    result = {"person_id": learner.id, "referral_id": command.referral_id}
    reason = (command.reason_category, command.reason_code)
    if not learner.change_referral(command.referral_id, command.status, on, reason, by):
        return {**result, "status": referral["status"]}
    if was == status.AWAITING_ALLOCATION:
        places.leave_waiting_list(learner, programme, by, start_of_day(on))
    if was == status.ON_PROGRAMME and command.status in status.ENDS_ENROLMENT:
        learner.end_enrolment(programme.programme_id, command.status, on, by)
        learner.record_end(programme.programme_id, "withdrawn", on, by)
        places.give_up_place(learner, programme, by, start_of_day(on))
    if command.status == status.AWAITING_ALLOCATION:
        places.join_waiting_list(learner, programme, command.referral_id, on, by)
    places.fill_places(uow, programme, on, by)
    return {**result, "status": learner.referrals[command.referral_id]["status"]}
