"""How programmes reacts to intake's and release's public events."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

from services.programmes.absence_policies import absence_policies
from services.programmes.domain.learner import NO_LONGER_ELIGIBLE, RELEASED_BEFORE_COMPLETION, Learner
from services.programmes.domain.programme import Programme
from services.programmes.domain.referral import AWAITING_ALLOCATION
from shared.contracts.envelope import Envelope
from shared.contracts.events import (
    AdmissionRecordedInError,
    ClassificationDecided,
    PersonAdmitted,
    PersonRegistered,
    PersonReleased,
    PersonTransferred,
    RecallExecuted,
    ReleaseDatesCalculated,
    SupervisionCompleted,
    SupervisionStarted,
)
from shared.domain import Provenance
from shared.eventstore.application import Outcome, Policy

if TYPE_CHECKING:
    from services.programmes.application import Programmes


def programmes_policies(app: Programmes) -> Mapping[str, Policy]:
    def on_intake_person_registered(envelope: Envelope, event: PersonRegistered) -> Outcome:
        by, when, nid = app.reaction_provenance(envelope), envelope.occurred_at, event.national_id
        changed: list[Any] = app.learn_national_id(nid.issuer, nid.value, event.person_id, by, when)
        learner: Learner | None = app.get_or_none(event.person_id)
        if learner is None:
            learner = Learner.register(event.person_id, by, when)
        if event.sex is not None:  # None from registrations published before the field was added
            learner.learn_sex(event.sex, by, when)
        return Outcome(changed=[*changed, learner])

    def on_intake_person_admitted(envelope: Envelope, event: PersonAdmitted) -> Outcome:
        by, on = app.reaction_provenance(envelope), event.admitted_at.date()
        learner = app.learner(event.person_id)
        learner.custody_started(event.facility, by, envelope.occurred_at)
        return Outcome(changed=app.offer_waiting_places(learner, on, by))

    def on_intake_classification_decided(envelope: Envelope, event: ClassificationDecided) -> Outcome:
        """The security level in force, checked against programmes' eligibility: running custody enrolments the
        new level is not eligible for are suspended, those it is eligible for again resume, and it may make the
        person eligible for a place they wait for."""
        if event.level is None:
            return Outcome()  # a rejected initial classification: no level in force yet
        by, on = app.reaction_provenance(envelope), event.decided_on
        learner = app.learner(event.person_id)
        if not learner.learn_security_level(event.level, by, envelope.occurred_at):
            return Outcome()
        known: dict[UUID, Learner] = {learner.id: learner}  # one instance of each aggregate per save
        rechecked = recheck_enrolments(learner, on, by, envelope.occurred_at, known)
        changed = [*rechecked, *app.offer_waiting_places(learner, on, by, known)]
        return Outcome(changed=list({id(a): a for a in changed}.values()))

    def recheck_enrolments(
        learner: Learner, on: date, by: Provenance, when: datetime, known: dict[UUID, Learner]
    ) -> list[Programme]:
        """After a reclassification: suspended (`no_longer_eligible`: the place freed and offered to the people
        waiting, the progress kept) where the programme is not for the new level; suspended ones resume where it
        is again, runs where the person is held, and has a place free."""
        programmes: list[Programme] = []
        for programme_id in learner.running("custody"):
            programme = app.programme(programme_id)
            if not learner.meets_security_level(programme.eligibility):
                learner.suspend(programme_id, on, by, reason=NO_LONGER_ELIGIBLE)
                programme.free_place(learner.id, by, when)
                app.fill_places(programme, on, by, known)
                programmes.append(programme)
        for programme_id in learner.suspended():
            if learner.enrolments[programme_id]["setting"] != "custody":
                continue
            programme = app.programme(programme_id)  # suspended for this or (reclassified since) a transfer
            runs_here = learner.facility is not None and programme.facility in (None, learner.facility)
            if runs_here and learner.meets_security_level(programme.eligibility) and programme.free_places() > 0:
                learner.resume(programme_id, on, by)
                programme.take_place(learner.id, by, when)
                programmes.append(programme)
        return programmes

    def on_intake_admission_recorded_in_error(envelope: Envelope, event: AdmissionRecordedInError) -> Outcome:
        learner = app.learner(event.person_id)
        learner.custody_cancelled(app.reaction_provenance(envelope), envelope.occurred_at)
        return Outcome(changed=[learner])

    def on_intake_person_transferred(envelope: Envelope, event: PersonTransferred) -> Outcome:
        """Custody enrolments where the programme does not run are suspended (their place freed, progress
        kept); suspended ones where it runs resume if a place is free (and, suspended after a reclassification,
        if the person's level is eligible again). A programme without a facility runs wherever the person is held."""
        by, on = app.reaction_provenance(envelope), event.transferred_at.date()
        learner = app.learner(event.person_id)
        learner.custody_started(event.to_facility, by, envelope.occurred_at)
        known: dict[UUID, Learner] = {learner.id: learner}
        programmes: list[Programme] = []
        for programme_id, enrolment in list(learner.enrolments.items()):
            programme = app.programme(programme_id)
            runs_here = programme.facility in (None, event.to_facility)
            if enrolment["setting"] != "custody" or (runs_here and not enrolment.get("suspended")):
                continue
            if not runs_here and learner.suspend(programme_id, on, by):
                programme.free_place(learner.id, by, envelope.occurred_at)
                programmes.append(programme)
                app.fill_places(programme, on, by, known)
            elif runs_here and programme.free_places() > 0 and learner.meets_security_level(programme.eligibility):
                learner.resume(programme_id, on, by)
                programme.take_place(learner.id, by, envelope.occurred_at)
                programmes.append(programme)
        return Outcome(changed=[*known.values(), *programmes])

    def on_release_person_released(envelope: Envelope, event: PersonReleased) -> Outcome:
        by, on = app.reaction_provenance(envelope), event.released_on
        learner = app.learner(event.person_id)
        known: dict[UUID, Learner] = {learner.id: learner}  # one instance of each aggregate per save
        programmes: dict[str, Programme] = {}
        freed = learner.custody_ended(on, by, envelope.occurred_at)
        for programme_id in freed:
            learner.record_end(programme_id, RELEASED_BEFORE_COMPLETION, on, by)
            learner.close_referral(programme_id, "withdrawn", on, ("release", RELEASED_BEFORE_COMPLETION), by)
            programme = programmes.setdefault(programme_id, app.programme(programme_id))
            programme.free_place(learner.id, by, envelope.occurred_at)
        for referral_id, referral in list(learner.referrals.items()):
            programme = programmes.get(referral["programme_id"]) or app.programme(referral["programme_id"])
            if referral["status"] == AWAITING_ALLOCATION and programme.setting == "custody":
                learner.change_referral(referral_id, "withdrawn", on, ("release", "released"), by)
                programme.stop_waiting(learner.id, by, envelope.occurred_at)
                programmes[programme.programme_id] = programme
        allocated = [a for pid in freed for a in app.fill_places(programmes[pid], on, by, known)]
        for programme_id in freed:
            community = programmes[programme_id].community_version
            offered = app.get_or_none(Programme.id_for(community)) if community else None
            if offered is not None and offered.retired is None:
                learner.offer_community_version(offered.programme_id, programme_id, on, by)
        return Outcome(changed=list({id(a): a for a in [learner, *programmes.values(), *allocated]}.values()))

    def on_release_recall_executed(envelope: Envelope, event: RecallExecuted) -> Outcome:
        """Community enrolments are suspended (their place freed for the people waiting, progress kept)."""
        by, on = app.reaction_provenance(envelope), event.executed_at.date()
        learner = app.learner(event.person_id)
        known: dict[UUID, Learner] = {learner.id: learner}
        programmes: list[Programme] = []
        for programme_id in learner.community_enrolments():
            if learner.suspend(programme_id, on, by, reason="recalled"):
                programme = app.programme(programme_id)
                programme.free_place(learner.id, by, envelope.occurred_at)
                programmes.append(programme)
                app.fill_places(programme, on, by, known)
        return Outcome(changed=[*known.values(), *programmes])

    def on_release_release_dates_calculated(envelope: Envelope, event: ReleaseDatesCalculated) -> Outcome:
        """The sentence end, which sets the person's priority on waiting lists."""
        by, when = app.reaction_provenance(envelope), envelope.occurred_at
        learner: Learner | None = app.get_or_none(event.person_id)
        if learner is None:  # release learned it before intake's registration reached us
            learner = Learner.register(event.person_id, by, when)
        learner.learn_sentence_end(event.sentence_end, by, when)
        return Outcome(changed=[learner])

    def on_release_supervision_started(envelope: Envelope, event: SupervisionStarted) -> Outcome:
        """Under supervision again: community enrolments suspended by a recall resume where a place is free."""
        by, on = app.reaction_provenance(envelope), event.started_on
        learner = app.learner(event.person_id)
        learner.supervision_started(event.supervision_type, by, envelope.occurred_at)
        resumed: list[Programme] = []
        for programme_id in learner.suspended():
            programme = app.programme(programme_id)
            if programme.setting == "community" and programme.free_places() > 0:
                learner.resume(programme_id, on, by)
                programme.take_place(learner.id, by, envelope.occurred_at)
                resumed.append(programme)
        return Outcome(changed=[*app.offer_waiting_places(learner, on, by), *resumed])

    def on_release_supervision_completed(envelope: Envelope, event: SupervisionCompleted) -> Outcome:
        learner = app.learner(event.person_id)
        learner.supervision_ended(app.reaction_provenance(envelope), envelope.occurred_at)
        return Outcome(changed=[learner])

    return {
        **app.identity_policies(),
        **absence_policies(app),
        PersonRegistered.type: on_intake_person_registered,
        PersonAdmitted.type: on_intake_person_admitted,
        PersonTransferred.type: on_intake_person_transferred,
        AdmissionRecordedInError.type: on_intake_admission_recorded_in_error,
        ClassificationDecided.type: on_intake_classification_decided,
        PersonReleased.type: on_release_person_released,
        RecallExecuted.type: on_release_recall_executed,
        ReleaseDatesCalculated.type: on_release_release_dates_calculated,
        SupervisionStarted.type: on_release_supervision_started,
        SupervisionCompleted.type: on_release_supervision_completed,
    }
