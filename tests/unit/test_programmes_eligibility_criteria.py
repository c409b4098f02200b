"""Eligibility by sex, risk of reoffending and needs: applied where the person's data exists, naming the criterion."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from services.programmes.domain.errors import EligibilityNotMetError
from services.programmes.domain.learner import Learner
from tests.unit.test_programmes_domain import BY, NOW, a_learner

LEVELS = {"education_level": "primary", "literacy": "entry", "numeracy": "entry", "work_readiness": "ready"}
WOMEN_ONLY = {"sexes": ["female"]}
FOR_HIGHER_RISK = {"risk_levels": ["medium", "high"]}
FOR_LITERACY = {"needs": ["literacy", "numeracy"]}


def assessed(learner: Learner, assessment_id: str, on: date, **findings: Any) -> None:
    learner.assess_needs(assessment_id, on, LEVELS, [], BY, **findings)


def test_a_women_only_programme_refuses_a_man_naming_the_criterion() -> None:
    learner = a_learner(in_custody=True)
    learner.learn_sex("male", BY, NOW)

    with pytest.raises(EligibilityNotMetError, match="for sexes female, and the person's recorded sex is not one"):
        learner.enrol("VOC-WELD", "custody", date(2025, 2, 1), BY, WOMEN_ONLY)
    assert not learner.can_take_place("VOC-WELD", "custody", WOMEN_ONLY)


def test_a_person_of_unknown_or_unrecorded_sex_is_not_refused_on_it() -> None:
    unrecorded = a_learner(in_custody=True)
    unknown = a_learner(in_custody=True)
    unknown.learn_sex("unknown", BY, NOW)
    woman = a_learner(in_custody=True)
    woman.learn_sex("female", BY, NOW)

    assert all(p.is_eligible(WOMEN_ONLY) for p in (unrecorded, unknown, woman))


def test_a_risk_targeted_programme_refuses_a_lower_risk_from_the_latest_assessment() -> None:
    learner = a_learner(in_custody=True)
    assert learner.is_eligible(FOR_HIGHER_RISK)  # not assessed: not refused on it
    assessed(learner, "NA-1", date(2025, 1, 10), risk_of_reoffending="high")
    assessed(learner, "NA-2", date(2025, 3, 10), risk_of_reoffending="low")
    assessed(learner, "NA-0", date(2024, 12, 1), risk_of_reoffending="medium")  # recorded late, older

    assert learner.risk_of_reoffending == "low"
    with pytest.raises(EligibilityNotMetError, match="for risk levels medium, high, and the person's assessed risk"):
        learner.check_eligible(FOR_HIGHER_RISK)


def test_a_needs_targeted_programme_asks_for_one_of_its_needs_without_listing_the_persons() -> None:
    learner = a_learner(in_custody=True)
    assessed(learner, "NA-1", date(2025, 1, 10))  # an assessment without needs says nothing of them
    assert learner.assessed_needs is None
    assert learner.is_eligible(FOR_LITERACY)

    assessed(learner, "NA-2", date(2025, 1, 20), needs=["employment", "substance_use"])
    with pytest.raises(EligibilityNotMetError, match="for needs literacy, numeracy") as refused:
        learner.check_eligible(FOR_LITERACY)
    assert "substance_use" not in str(refused.value)  # sensitive: never in a message

    assessed(learner, "NA-3", date(2025, 2, 1), needs=["numeracy"])
    assert learner.is_eligible(FOR_LITERACY)
    assessed(learner, "NA-4", date(2025, 2, 2), needs=[])  # assessed: no needs identified
    assert not learner.is_eligible(FOR_LITERACY)


def test_only_the_security_level_is_rechecked_on_a_running_enrolment() -> None:
    learner = a_learner(in_custody=True)
    assessed(learner, "NA-1", date(2025, 1, 20), needs=[])
    both = {"security_levels": ["low"], **FOR_LITERACY}

    assert learner.meets_security_level(both)  # the needs met since do not count against it
    learner.learn_security_level("high", BY, NOW)
    assert not learner.meets_security_level(both)


def test_the_same_sex_again_is_not_recorded_twice() -> None:
    learner = a_learner()
    assert learner.learn_sex("female", BY, NOW)
    assert not learner.learn_sex("female", BY, NOW)
    assert [type(e) for e in learner.collect_events()] == [Learner.SexLearned]
