"""The supervision file's rules and the supervision register's figures, worked by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import UUID

import pytest

from services.release.bootstrap import explain_within_days_from
from services.release.domain.case import ReleaseCase
from services.release.domain.errors import (
    ConsentNotApplicableError,
    RequirementNotFoundError,
    SupervisionConflictError,
)
from services.release.domain.rules import ReleaseRulesError
from services.release.domain.supervision import SupervisionFile
from services.release.read_models.supervision import SupervisionRegister
from shared.domain import Provenance

BY = Provenance(actor={"id": "officer-1", "role": "probation_officer", "agency": "Test Probation"})
PERSON = UUID("5d1f3a8e-2c47-5b9e-8f60-1a2b3c4d5e6f")
NOW = datetime(2025, 1, 10, tzinfo=UTC)
START = date(2025, 1, 10)


def test_unpaid_work_adds_up_and_a_day_is_recorded_once() -> None:
    file = SupervisionFile.open(PERSON, BY, NOW)
    file.impose_requirement(START, "REQ-1", "unpaid_work", 40, START, BY)
    file.record_unpaid_work("REQ-1", date(2025, 1, 18), 6, BY)
    file.record_unpaid_work("REQ-1", date(2025, 1, 19), 4, BY)
    file.record_unpaid_work("REQ-1", date(2025, 1, 19), 4, BY)  # the same again: skipped

    worked = [e for e in file.collect_events() if isinstance(e, SupervisionFile.UnpaidWorkRecorded)]
    assert [w.hours_worked for w in worked] == [6, 10]
    with pytest.raises(SupervisionConflictError):
        file.record_unpaid_work("REQ-1", date(2025, 1, 19), 5, BY)
    with pytest.raises(RequirementNotFoundError):
        file.record_unpaid_work("REQ-2", date(2025, 1, 19), 5, BY)


def test_consent_only_for_pretrial_supervision() -> None:
    file = SupervisionFile.open(PERSON, BY, NOW)
    with pytest.raises(ConsentNotApplicableError):
        file.record_consent(START, "probation", START, BY)
    file.record_consent(START, "pretrial_supervision", START, BY)
    with pytest.raises(SupervisionConflictError):
        file.record_consent(START, "pretrial_supervision", date(2025, 1, 11), BY)


def register_with(*explanations: tuple[date, bool, bool]) -> SupervisionRegister:
    case = ReleaseCase.open(PERSON, BY, NOW)
    case.start_supervision("probation", START, 365, "D-1", BY, NOW)
    file = SupervisionFile.open(PERSON, BY, NOW)
    for day, orally, in_writing in explanations:
        file.explain_conditions(START, day, orally, in_writing, "officer-1", BY)
    register = SupervisionRegister()
    register.apply_all([*case.collect_events(), *file.collect_events()])
    return register


@pytest.mark.parametrize(
    ("explanations", "on", "days_late"),
    [
        ([], date(2025, 1, 17), None),  # due on the 17th: not late yet
        ([], date(2025, 1, 18), 1),
        ([(date(2025, 1, 12), True, False)], date(2025, 1, 20), 3),  # orally only: not done
        ([(date(2025, 1, 12), True, False), (date(2025, 1, 16), False, True)], date(2025, 1, 20), None),
        ([(date(2025, 1, 19), True, True)], date(2025, 1, 25), 2),  # done late: listed with the days it was late
        ([(date(2025, 1, 19), True, True)], date(2026, 1, 10), None),  # the supervision has ended
    ],
)
def test_conditions_must_be_explained_orally_and_in_writing_within_the_days_set(
    explanations: list[tuple[date, bool, bool]], on: date, days_late: int | None
) -> None:
    rows = register_with(*explanations).unexplained_conditions(on, 7)
    assert [row["days_late"] for row in rows] == ([] if days_late is None else [days_late])


def test_the_days_to_explain_are_a_setting() -> None:
    assert explain_within_days_from({}) == 7
    assert explain_within_days_from({"RELEASE_EXPLAIN_CONDITIONS_DAYS": "14"}) == 14
    with pytest.raises(ReleaseRulesError):
        explain_within_days_from({"RELEASE_EXPLAIN_CONDITIONS_DAYS": "a week"})
