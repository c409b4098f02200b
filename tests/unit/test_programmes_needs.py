"""Needs assessment on its own: recorded once, barriers kept and never published."""

from __future__ import annotations

from datetime import date

import pytest

from services.programmes import translators
from services.programmes.domain.errors import NeedsAssessmentConflictError
from tests.unit.test_programmes_domain import BY, a_learner

LEVELS = {"education_level": "primary", "literacy": "entry", "numeracy": "below_entry", "work_readiness": "ready"}


def test_an_assessment_is_published_without_its_barriers_naming_them_withheld() -> None:
    learner = a_learner()
    assert learner.assess_needs("NA-1", date(2025, 1, 20), LEVELS, ["ZZ-BARRIER"], BY)

    (assessed,) = learner.collect_events()
    published = translators.translate(assessed)
    assert published is not None
    payload = published.event.model_dump(mode="json")
    assert payload == {
        "person_id": str(learner.id),
        "assessment_id": "NA-1",
        "assessed_on": "2025-01-20",
        **LEVELS,
        "withheld_fields": ["barriers"],
    }
    assert "ZZ-BARRIER" not in str(payload)


def test_the_same_assessment_again_is_skipped_and_with_other_content_refused() -> None:
    learner = a_learner()
    learner.assess_needs("NA-1", date(2025, 1, 20), LEVELS, [], BY)

    assert not learner.assess_needs("NA-1", date(2025, 1, 20), LEVELS, [], BY)
    with pytest.raises(NeedsAssessmentConflictError, match="assessment_id"):
        learner.assess_needs("NA-1", date(2025, 1, 20), {**LEVELS, "literacy": "level_1"}, [], BY)
