"""Cohorts on their own: scheduled once, people put in them, each session recorded once."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

import pytest

from services.programmes.domain.errors import (
    CohortConflictError,
    CohortMembershipError,
    CohortNotFoundError,
    ProgrammeRetiredError,
    SessionConflictError,
    SessionDateError,
    SettingMismatchError,
)
from services.programmes.domain.programme import Programme
from tests.unit.test_programmes_domain import BY, NOW, a_programme

STARTS_ON = date(2025, 3, 3)


def a_cohort(**changes: object) -> Programme:
    programme = a_programme(**changes)
    programme.schedule_cohort("C-1", STARTS_ON, None, 10, BY)
    programme.collect_events()
    return programme


def test_a_cohort_is_scheduled_once_and_otherwise_refused_naming_what_differs() -> None:
    programme = a_programme()

    assert programme.schedule_cohort("C-1", STARTS_ON, None, 10, BY)
    assert not programme.schedule_cohort("C-1", STARTS_ON, None, 10, BY)
    with pytest.raises(CohortConflictError, match="different sessions_planned, starts_on"):
        programme.schedule_cohort("C-1", date(2025, 4, 1), None, 12, BY)
    assert [type(e) for e in programme.collect_events()] == [Programme.CohortScheduled]


def test_a_cohort_runs_where_the_programme_does_and_not_once_retired() -> None:
    programme = a_programme(facility="HMP Test")

    with pytest.raises(SettingMismatchError, match="facility: the programme runs at HMP Test only"):
        programme.schedule_cohort("C-1", STARTS_ON, "HMP Other", None, BY)
    assert programme.schedule_cohort("C-1", STARTS_ON, "HMP Test", None, BY)
    programme.retire(date(2025, 3, 1), "replaced", BY, NOW)
    with pytest.raises(ProgrammeRetiredError):
        programme.schedule_cohort("C-2", STARTS_ON, None, None, BY)


def test_a_person_moves_between_cohorts_and_a_conflicting_date_is_refused() -> None:
    programme = a_cohort()
    programme.schedule_cohort("C-2", STARTS_ON, None, None, BY)
    person = uuid4()

    assert programme.assign_to_cohort("C-1", person, date(2025, 3, 1), BY)
    assert not programme.assign_to_cohort("C-1", person, date(2025, 3, 1), BY)
    with pytest.raises(CohortConflictError, match="assigned_on"):
        programme.assign_to_cohort("C-1", person, date(2025, 3, 2), BY)
    assert programme.assign_to_cohort("C-2", person, date(2025, 3, 5), BY)
    assert programme.cohort_of(person) == "C-2"
    with pytest.raises(CohortNotFoundError, match="cohort_id"):
        programme.assign_to_cohort("C-9", person, date(2025, 3, 5), BY)


def test_a_session_is_recorded_once_for_members_on_or_after_the_start() -> None:
    programme = a_cohort()
    member, stranger = uuid4(), uuid4()
    programme.assign_to_cohort("C-1", member, date(2025, 3, 1), BY)
    attendance = [(member, "attended_and_complied")]

    with pytest.raises(SessionDateError, match="session_on: before the cohort starts, on 2025-03-03"):
        programme.hold_session("C-1", date(2025, 3, 2), False, attendance, BY)
    with pytest.raises(CohortMembershipError, match=r"attendance\[1\]: the person is not in cohort C-1"):
        programme.hold_session("C-1", STARTS_ON, False, [*attendance, (stranger, "refused")], BY)
    assert programme.hold_session("C-1", STARTS_ON, False, attendance, BY)
    assert not programme.hold_session("C-1", STARTS_ON, False, attendance, BY)
    with pytest.raises(SessionConflictError, match="session_on"):
        programme.hold_session("C-1", STARTS_ON, True, [], BY)
    assert programme.members("C-1") == [member]
