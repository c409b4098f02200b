"""Individual plans (Mandela Rule 94): drawn up from a needs assessment, and the catalogue's proposals for one."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar
from uuid import UUID

from eventsourcing.utils import get_topic

from services.programmes.domain.learner import Learner
from services.programmes.domain.programme import Programme
from shared.contracts.commands import DrawUpPlan
from shared.errors import PathwayError
from shared.eventstore.application import Context, Outcome, PathwayApplication
from shared.eventstore.readmodel import Fold

# The type checker sees the application these commands are mixed into; at run time, a plain mixin.
if TYPE_CHECKING:
    _Application = PathwayApplication
else:
    _Application = object


class ProgrammeIds(Fold):
    """Every programme ever published, by id: the catalogue a proposal looks through."""

    topics: ClassVar[frozenset[str]] = frozenset(get_topic(e) for e in (Programme.Published, Programme.Catalogued))

    def __init__(self) -> None:
        self.ids: list[str] = []

    def apply(self, event: Any) -> None:
        if isinstance(event, Programme.Published | Programme.Catalogued):
            self.ids.append(event.programme_id)


class PlanCommands(_Application):
    if TYPE_CHECKING:

        def learner(self, person_id: UUID | None) -> Learner: ...
        def programme(self, programme_id: str) -> Programme: ...

    def draw_up_plan(self, command: DrawUpPlan, ctx: Context) -> Outcome:
        """Record the plan; each programme it names must be open and one the person is eligible for."""
        learner = self.learner(ctx.person_id)
        goals = [goal.model_dump() for goal in command.goals]
        eligibility_of: dict[str, dict[str, Any] | None] = {}
        if command.plan_id not in learner.plans:  # a repeat is recognised even if a programme retired since
            for number, goal in enumerate(goals):
                if goal["programme_id"] is not None:
                    eligibility_of[goal["programme_id"]] = _open_programme(self, goal["programme_id"], number)
        learner.draw_up_plan(command.plan_id, command.assessment_id, command.drawn_up_on, goals, eligibility_of, ctx.by)
        return Outcome({"person_id": learner.id, "plan_id": command.plan_id}, [learner])

    def plan_proposals(self, person_id: UUID) -> dict[str, Any]:
        """The open programmes meeting at least one of the person's assessed needs that they are eligible for,
        and the plans drawn up for them. For the staff drawing up a plan: needs are sensitive, not published."""
        learner = self.learner(person_id)
        needs = learner.assessed_needs or []
        proposed = []
        for programme_id in self.read_models.answer(ProgrammeIds, lambda catalogue: list(catalogue.ids)):
            programme = self.programme(programme_id)
            met = sorted(set(needs) & set((programme.eligibility or {}).get("needs") or []))
            if met and programme.retired is None and learner.is_eligible(programme.eligibility):
                proposed.append(
                    {
                        "programme_id": programme_id,
                        "title": programme.title,
                        "kind": programme.kind,
                        "setting": programme.setting,
                        "needs_met": met,
                        "free_places": programme.free_places(),
                    }
                )
        return {
            "person_id": str(learner.id),
            "assessed_needs": needs,
            "risk_of_reoffending": learner.risk_of_reoffending,
            "proposed": proposed,
            "plans": [_plan_as_dict(plan_id, plan) for plan_id, plan in learner.plans.items()],
        }


def _open_programme(app: PlanCommands, programme_id: str, number: int) -> dict[str, Any] | None:
    """The eligibility of a programme a goal names, or the error naming the goal."""
    try:
        programme = app.programme(programme_id)
        programme.check_open()
    except PathwayError as refused:
        problem = str(refused).removeprefix("programme_id: ")
        raise type(refused)(f"goals[{number}].programme_id: {problem}") from None
    return programme.eligibility


def _plan_as_dict(plan_id: str, plan: dict[str, Any]) -> dict[str, Any]:
    return {
        "plan_id": plan_id,
        "assessment_id": plan["assessment_id"],
        "drawn_up_on": plan["drawn_up_on"].isoformat(),
        "goals": plan["goals"],
    }
