"""Suspension on its own: a suspended enrolment keeps its progress and takes no session or completion."""

from __future__ import annotations

from datetime import date

import pytest

from services.programmes.domain.errors import EnrolmentSuspendedError
from services.programmes.domain.learner import Learner
from tests.unit.test_programmes_domain import BY, an_enrolled_learner, attend


def test_a_suspension_keeps_progress_and_refuses_sessions_until_resumed() -> None:
    learner = an_enrolled_learner()
    attend(learner, True, True)

    assert learner.suspend("VOC-WELD", date(2025, 3, 1), BY)
    assert not learner.suspend("VOC-WELD", date(2025, 3, 2), BY)  # already suspended
    with pytest.raises(EnrolmentSuspendedError, match="progress is kept"):
        learner.record_attendance("VOC-WELD", date(2025, 3, 3), True, BY)
    with pytest.raises(EnrolmentSuspendedError):
        learner.complete("VOC-WELD", "vocational", 2, date(2025, 3, 4), "CERT-1", BY)
    assert learner.suspended() == ["VOC-WELD"]

    learner.resume("VOC-WELD", date(2025, 4, 1), BY)
    assert learner.complete("VOC-WELD", "vocational", 2, date(2025, 4, 2), "CERT-1", BY)
    kinds = [type(e) for e in learner.collect_events()]
    assert kinds[-3:] == [Learner.EnrolmentSuspended, Learner.EnrolmentResumed, Learner.ProgrammeCompleted]
