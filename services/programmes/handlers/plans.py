"""Needs assessments, and the individual plans (Mandela Rule 94) drawn up from them."""

from __future__ import annotations

from typing import Any

from services.programmes.lookup import learner_of, programme_of
from shared.contracts.commands import AssessNeeds, DrawUpPlan
from shared.errors import PathwayError
from shared.eventstore.unit_of_work import UnitOfWork
from shared.registry.commands import Context, Result
from shared.registry.roles import PROGRAMME_OFFICER, allowed


@allowed(PROGRAMME_OFFICER)
def assess_needs(command: AssessNeeds, uow: UnitOfWork, ctx: Context) -> Result:
    learner = learner_of(uow, ctx.person_id)
    levels = command.model_dump(include={"education_level", "literacy", "numeracy", "work_readiness"})
    needs = None if command.needs is None else list(command.needs)
    learner.assess_needs(
        command.assessment_id, command.assessed_on, levels, list(command.barriers), ctx.by,
        risk_of_reoffending=command.risk_of_reoffending, needs=needs,
    )  # fmt: skip
    return {"person_id": learner.id, "assessment_id": command.assessment_id}


@allowed(PROGRAMME_OFFICER)
def draw_up_plan(command: DrawUpPlan, uow: UnitOfWork, ctx: Context) -> Result:
    """Record the plan; each programme it names must be open and one the person is eligible for."""
    learner = learner_of(uow, ctx.person_id)
    goals = [goal.model_dump() for goal in command.goals]
    eligibility_of: dict[str, dict[str, Any] | None] = {}
    if command.plan_id not in learner.plans:  # a repeat is recognised even if a programme retired since
        for number, goal in enumerate(goals):
            if goal["programme_id"] is not None:
                eligibility_of[goal["programme_id"]] = _open_programme(uow, goal["programme_id"], number)
    learner.draw_up_plan(command.plan_id, command.assessment_id, command.drawn_up_on, goals, eligibility_of, ctx.by)
    return {"person_id": learner.id, "plan_id": command.plan_id}


def _open_programme(uow: UnitOfWork, programme_id: str, number: int) -> dict[str, Any] | None:
    """The eligibility of a programme a goal names, or the error naming the goal."""
    try:
        programme = programme_of(uow, programme_id)
        programme.check_open()
    except PathwayError as refused:
        problem = str(refused).removeprefix("programme_id: ")
        raise type(refused)(f"goals[{number}].programme_id: {problem}") from None
    return programme.eligibility
