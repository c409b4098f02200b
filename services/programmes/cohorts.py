"""Delivery in cohorts: scheduling one, putting enrolled people in it, and recording its sessions."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from uuid import UUID

from services.programmes.domain.learner import Learner
from services.programmes.domain.programme import Programme
from shared.contracts.commands import AssignToCohort, RecordSession, ScheduleCohort, counts_as_attended
from shared.errors import PathwayError
from shared.eventstore.application import Context, Outcome, PathwayApplication

if TYPE_CHECKING:
    _Application = PathwayApplication
else:
    _Application = object  # the type checker sees the application these commands are mixed into

CANCELLED = "cancelled"


class CohortCommands(_Application):
    if TYPE_CHECKING:

        def learner(self, person_id: UUID | None) -> Learner: ...
        def programme(self, programme_id: str) -> Programme: ...

    def schedule_cohort(self, command: ScheduleCohort, ctx: Context) -> Outcome:
        programme = self.programme(command.programme_id)
        programme.schedule_cohort(
            command.cohort_id, command.starts_on, command.facility, command.sessions_planned, ctx.by
        )
        return Outcome({"programme_id": programme.programme_id, "cohort_id": command.cohort_id}, [programme])

    def assign_to_cohort(self, command: AssignToCohort, ctx: Context) -> Outcome:
        """Only a person enrolled in the programme (suspended or not) joins one of its cohorts."""
        learner = self.learner(ctx.person_id)
        programme = self.programme(command.programme_id)
        if learner.id not in programme.cohort(command.cohort_id)["members"]:
            learner.enrolment(programme.programme_id)
        if programme.assign_to_cohort(command.cohort_id, learner.id, command.assigned_on, ctx.by):
            learner.join_cohort(programme.programme_id, command.cohort_id, command.assigned_on, ctx.by)
        result = {"person_id": learner.id, "programme_id": programme.programme_id, "cohort_id": command.cohort_id}
        return Outcome(result, [programme, learner])

    def record_session(self, command: RecordSession, ctx: Context) -> Outcome:
        """The session once on its cohort, and each person's attendance on their learning record. A cancelled
        session records `cancelled` for everyone in the cohort whose enrolment is going on."""
        programme = self.programme(command.programme_id)
        pid, on, by = programme.programme_id, command.session_on, ctx.by
        members = programme.members(command.cohort_id)
        given: list[tuple[UUID, str, str | None]] = [
            (_named(self, number, a.person_id, a.national_id), a.outcome, a.absence_reason)
            for number, a in enumerate(command.attendance)
        ]
        programme.hold_session(command.cohort_id, on, command.cancelled, [(p, o) for p, o, _ in given], by)
        if command.cancelled:
            given = [(person_id, CANCELLED, None) for person_id in members]
        changed: list[Any] = [programme]
        for number, (person_id, outcome, reason) in enumerate(given):
            learner = self.learner(person_id)
            if command.cancelled and _not_going_on(learner, pid):
                continue  # ended, suspended or never enrolled since: nothing to cancel
            try:
                if learner.record_attendance(pid, on, counts_as_attended(outcome), by, outcome, reason):
                    changed.append(learner)
            except PathwayError as refused:
                raise type(refused)(f"attendance[{number}]: {refused}") from None
        result = {"programme_id": pid, "cohort_id": command.cohort_id, "session_on": on.isoformat()}
        return Outcome({**result, "recorded": len(changed) - 1}, changed)


def _named(app: CohortCommands, number: int, person_id: UUID | None, national_id: Any) -> UUID:
    try:
        return app.resolve_reference(person_id, national_id)
    except PathwayError as unknown:
        raise type(unknown)(f"attendance[{number}].{unknown}") from None


def _not_going_on(learner: Learner, programme_id: str) -> bool:
    enrolment = learner.enrolments.get(programme_id)
    return enrolment is None or bool(enrolment.get("suspended"))
