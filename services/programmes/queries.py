"""Programmes' queries: figures per programme, a programme's waiting list, and two reads of one person's case (their
learning record, and proposals for their individual plan). The figures and the record answer from read models folded
from programmes' events; the waiting list and the proposals from the aggregates, loaded through a unit of work that
is never committed."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from services.programmes.domain.learner import Plan
from services.programmes.lookup import learner_of, programme_of
from services.programmes.places import waiting_order
from services.programmes.read_models.catalogue import ProgrammeIds
from services.programmes.read_models.learning_records import LearningRecords
from services.programmes.read_models.programme_figures import ProgrammesReadModel
from shared.contracts.base import Text
from shared.eventstore.application import PathwayApplication
from shared.eventstore.unit_of_work import UnitOfWork
from shared.registry.queries import NoParams, PersonId, Queries, Query, QueryParams
from shared.registry.roles import AUDITOR, NEEDS, PROBATION_OFFICER, PROGRAMME_OFFICER, RISK

Rows = list[dict[str, Any]]


class AboutProgramme(QueryParams):
    programme_id: Text = Field(description="the programme, as the catalogue names it")


class AboutPerson(QueryParams):
    person_id: PersonId = Field(description="the person's id (a UUID)")


def programmes(params: NoParams, app: PathwayApplication) -> Rows:
    """Per programme: capacity, places in use, waiting, completed, dropped out, completion rate."""
    return app.read_models.answer(ProgrammesReadModel, lambda model: [row.as_dict() for row in model.figures()])


def waiting_list(params: AboutProgramme, app: PathwayApplication) -> Rows:
    """A programme's waiting list now, in the order places will be offered."""
    uow = UnitOfWork(app)
    programme = programme_of(uow, params.programme_id)
    return [
        {
            "position": position,
            "person_id": str(person_id),
            "referral_id": programme.waiting[person_id]["referral_id"],
            "referred_on": programme.waiting[person_id]["referred_on"].isoformat(),
            "sentence_end": None if (end := learner_of(uow, person_id).sentence_end) is None else end.isoformat(),
        }
        for position, person_id in enumerate(waiting_order(uow, programme), start=1)
    ]


def learning_record(params: AboutPerson, app: PathwayApplication) -> dict[str, Any]:
    """What the person attended and achieved, across transfers (and records merged into theirs)."""
    learner = learner_of(UnitOfWork(app), params.person_id)
    streams = app.person_stream_ids(learner.id)
    return app.read_models.answer(LearningRecords, lambda model: model.record_of(learner.id, streams).as_dict())


def plan_proposals(params: AboutPerson, app: PathwayApplication) -> dict[str, Any]:
    """For an individual plan: the open programmes meeting at least one of the person's assessed needs that they are
    eligible for, and the plans drawn up for them. For the staff drawing up a plan: needs are sensitive, not
    published."""
    uow = UnitOfWork(app)
    learner = learner_of(uow, params.person_id)
    needs = learner.assessed_needs or []
    proposed = []
    for programme_id in app.read_models.answer(ProgrammeIds, lambda catalogue: list(catalogue.ids)):
        programme = programme_of(uow, programme_id)
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


def _plan_as_dict(plan_id: str, plan: Plan) -> dict[str, Any]:
    return {
        "plan_id": plan_id,
        "assessment_id": plan["assessment_id"],
        "drawn_up_on": plan["drawn_up_on"].isoformat(),
        "goals": plan["goals"],
    }


QUERIES = Queries(
    "programmes",
    Query("programmes", NoParams, programmes, Rows, roles=frozenset({PROGRAMME_OFFICER, AUDITOR})),
    Query(
        "waiting-list",
        AboutProgramme,
        waiting_list,
        Rows,
        route="/programmes/<programme_id>/waiting-list",
        roles=frozenset({PROGRAMME_OFFICER, AUDITOR}),
    ),
    Query(
        "learning-record",
        AboutPerson,
        learning_record,
        dict[str, Any],
        route="/persons/<person_id>/learning-record",
        reads_case=True,
        roles=frozenset({PROGRAMME_OFFICER, PROBATION_OFFICER, AUDITOR}),
    ),
    Query(
        "plan-proposals",
        AboutPerson,
        plan_proposals,
        dict[str, Any],
        route="/persons/<person_id>/plan-proposals",
        reads_case=True,
        roles=frozenset({PROGRAMME_OFFICER, AUDITOR}),
        # The proposals are chosen by the needs: they tell them as plainly as the list of needs does.
        sensitive={
            "assessed_needs": NEEDS,
            "risk_of_reoffending": RISK,
            "proposed": NEEDS,
            "plans.goals.need": NEEDS,
            "plans.goals.note": NEEDS,
        },
    ),
)
