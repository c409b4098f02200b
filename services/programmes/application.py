"""Programmes' application: the catalogue, enrolment, attendance, completion."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from uuid import UUID

from services.programmes.domain.errors import PersonNotFoundError, ProgrammeNotFoundError
from services.programmes.domain.learner import Learner
from services.programmes.domain.programme import Programme
from services.programmes.policies import programmes_policies
from shared.contracts.commands import COMMANDS, CompleteProgramme, Enrol, PublishProgramme, RecordAttendance
from shared.domain import start_of_day
from shared.eventstore.application import Context, Outcome, PathwayApplication, Policy


class Programmes(PathwayApplication):
    service = "programmes"
    commands = COMMANDS["programmes"]
    reaction_outputs = {
        "intake.identifier.added": frozenset(),
        "intake.persons.merged": frozenset(),
        "intake.persons.unmerged": frozenset(),
        "intake.person.registered": frozenset(),
        "intake.person.admitted": frozenset(),
        "intake.person.transferred": frozenset(),
        "intake.admission.recorded-in-error": frozenset(),
        "release.person.released": frozenset({"programmes.enrolment.withdrawn"}),
        "release.supervision.started": frozenset(),
        "release.supervision.completed": frozenset(),
    }

    def publish_programme(self, command: PublishProgramme, ctx: Context) -> Outcome:
        details = command.model_dump(
            include={"programme_id", "title", "kind", "setting", "capacity", "sessions_required"}
        )
        existing: Programme | None = self.get_or_none(Programme.id_for(command.programme_id))
        if existing is not None:
            existing.check_same_publication(details)
            return Outcome({"programme_id": command.programme_id})
        programme = Programme.publish(details, ctx.by, datetime.now(UTC))
        return Outcome({"programme_id": command.programme_id}, [programme])

    def enrol(self, command: Enrol, ctx: Context) -> Outcome:
        learner = self.learner(ctx.person_id)
        programme = self.programme(command.programme_id)
        result = {"person_id": learner.id, "programme_id": command.programme_id}
        if learner.enrol(programme.programme_id, programme.setting, command.enrolled_on, ctx.by):
            programme.take_place(learner.id, ctx.by, start_of_day(command.enrolled_on))
        return Outcome(result, [learner, programme])

    def record_attendance(self, command: RecordAttendance, ctx: Context) -> Outcome:
        learner = self.learner(ctx.person_id)
        programme = self.programme(command.programme_id)
        learner.record_attendance(programme.programme_id, command.session_on, command.attended, ctx.by)
        result = {
            "person_id": learner.id,
            "programme_id": programme.programme_id,
            "sessions_attended": learner.sessions_attended(programme.programme_id),
        }
        return Outcome(result, [learner])

    def complete_programme(self, command: CompleteProgramme, ctx: Context) -> Outcome:
        learner = self.learner(ctx.person_id)
        programme = self.programme(command.programme_id)
        completed = learner.complete(
            programme.programme_id,
            programme.kind,
            programme.sessions_required,
            command.completed_on,
            command.certificate_no,
            ctx.by,
        )
        if completed:
            programme.free_place(learner.id, ctx.by, start_of_day(command.completed_on))
        return Outcome({"person_id": learner.id, "programme_id": programme.programme_id}, [learner, programme])

    # --- queries ---------------------------------------------------------

    def learner(self, person_id: UUID | None) -> Learner:
        learner: Learner | None = self.get_or_none(person_id) if person_id else None
        if learner is None:
            raise PersonNotFoundError("person_id: unknown person")
        return learner

    def programme(self, programme_id: str) -> Programme:
        programme: Programme | None = self.get_or_none(Programme.id_for(programme_id))
        if programme is None:
            raise ProgrammeNotFoundError("programme_id: unknown programme")
        return programme

    def policies(self) -> Mapping[str, Policy]:
        return programmes_policies(self)
