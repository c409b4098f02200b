"""Individual plans on their own (Mandela Rule 94): built from an assessment, naming programmes the person may take."""

from __future__ import annotations

from datetime import date

import pytest

from services.programmes.domain.errors import (
    AssessmentNotFoundError,
    EligibilityNotMetError,
    NeedsAssessmentConflictError,
    PlanConflictError,
    PlanDateError,
)
from services.programmes.domain.learner import Learner
from tests.unit.test_programmes_domain import BY, NOW, a_learner

LEVELS = {"education_level": "primary", "literacy": "entry", "numeracy": "entry", "work_readiness": "ready"}
ASSESSED_ON = date(2025, 1, 20)
GOALS = [{"need": "literacy", "programme_id": "EDU-LIT", "note": None}, {"need": "housing", "programme_id": None}]
CATALOGUE = {"EDU-LIT": {"needs": ["literacy"], "sexes": ["female"]}}


def an_assessed_learner(sex: str = "female") -> Learner:
    learner = a_learner(in_custody=True)
    learner.learn_sex(sex, BY, NOW)
    learner.assess_needs("NA-1", ASSESSED_ON, LEVELS, [], BY, risk_of_reoffending="medium", needs=["literacy"])
    learner.collect_events()
    return learner


def test_a_plan_is_recorded_once_and_with_other_content_refused_naming_what_differs() -> None:
    learner = an_assessed_learner()

    assert learner.draw_up_plan("PLAN-1", "NA-1", date(2025, 1, 21), GOALS, CATALOGUE, BY)
    assert not learner.draw_up_plan("PLAN-1", "NA-1", date(2025, 1, 21), GOALS, CATALOGUE, BY)
    with pytest.raises(PlanConflictError, match=r"plan_id: .*differing: goals"):
        learner.draw_up_plan("PLAN-1", "NA-1", date(2025, 1, 21), GOALS[:1], CATALOGUE, BY)
    assert [type(e) for e in learner.collect_events()] == [Learner.PlanDrawnUp]
    assert learner.plans["PLAN-1"]["goals"] == GOALS


def test_a_plan_needs_an_assessment_of_the_persons_made_before_it() -> None:
    learner = an_assessed_learner()

    with pytest.raises(AssessmentNotFoundError, match="assessment_id"):
        learner.draw_up_plan("PLAN-1", "NA-9", date(2025, 1, 21), GOALS, CATALOGUE, BY)
    with pytest.raises(PlanDateError, match="drawn_up_on"):
        learner.draw_up_plan("PLAN-1", "NA-1", date(2025, 1, 19), GOALS, CATALOGUE, BY)


def test_a_plan_naming_a_programme_the_person_is_not_eligible_for_is_refused_naming_the_goal() -> None:
    learner = an_assessed_learner(sex="male")

    with pytest.raises(EligibilityNotMetError, match=r"goals\[0\].programme_id: EDU-LIT refused: .*sexes female"):
        learner.draw_up_plan("PLAN-1", "NA-1", date(2025, 1, 21), GOALS, CATALOGUE, BY)
    assert learner.draw_up_plan("PLAN-1", "NA-1", date(2025, 1, 21), GOALS[1:], CATALOGUE, BY)


def test_an_assessment_repeated_with_other_risk_or_needs_is_refused_naming_them() -> None:
    learner = an_assessed_learner()
    again = {"risk_of_reoffending": "medium", "needs": ["literacy"]}

    assert not learner.assess_needs("NA-1", ASSESSED_ON, LEVELS, [], BY, **again)
    with pytest.raises(NeedsAssessmentConflictError, match="differing: needs, risk_of_reoffending"):
        learner.assess_needs("NA-1", ASSESSED_ON, LEVELS, [], BY, risk_of_reoffending="low", needs=[])


def test_an_assessment_without_risk_or_needs_records_no_more_than_before() -> None:
    learner = a_learner()
    learner.assess_needs("NA-1", ASSESSED_ON, LEVELS, [], BY)
    learner.assess_needs("NA-2", ASSESSED_ON, LEVELS, [], BY, needs=["employment"])

    kinds = [type(e) for e in learner.collect_events()]
    assert kinds == [Learner.NeedsAssessed, Learner.NeedsAssessed, Learner.RiskAndNeedsAssessed]
