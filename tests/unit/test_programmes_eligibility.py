"""Eligibility on its own: the security level learned from intake against the programme's security levels."""

from __future__ import annotations

from datetime import date

import pytest

from services.programmes.domain.errors import EligibilityNotMetError
from services.programmes.domain.learner import Learner
from tests.unit.test_programmes_domain import BY, NOW, a_learner

LOW_ONLY = {"security_levels": ["low", "medium"]}


def test_an_enrolment_is_refused_naming_the_levels_the_programme_is_for() -> None:
    learner = a_learner(in_custody=True)
    learner.learn_security_level("high", BY, NOW)

    with pytest.raises(EligibilityNotMetError, match=r"security levels low, medium, and the person's security level"):
        learner.enrol("VOC-WELD", "custody", date(2025, 2, 1), BY, LOW_ONLY)
    assert not learner.can_take_place("VOC-WELD", "custody", LOW_ONLY)


def test_an_eligible_or_unclassified_person_or_an_open_programme_is_not_refused() -> None:
    unclassified = a_learner(in_custody=True)
    assert unclassified.can_take_place("VOC-WELD", "custody", LOW_ONLY)  # no data: not refused on it
    learner = a_learner(in_custody=True)
    learner.learn_security_level("medium", BY, NOW)
    assert learner.can_take_place("VOC-WELD", "custody", LOW_ONLY)
    assert learner.enrol("VOC-WELD", "custody", date(2025, 2, 1), BY, {"security_levels": None, "sexes": ["female"]})


def test_the_same_level_again_is_not_recorded_twice() -> None:
    learner = a_learner()
    assert learner.learn_security_level("low", BY, NOW)
    assert not learner.learn_security_level("low", BY, NOW)
    assert learner.learn_security_level("high", BY, NOW)  # a reclassification
    kinds = [type(e) for e in learner.collect_events()]
    assert kinds.count(Learner.SecurityLevelLearned) == 2
    assert learner.security_level == "high"
