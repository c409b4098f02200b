"""Programmes' command handlers, one module per capability, and the table of them all."""

from __future__ import annotations

from services.programmes.handlers.catalogue import publish_programme, retire_programme, revise_programme
from services.programmes.handlers.cohorts import assign_to_cohort, record_session, schedule_cohort
from services.programmes.handlers.participation import (
    complete_programme,
    end_participation,
    enrol,
    record_attendance,
)
from services.programmes.handlers.plans import assess_needs, draw_up_plan
from services.programmes.handlers.referrals import change_referral_status, refer
from shared.registry.commands import CommandHandlers

HANDLERS = CommandHandlers(
    "programmes",
    publish_programme,
    revise_programme,
    retire_programme,
    enrol,
    record_attendance,
    complete_programme,
    end_participation,
    assess_needs,
    refer,
    change_referral_status,
    draw_up_plan,
    schedule_cohort,
    assign_to_cohort,
    record_session,
)
