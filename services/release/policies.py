"""How release reacts to intake's and programmes' public events."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from services.release.domain.case import PRETRIAL_SUPERVISION, ReleaseCase
from shared.contracts.envelope import Envelope
from shared.contracts.events import (
    AdmissionRecordedInError,
    CourtDecisionRecorded,
    PersonAdmitted,
    PersonRegistered,
    ProgrammeCompleted,
    SentenceAdjustmentRecorded,
)
from shared.eventstore.application import Outcome, Policy

if TYPE_CHECKING:
    from services.release.application import Release


def release_policies(app: Release) -> Mapping[str, Policy]:
    def on_intake_person_registered(envelope: Envelope, event: PersonRegistered) -> Outcome:
        by, when, nid = app.reaction_provenance(envelope), envelope.occurred_at, event.national_id
        changed: list[Any] = app.learn_national_id(nid.issuer, nid.value, event.person_id, by, when)
        if app.get_or_none(event.person_id) is None:
            changed.append(ReleaseCase.open(event.person_id, by, when))
        return Outcome(changed=changed)

    def on_intake_court_decision_recorded(envelope: Envelope, event: CourtDecisionRecorded) -> Outcome:
        # A custodial sentence gets release dates; a non-custodial measure or a
        # pre-trial alternative starts supervision at once, with no custody.
        case = app.case(event.person_id)
        by = app.reaction_provenance(envelope)
        when = envelope.occurred_at
        if event.kind == "custodial_sentence" and event.sentence_days:
            case.record_sentence(
                event.decision_id, event.decided_on, event.sentence_days, event.consecutive_to, app.rules, by, when
            )
        elif event.kind == "non_custodial_measure" and event.measure and event.measure_days:
            case.start_supervision(event.measure, event.decided_on, event.measure_days, event.decision_id, by, when)
        elif event.kind == "pretrial_alternative" and event.measure_days:
            case.start_supervision(
                PRETRIAL_SUPERVISION, event.decided_on, event.measure_days, event.decision_id, by, when
            )
        return Outcome(changed=[case])

    def on_intake_sentence_adjustment_recorded(envelope: Envelope, event: SentenceAdjustmentRecorded) -> Outcome:
        case = app.case(event.person_id)
        by = app.reaction_provenance(envelope)
        case.record_adjustment(
            event.adjustment_id, event.decision_id, event.kind, event.days, app.rules, by, envelope.occurred_at
        )
        return Outcome(changed=[case])

    def on_intake_person_admitted(envelope: Envelope, event: PersonAdmitted) -> Outcome:
        case = app.case(event.person_id)
        by = app.reaction_provenance(envelope)
        case.custody_started(event.facility, by, envelope.occurred_at)
        case.recalculate_for_custody(app.rules, by, envelope.occurred_at)
        return Outcome(changed=[case])

    def on_intake_admission_recorded_in_error(envelope: Envelope, event: AdmissionRecordedInError) -> Outcome:
        case = app.case(event.person_id)
        by = app.reaction_provenance(envelope)
        case.custody_cancelled(event.admitted_at.date(), by, envelope.occurred_at)
        case.recalculate_for_custody(app.rules, by, envelope.occurred_at)
        return Outcome(changed=[case])

    def on_programmes_programme_completed(envelope: Envelope, event: ProgrammeCompleted) -> Outcome:
        case = app.case(event.person_id)
        case.record_achievement(
            event.programme_id,
            event.kind,
            event.completed_on,
            event.certificate_no,
            app.reaction_provenance(envelope),
            envelope.occurred_at,
        )
        return Outcome(changed=[case])

    return {
        **app.identity_policies(),
        PersonRegistered.type: on_intake_person_registered,
        CourtDecisionRecorded.type: on_intake_court_decision_recorded,
        SentenceAdjustmentRecorded.type: on_intake_sentence_adjustment_recorded,
        PersonAdmitted.type: on_intake_person_admitted,
        AdmissionRecordedInError.type: on_intake_admission_recorded_in_error,
        ProgrammeCompleted.type: on_programmes_programme_completed,
    }
