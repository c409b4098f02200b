"""A learner's needs assessments and the individual plans built from them (Mandela Rule 94)."""

from __future__ import annotations

from datetime import date
from typing import Any

from services.programmes.domain.errors import (
    AssessmentNotFoundError,
    EligibilityNotMetError,
    NeedsAssessmentConflictError,
    PlanConflictError,
    PlanDateError,
)
from services.programmes.domain.learner_eligibility import EligibilityRules
from shared.domain import Provenance, differing, start_of_day


class NeedsAndPlans(EligibilityRules):
    def assess_needs(
        self, assessment_id: str, assessed_on: date, levels: dict[str, str], barriers: list[str], by: Provenance,
        risk_of_reoffending: str | None = None, needs: list[str] | None = None,
    ) -> bool:  # fmt: skip
        """Record a needs assessment; False if this very assessment is already recorded.

        The risk of reoffending and the needs identified (added with eligibility) go in an event of their own
        beside it, so that assessments recorded without them keep their stored shape.
        """
        this = {
            "assessed_on": assessed_on, "levels": levels, "barriers": barriers,
            "risk_of_reoffending": risk_of_reoffending, "needs": needs,
        }  # fmt: skip
        known = self.assessments.get(assessment_id)
        if known is not None:
            if changed := differing(known, this):
                raise NeedsAssessmentConflictError(
                    f"assessment_id: already used for a different assessment (differing: {', '.join(changed)})"
                )
            return False
        self.record(
            self.NeedsAssessed, by, start_of_day(assessed_on), assessment_id=assessment_id, assessed_on=assessed_on,
            levels=levels, barriers=barriers,
        )  # fmt: skip
        if risk_of_reoffending is not None or needs is not None:
            self.record(
                self.RiskAndNeedsAssessed, by, start_of_day(assessed_on), assessment_id=assessment_id,
                risk_of_reoffending=risk_of_reoffending, needs=needs,
            )  # fmt: skip
        return True

    def draw_up_plan(
        self, plan_id: str, assessment_id: str, drawn_up_on: date, goals: list[dict[str, Any]],
        eligibility_of: dict[str, dict[str, Any] | None], by: Provenance,
    ) -> bool:  # fmt: skip
        """Record an individual plan built from a needs assessment; False if this very plan is already recorded.

        Each goal meets a need, through a programme or otherwise (`programme_id` None). A named programme must
        be one the person is eligible for (`eligibility_of` gives each one's eligibility); its setting is not
        checked, as a plan may look past release.
        """
        this = {"assessment_id": assessment_id, "drawn_up_on": drawn_up_on, "goals": goals}
        known = self.plans.get(plan_id)
        if known is not None:
            if changed := differing(known, this):
                raise PlanConflictError(f"plan_id: already used for a different plan (differing: {', '.join(changed)})")
            return False
        assessment = self.assessments.get(assessment_id)
        if assessment is None:
            raise AssessmentNotFoundError("assessment_id: no such needs assessment for this person")
        if drawn_up_on < assessment["assessed_on"]:
            raise PlanDateError("drawn_up_on: before the needs assessment the plan is built from")
        for number, goal in enumerate(goals):
            programme_id = goal.get("programme_id")
            if programme_id is None:
                continue
            try:
                self.check_eligible(eligibility_of.get(programme_id))
            except EligibilityNotMetError as refused:
                raise EligibilityNotMetError(f"goals[{number}].programme_id: {programme_id} {refused}") from None
        self.record(
            self.PlanDrawnUp, by, start_of_day(drawn_up_on), plan_id=plan_id, assessment_id=assessment_id,
            drawn_up_on=drawn_up_on, goals=goals,
        )  # fmt: skip
        return True
