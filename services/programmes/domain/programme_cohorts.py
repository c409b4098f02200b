"""A programme's delivery in cohorts: a cohort scheduled, the people in it, and its sessions.

Each session is recorded once on its cohort; each person's attendance goes on their Learner (as
`record_attendance` does), so the completion rules count it like any other session.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

from services.programmes.domain.errors import (
    CohortConflictError,
    CohortMembershipError,
    CohortNotFoundError,
    SessionConflictError,
    SessionDateError,
    SettingMismatchError,
)
from shared.domain import Provenance, differing, start_of_day


class CohortDelivery:
    if TYPE_CHECKING:
        programme_id: str
        facility: str | None
        cohorts: dict[str, dict[str, Any]]
        CohortScheduled: type[Any]
        CohortJoined: type[Any]
        SessionHeld: type[Any]

        def record(self, event_class: type[Any], by: Provenance, occurred_at: datetime, **data: Any) -> None: ...
        def check_open(self) -> None: ...

    def schedule_cohort(
        self, cohort_id: str, starts_on: date, facility: str | None, sessions_planned: int | None, by: Provenance
    ) -> bool:
        """Schedule a cohort; False if this very cohort is already scheduled."""
        this = {"starts_on": starts_on, "facility": facility, "sessions_planned": sessions_planned}
        known = self.cohorts.get(cohort_id)
        if known is not None:
            if changed := differing(known, this):
                raise CohortConflictError(f"cohort_id: already scheduled with different {', '.join(changed)}")
            return False
        self.check_open()
        if facility is not None and self.facility not in (None, facility):
            raise SettingMismatchError(f"facility: the programme runs at {self.facility} only")
        self.record(
            self.CohortScheduled, by, start_of_day(starts_on), programme_id=self.programme_id, cohort_id=cohort_id,
            starts_on=starts_on, facility=facility, sessions_planned=sessions_planned,
        )  # fmt: skip
        return True

    def cohort(self, cohort_id: str) -> dict[str, Any]:
        found = self.cohorts.get(cohort_id)
        if found is None:
            raise CohortNotFoundError("cohort_id: no such cohort of this programme")
        return found

    def cohort_of(self, person_id: UUID) -> str | None:
        return next((cid for cid, cohort in self.cohorts.items() if person_id in cohort["members"]), None)

    def assign_to_cohort(self, cohort_id: str, person_id: UUID, assigned_on: date, by: Provenance) -> bool:
        """Put an enrolled person in a cohort (out of any other of this programme); False if already in it."""
        cohort = self.cohort(cohort_id)
        joined_on = cohort["members"].get(person_id)
        if joined_on is not None:
            if joined_on != assigned_on:
                raise CohortConflictError("assigned_on: the person is already in this cohort from another date")
            return False
        self.record(
            self.CohortJoined, by, start_of_day(assigned_on), programme_id=self.programme_id, cohort_id=cohort_id,
            person_id=person_id, joined_on=assigned_on,
        )  # fmt: skip
        return True

    def hold_session(
        self, cohort_id: str, session_on: date, cancelled: bool, attendance: list[tuple[UUID, str]], by: Provenance
    ) -> bool:
        """Record a cohort's session with the attendance given (none for a cancelled one); False if this very
        session is already recorded. Everyone given must be in the cohort."""
        cohort = self.cohort(cohort_id)
        given = {str(person_id): outcome for person_id, outcome in attendance}
        known = cohort["sessions"].get(session_on)
        if known is not None:
            if known != {"cancelled": cancelled, "attendance": given}:
                raise SessionConflictError("session_on: this cohort's session is already recorded otherwise")
            return False
        if session_on < cohort["starts_on"]:
            raise SessionDateError(f"session_on: before the cohort starts, on {cohort['starts_on'].isoformat()}")
        for number, (person_id, _) in enumerate(attendance):
            if person_id not in cohort["members"]:
                raise CohortMembershipError(f"attendance[{number}]: the person is not in cohort {cohort_id}")
        if len(given) != len(attendance):
            raise SessionConflictError("attendance: a person is given more than once")
        self.record(
            self.SessionHeld, by, start_of_day(session_on), programme_id=self.programme_id, cohort_id=cohort_id,
            session_on=session_on, cancelled=cancelled, attendance=given,
        )  # fmt: skip
        return True

    def members(self, cohort_id: str) -> list[UUID]:
        return list(self.cohort(cohort_id)["members"])
