"""The contracts added for eligibility, plans and cohorts: what they accept, and fingerprints kept stable."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest

from shared.contracts.base import validate
from shared.contracts.commands import AssessNeeds, DrawUpPlan, RecordSession
from shared.errors import InvalidInput

ACTOR = {"id": "tutor-03", "role": "programme_officer", "agency": "Test Prison Service"}
PERSON = "5d1f3a8e-2c47-5b9e-8f60-1a2b3c4d5e6f"
ASSESSMENT = {
    "actor": ACTOR,
    "person_id": PERSON,
    "assessment_id": "NA-1",
    "assessed_on": "2025-01-20",
    "education_level": "primary",
    "literacy": "entry",
    "numeracy": "entry",
    "work_readiness": "ready",
    "barriers": ["ZZ-BARRIER"],
}


def session(**changes: Any) -> dict[str, Any]:
    attended = {"national_id": {"issuer": "TEST-NID", "value": "A1"}, "outcome": "attended_and_complied"}
    base = {"actor": ACTOR, "programme_id": "P-WELD", "cohort_id": "C-1", "session_on": "2025-02-08"}
    return {**base, "attendance": [attended], **changes}


def test_an_assessment_sent_before_risk_and_needs_existed_keeps_its_fingerprint() -> None:
    content = {**{k: v for k, v in ASSESSMENT.items() if k != "actor"}, "national_id": None}  # the fields then
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"))
    as_before = hashlib.sha256(f"assess_needs:{canonical}".encode()).hexdigest()

    assert validate(AssessNeeds, ASSESSMENT).fingerprint() == as_before
    assert validate(AssessNeeds, {**ASSESSMENT, "needs": []}).fingerprint() != as_before


def test_a_session_has_attendance_unless_cancelled_and_each_person_once() -> None:
    assert validate(RecordSession, session()).attendance[0].outcome == "attended_and_complied"
    assert validate(RecordSession, session(cancelled=True, attendance=[])).cancelled

    for wrong in (session(attendance=[]), session(cancelled=True), session(attendance=session()["attendance"] * 2)):
        with pytest.raises(InvalidInput, match="attendance"):
            validate(RecordSession, wrong)
    absent = {"person_id": PERSON, "outcome": "acceptable_absence"}
    with pytest.raises(InvalidInput, match="absence_reason"):
        validate(RecordSession, session(attendance=[absent]))


def test_a_plan_has_at_least_one_goal() -> None:
    plan = {"actor": ACTOR, "person_id": PERSON, "plan_id": "PLAN-1", "assessment_id": "NA-1"}
    plan |= {"drawn_up_on": "2025-01-25", "goals": [{"need": "literacy"}]}

    assert validate(DrawUpPlan, plan).goals[0].programme_id is None
    with pytest.raises(InvalidInput):
        validate(DrawUpPlan, {**plan, "goals": []})
