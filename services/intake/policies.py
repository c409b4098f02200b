"""How intake reacts to other services' public events."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from shared.contracts.envelope import Envelope
from shared.contracts.events import PersonReleased, RecallExecuted, ReleaseRecordedInError
from shared.eventstore.application import Outcome, Policy

if TYPE_CHECKING:
    from services.intake.application import Intake


def intake_policies(app: Intake) -> Mapping[str, Policy]:
    def on_release_person_released(envelope: Envelope, event: PersonReleased) -> Outcome:
        # The person left custody: a later admission needs a new commitment order.
        person = app.person(event.person_id)
        placement = person.placement
        by = app.reaction_provenance(envelope)
        person.end_custody(event.released_on, by, envelope.occurred_at)
        return Outcome(changed=[person, *app.units_left(person, placement, by)])

    def on_release_recall_executed(envelope: Envelope, event: RecallExecuted) -> Outcome:
        # The recall is the commitment: intake records a recall admission at the facility it names.
        person = app.person(event.person_id)
        person.admit_on_recall(
            event.recall_id, event.facility, event.executed_at, event.issuing_authority,
            app.reaction_provenance(envelope),
        )  # fmt: skip
        return Outcome(changed=[person])

    def on_release_recorded_in_error(envelope: Envelope, event: ReleaseRecordedInError) -> Outcome:
        # A correction: the person never left, so the stay the release ended continues (issue 6).
        person = app.person(event.person_id)
        person.restore_custody(event.released_on, app.reaction_provenance(envelope), envelope.occurred_at)
        return Outcome(changed=[person])

    return {
        PersonReleased.type: on_release_person_released,
        RecallExecuted.type: on_release_recall_executed,
        ReleaseRecordedInError.type: on_release_recorded_in_error,
    }
