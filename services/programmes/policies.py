"""How programmes reacts to intake's and release's public events."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from services.programmes.domain.learner import Learner
from services.programmes.domain.programme import Programme
from shared.contracts.envelope import Envelope
from shared.contracts.events import (
    AdmissionRecordedInError,
    IdentifierAdded,
    PersonAdmitted,
    PersonRegistered,
    PersonReleased,
    PersonsMerged,
    PersonsUnmerged,
    PersonTransferred,
    SupervisionCompleted,
    SupervisionStarted,
)
from shared.eventstore.application import Outcome, Policy

if TYPE_CHECKING:
    from services.programmes.application import Programmes


def programmes_policies(app: Programmes) -> Mapping[str, Policy]:
    def on_intake_person_registered(envelope: Envelope, event: PersonRegistered) -> Outcome:
        by, when, nid = app.reaction_provenance(envelope), envelope.occurred_at, event.national_id
        changed: list[Any] = app.learn_national_id(nid.issuer, nid.value, event.person_id, by, when)
        if app.get_or_none(event.person_id) is None:
            changed.append(Learner.register(event.person_id, by, when))
        return Outcome(changed=changed)

    def on_intake_person_admitted(envelope: Envelope, event: PersonAdmitted) -> Outcome:
        learner = app.learner(event.person_id)
        learner.custody_started(event.facility, app.reaction_provenance(envelope), envelope.occurred_at)
        return Outcome(changed=[learner])

    def on_intake_admission_recorded_in_error(envelope: Envelope, event: AdmissionRecordedInError) -> Outcome:
        learner = app.learner(event.person_id)
        learner.custody_cancelled(app.reaction_provenance(envelope), envelope.occurred_at)
        return Outcome(changed=[learner])

    def on_intake_person_transferred(envelope: Envelope, event: PersonTransferred) -> Outcome:
        learner = app.learner(event.person_id)
        learner.custody_started(event.to_facility, app.reaction_provenance(envelope), envelope.occurred_at)
        return Outcome(changed=[learner])

    def on_release_person_released(envelope: Envelope, event: PersonReleased) -> Outcome:
        by = app.reaction_provenance(envelope)
        learner = app.learner(event.person_id)
        changed: list[Any] = [learner]
        for programme_id in learner.custody_ended(event.released_on, by, envelope.occurred_at):
            programme: Programme = app.programme(programme_id)
            programme.free_place(learner.id, by, envelope.occurred_at)
            changed.append(programme)
        return Outcome(changed=changed)

    def on_release_supervision_started(envelope: Envelope, event: SupervisionStarted) -> Outcome:
        learner = app.learner(event.person_id)
        learner.supervision_started(event.supervision_type, app.reaction_provenance(envelope), envelope.occurred_at)
        return Outcome(changed=[learner])

    def on_release_supervision_completed(envelope: Envelope, event: SupervisionCompleted) -> Outcome:
        learner = app.learner(event.person_id)
        learner.supervision_ended(app.reaction_provenance(envelope), envelope.occurred_at)
        return Outcome(changed=[learner])

    def on_intake_identifier_added(envelope: Envelope, event: IdentifierAdded) -> Outcome:
        if event.kind != "national_id":
            return Outcome()  # only national identifiers name people in commands
        by, when = app.reaction_provenance(envelope), envelope.occurred_at
        return Outcome(changed=list(app.learn_national_id(event.issuer, event.value, event.person_id, by, when)))

    def on_intake_persons_merged(envelope: Envelope, event: PersonsMerged) -> Outcome:
        return app.follow_merge(envelope, event.person_id, event.merged_person_id)

    def on_intake_persons_unmerged(envelope: Envelope, event: PersonsUnmerged) -> Outcome:
        return app.follow_merge(envelope, event.person_id, event.merged_person_id, undo=True)

    return {
        IdentifierAdded.type: on_intake_identifier_added,
        PersonsMerged.type: on_intake_persons_merged,
        PersonsUnmerged.type: on_intake_persons_unmerged,
        PersonRegistered.type: on_intake_person_registered,
        PersonAdmitted.type: on_intake_person_admitted,
        PersonTransferred.type: on_intake_person_transferred,
        AdmissionRecordedInError.type: on_intake_admission_recorded_in_error,
        PersonReleased.type: on_release_person_released,
        SupervisionStarted.type: on_release_supervision_started,
        SupervisionCompleted.type: on_release_supervision_completed,
    }
