"""Outcomes on their own: a participation's end and its certificate."""

from __future__ import annotations

from datetime import date

import pytest

from services.programmes import translators
from services.programmes.domain.learner import Learner
from shared.contracts.commands import EndParticipation
from shared.errors import InvalidInput
from tests.examples import CLERK, nid
from tests.unit.test_programmes_domain import BY, an_enrolled_learner

ENDED_ON = date(2025, 3, 5)


def test_an_end_is_recorded_once_with_its_reason_kept_and_not_published() -> None:
    learner = an_enrolled_learner()
    learner.end_enrolment("VOC-WELD", "failed", ENDED_ON, BY)
    learner.record_end("VOC-WELD", "failed", ENDED_ON, BY, "did not meet the standard")

    withdrawn, ended = learner.collect_events()
    assert learner.has_ended("VOC-WELD", ENDED_ON, "failed")
    assert "VOC-WELD" not in learner.enrolments
    assert isinstance(ended, Learner.ParticipationEnded)
    published = translators.translate(ended)
    assert published is not None
    assert published.event.model_dump(mode="json") == {
        "person_id": str(learner.id),
        "programme_id": "VOC-WELD",
        "ended_on": "2025-03-05",
        "outcome": "failed",
    }
    assert translators.translate(withdrawn).event.reason == "failed"  # type: ignore[union-attr]


def test_a_certificate_names_the_awarding_body_and_its_number_only() -> None:
    learner = an_enrolled_learner()
    learner.award_certificate("VOC-WELD", "National Awarding Body", "NAB-123", ENDED_ON, BY)

    (awarded,) = learner.collect_events()
    published = translators.translate(awarded)
    assert published is not None
    assert set(published.event.model_dump()) == {
        "person_id",
        "programme_id",
        "awarding_body",
        "certificate_no",
        "awarded_on",
    }


def test_a_completion_with_discretion_and_only_it_takes_a_certificate_number() -> None:
    base = {"actor": CLERK, "national_id": nid(), "programme_id": "P", "ended_on": "2025-03-05", "reason": "r"}

    assert EndParticipation.model_validate({**base, "outcome": "withdrawn"}).certificate_no is None
    with pytest.raises(InvalidInput, match="certificate_no"):
        EndParticipation.model_validate({**base, "outcome": "completed_with_discretion"})
    with pytest.raises(InvalidInput, match="certificate_no"):
        EndParticipation.model_validate({**base, "outcome": "failed", "certificate_no": "C-1"})
