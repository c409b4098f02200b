"""Release's command handlers, one module per capability, in one table keyed by each handler's contract."""

from __future__ import annotations

from services.release.handlers.compliance import (
    decide_recall,
    decide_response,
    execute_recall,
    record_alternatives_considered,
    record_hearing,
    record_violation,
)
from services.release.handlers.outcomes import record_outcome
from services.release.handlers.release_dates import override_release_dates
from services.release.handlers.releases import record_release_in_error, release
from services.release.handlers.resettlement import (
    approve_release_plan,
    assess_resettlement,
    complete_resettlement_action,
    record_discharge,
    secure_accommodation,
)
from services.release.handlers.supervision import (
    assign_officer,
    complete_requirement,
    complete_supervision,
    end_supervision,
    explain_conditions,
    impose_requirement,
    modify_measure,
    record_consent,
    record_contact,
    record_unpaid_work,
    review_supervision_level,
    set_conditions,
)
from shared.registry.commands import CommandHandlers

# In the order of the contracts (shared/contracts/commands.py, COMMANDS["release"]).
HANDLERS = CommandHandlers(
    "release",
    release,
    complete_supervision,
    record_outcome,
    override_release_dates,
    record_release_in_error,
    record_violation,
    record_hearing,
    record_alternatives_considered,
    decide_response,
    decide_recall,
    execute_recall,
    modify_measure,
    end_supervision,
    assign_officer,
    set_conditions,
    impose_requirement,
    record_unpaid_work,
    explain_conditions,
    record_consent,
    record_contact,
    review_supervision_level,
    complete_requirement,
    assess_resettlement,
    complete_resettlement_action,
    secure_accommodation,
    approve_release_plan,
    record_discharge,
)
