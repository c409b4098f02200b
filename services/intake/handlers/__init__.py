"""Intake's command handlers, one module per capability, and the table of them all."""

from __future__ import annotations

from services.intake.handlers.classification import decide_classification, propose_classification
from services.intake.handlers.court import (
    change_legal_status,
    record_court_decision,
    record_sentence_adjustment,
    review_pretrial_detention,
)
from services.intake.handlers.custody import (
    admit,
    record_admission_in_error,
    record_return,
    record_temporary_absence,
    transfer,
)
from services.intake.handlers.facilities import declare_facility
from services.intake.handlers.identity import add_identifier, merge_persons, register_person, unmerge_persons
from services.intake.handlers.placement import place, record_non_association
from services.intake.handlers.restriction import lift_case_restriction, restrict_case
from shared.registry.commands import CommandHandlers

HANDLERS = CommandHandlers(
    "intake",
    register_person,
    record_court_decision,
    record_sentence_adjustment,
    admit,
    declare_facility,
    transfer,
    record_temporary_absence,
    record_return,
    change_legal_status,
    place,
    record_non_association,
    review_pretrial_detention,
    propose_classification,
    decide_classification,
    merge_persons,
    unmerge_persons,
    record_admission_in_error,
    add_identifier,
    restrict_case,
    lift_case_restriction,
)
