"""How release follows intake: a person registered opens their case; court decisions, adjustments and custody
set and reset their release dates or start their supervision."""

from __future__ import annotations

from services.release.domain.case import PRETRIAL_SUPERVISION, ReleaseCase
from services.release.jurisdiction import rules_of
from services.release.lookup import case_of
from shared.contracts.events import (
    AdmissionRecordedInError,
    CourtDecisionRecorded,
    PersonAdmitted,
    PersonRegistered,
    ReleaseDatesCalculated,
    SentenceAdjustmentRecorded,
    SupervisionStarted,
)
from shared.eventstore.unit_of_work import UnitOfWork
from shared.people import learn_national_id
from shared.registry.reactions import Cause, reacts_to


@reacts_to(PersonRegistered)
def on_intake_person_registered(event: PersonRegistered, uow: UnitOfWork, cause: Cause) -> None:
    national_id = event.national_id
    learn_national_id(uow, national_id.issuer, national_id.value, event.person_id, cause.by, cause.when)
    if uow.get_or_none(event.person_id) is None:
        uow.add(ReleaseCase.open(event.person_id, cause.by, cause.when))


@reacts_to(CourtDecisionRecorded, publishes=[ReleaseDatesCalculated, SupervisionStarted])
def on_intake_court_decision_recorded(event: CourtDecisionRecorded, uow: UnitOfWork, cause: Cause) -> None:
    """A custodial sentence gets release dates; a non-custodial measure or a pre-trial alternative starts
    supervision at once, with no custody."""
    case = case_of(uow, event.person_id)
    by, when = cause.by, cause.when
    if event.kind == "custodial_sentence" and event.sentence_days:
        case.record_sentence(
            event.decision_id, event.decided_on, event.sentence_days, event.consecutive_to, rules_of(cause), by, when
        )
    elif event.kind == "non_custodial_measure" and event.measure and event.measure_days:
        case.start_supervision(event.measure, event.decided_on, event.measure_days, event.decision_id, by, when)
    elif event.kind == "pretrial_alternative" and event.measure_days:
        case.start_supervision(PRETRIAL_SUPERVISION, event.decided_on, event.measure_days, event.decision_id, by, when)


@reacts_to(SentenceAdjustmentRecorded, publishes=[ReleaseDatesCalculated])
def on_intake_sentence_adjustment_recorded(event: SentenceAdjustmentRecorded, uow: UnitOfWork, cause: Cause) -> None:
    case = case_of(uow, event.person_id)
    case.record_adjustment(
        event.adjustment_id, event.decision_id, event.kind, event.days, rules_of(cause), cause.by, cause.when
    )


@reacts_to(PersonAdmitted, publishes=[ReleaseDatesCalculated])
def on_intake_person_admitted(event: PersonAdmitted, uow: UnitOfWork, cause: Cause) -> None:
    """Custody learned after a sentence may change the remand it credits."""
    case = case_of(uow, event.person_id)
    case.custody_started(event.facility, cause.by, cause.when)
    case.recalculate_for_custody(rules_of(cause), cause.by, cause.when)


@reacts_to(AdmissionRecordedInError, publishes=[ReleaseDatesCalculated])
def on_intake_admission_recorded_in_error(event: AdmissionRecordedInError, uow: UnitOfWork, cause: Cause) -> None:
    """Custody that never was credits no remand."""
    case = case_of(uow, event.person_id)
    case.custody_cancelled(event.admitted_at.date(), cause.by, cause.when)
    case.recalculate_for_custody(rules_of(cause), cause.by, cause.when)
