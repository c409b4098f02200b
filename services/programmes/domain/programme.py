"""A programme in the catalogue, the places it has, its waiting list, and its delivery in cohorts.

One aggregate, grouped by capability. Each event class sits right after the method(s) that record
it; its `apply` is the state change.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, TypedDict
from uuid import UUID, uuid5

from services.programmes.domain.errors import (
    CohortConflictError,
    CohortMembershipError,
    CohortNotFoundError,
    ProgrammeConflictError,
    ProgrammeFullError,
    ProgrammeRetiredError,
    SessionConflictError,
    SessionDateError,
    SettingMismatchError,
)
from shared.domain import PathwayAggregate, Provenance, differing, start_of_day

PROGRAMME_NAMESPACE = UUID("7e3a9c5b-1d2f-5e4a-b6c7-8d9e0f1a2b3c")
# Added with the catalogue: recorded by a Catalogued event where any is given.
CATALOGUE_FIELDS = ("facility", "eligibility", "awarding_body", "completion_rule", "community_version")


class Waiting(TypedDict):
    """A person on the waiting list (keyed by person id, in the order they joined): their referral."""

    referral_id: str
    referred_on: date


class CohortSession(TypedDict):
    """A cohort's session (keyed by its day), recorded once."""

    cancelled: bool
    attendance: dict[str, str]  # person id (str) -> outcome


class Cohort(TypedDict):
    """A cohort of the programme (keyed by cohort id): its schedule, members and sessions."""

    starts_on: date
    facility: str | None
    sessions_planned: int | None
    members: dict[UUID, date]  # person id -> joined on
    sessions: dict[date, CohortSession]  # session day -> cancelled, attendance


class Programme(PathwayAggregate):
    def __init__(
        self,
        programme_id: str,
        title: str,
        kind: str,
        setting: str,
        capacity: int,
        sessions_required: int,
        facility: str | None = None,
        eligibility: dict[str, Any] | None = None,
        awarding_body: str | None = None,
        completion_rule: dict[str, Any] | None = None,
        community_version: str | None = None,
        **_: Any,
    ) -> None:
        self.programme_id = programme_id
        self.title = title
        self.kind = kind
        self.setting = setting
        self.capacity = capacity
        self.sessions_required = sessions_required
        self.facility = facility
        self.eligibility = eligibility
        self.awarding_body = awarding_body
        self.completion_rule = completion_rule
        self.community_version = community_version
        self.revisions: list[tuple[date, dict[str, Any]]] = []
        self.retired: tuple[date, str] | None = None
        self.original = self.details()  # as first published: a repeated publication is compared with it
        self.participants: list[UUID] = []
        self.waiting: dict[UUID, Waiting] = {}  # person id -> their referral, in the order they joined
        self.cohorts: dict[str, Cohort] = {}  # cohort id -> its schedule, members and sessions

    @staticmethod
    def id_for(programme_id: str) -> UUID:
        return uuid5(PROGRAMME_NAMESPACE, programme_id)

    @classmethod
    def publish(cls, details: dict[str, Any], by: Provenance, occurred_at: datetime) -> Programme:
        """The spine's publication; with any of the catalogue's further details, a catalogued one."""
        further = {name: details.get(name) for name in CATALOGUE_FIELDS}
        core = {name: value for name, value in details.items() if name not in CATALOGUE_FIELDS}
        if any(value is not None for value in further.values()):
            return cls._create(
                cls.Catalogued, id=cls.id_for(details["programme_id"]), occurred_at=occurred_at, **core, **further,
                **by.fields(),
            )  # fmt: skip
        return cls._create(
            cls.Published, id=cls.id_for(details["programme_id"]), occurred_at=occurred_at, **core, **by.fields()
        )

    class Published(PathwayAggregate.Created):
        programme_id: str
        title: str
        kind: str
        setting: str
        capacity: int
        sessions_required: int

    class Catalogued(PathwayAggregate.Created):
        """Published with the catalogue's further details (where it runs, who it is for, who certifies it)."""

        programme_id: str
        title: str
        kind: str
        setting: str
        capacity: int
        sessions_required: int
        facility: str | None
        eligibility: dict[str, Any] | None
        awarding_body: str | None
        completion_rule: dict[str, Any] | None
        community_version: str | None

    def details(self) -> dict[str, Any]:
        return {
            "programme_id": self.programme_id,
            "title": self.title,
            "kind": self.kind,
            "setting": self.setting,
            "capacity": self.capacity,
            "sessions_required": self.sessions_required,
            "facility": self.facility,
            "eligibility": self.eligibility,
            "awarding_body": self.awarding_body,
            "completion_rule": self.completion_rule,
            "community_version": self.community_version,
        }

    def check_same_publication(self, details: dict[str, Any]) -> None:
        """A publication again: the same as first published (further details left out are not compared)."""
        differing = sorted(k for k, v in details.items() if v is not None and self.original.get(k) != v)
        if differing:
            raise ProgrammeConflictError(f"programme_id: already published with different {', '.join(differing)}")

    # --- the catalogue entry -------------------------------------------------

    def check_open(self) -> None:
        if self.retired is not None:
            raise ProgrammeRetiredError(
                f"programme retired on {self.retired[0].isoformat()}: no new referrals or places"
            )

    def revise(self, revised_on: date, changes: dict[str, Any], by: Provenance, occurred_at: datetime) -> bool:
        """Change the catalogue entry; False if this very revision is already recorded."""
        if (revised_on, changes) in self.revisions:
            return False
        self.check_open()
        self.record(
            self.Revised, by, occurred_at, programme_id=self.programme_id, revised_on=revised_on, changes=changes
        )
        return True

    class Revised(PathwayAggregate.Event):
        programme_id: str
        revised_on: date
        changes: dict[str, Any]

        def apply(self, programme: Programme) -> None:
            for name, value in self.changes.items():
                setattr(programme, name, value)
            programme.revisions.append((self.revised_on, self.changes))

    def retire(self, retired_on: date, reason: str, by: Provenance, occurred_at: datetime) -> bool:
        """Retire the programme; False if this retirement is already recorded."""
        if self.retired == (retired_on, reason):
            return False
        if self.retired is not None:
            raise ProgrammeConflictError("programme_id: already retired, on another date or for another reason")
        self.record(self.Retired, by, occurred_at, programme_id=self.programme_id, retired_on=retired_on, reason=reason)
        return True

    class Retired(PathwayAggregate.Event):
        programme_id: str
        retired_on: date
        reason: str

        def apply(self, programme: Programme) -> None:
            programme.retired = (self.retired_on, self.reason)

    # --- places --------------------------------------------------------------

    def check_has_place(self) -> None:
        if len(self.participants) >= self.capacity:
            raise ProgrammeFullError(f"programme is full ({self.capacity} of {self.capacity} places taken)")

    def take_place(self, person_id: UUID, by: Provenance, occurred_at: datetime) -> None:
        self.check_has_place()
        self.record(self.PlaceTaken, by, occurred_at, person_id=person_id)

    class PlaceTaken(PathwayAggregate.Event):
        person_id: UUID

        def apply(self, programme: Programme) -> None:
            programme.participants.append(self.person_id)

    def free_place(self, person_id: UUID, by: Provenance, occurred_at: datetime) -> None:
        if person_id in self.participants:
            self.record(self.PlaceFreed, by, occurred_at, person_id=person_id)

    class PlaceFreed(PathwayAggregate.Event):
        person_id: UUID

        def apply(self, programme: Programme) -> None:
            programme.participants.remove(self.person_id)

    def free_places(self) -> int:
        return max(self.capacity - len(self.participants), 0)

    # --- the waiting list ----------------------------------------------------

    def wait(self, person_id: UUID, referral_id: str, referred_on: date, by: Provenance, occurred_at: datetime) -> None:
        if person_id not in self.waiting:
            self.record(
                self.Waitlisted, by, occurred_at, person_id=person_id, referral_id=referral_id, referred_on=referred_on
            )

    class Waitlisted(PathwayAggregate.Event):
        person_id: UUID
        referral_id: str
        referred_on: date

        def apply(self, programme: Programme) -> None:
            programme.waiting[self.person_id] = {"referral_id": self.referral_id, "referred_on": self.referred_on}

    def stop_waiting(self, person_id: UUID, by: Provenance, occurred_at: datetime) -> None:
        if person_id in self.waiting:
            self.record(self.WaitlistLeft, by, occurred_at, person_id=person_id)

    class WaitlistLeft(PathwayAggregate.Event):
        person_id: UUID

        def apply(self, programme: Programme) -> None:
            del programme.waiting[self.person_id]

    # --- delivery in cohorts -------------------------------------------------
    #
    # Each session is recorded once on its cohort; each person's attendance goes on their Learner (as
    # `record_attendance` does), so the completion rules count it like any other session.

    def schedule_cohort(
        self, cohort_id: str, starts_on: date, facility: str | None, sessions_planned: int | None, by: Provenance
    ) -> bool:
        """Schedule a cohort; False if this very cohort is already scheduled."""
        this = {"starts_on": starts_on, "facility": facility, "sessions_planned": sessions_planned}
        known = self.cohorts.get(cohort_id)
        if known is not None:
            if changed := differing(dict(known), this):
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

    class CohortScheduled(PathwayAggregate.Event):
        """A cohort of the programme, delivered from `starts_on` (at `facility`, in `sessions_planned` sessions,
        where given). Added with delivery in cohorts."""

        programme_id: str
        cohort_id: str
        starts_on: date
        facility: str | None
        sessions_planned: int | None

        def apply(self, programme: Programme) -> None:
            programme.cohorts[self.cohort_id] = {
                "starts_on": self.starts_on,
                "facility": self.facility,
                "sessions_planned": self.sessions_planned,
                "members": {},  # person id -> joined on
                "sessions": {},  # session day -> {cancelled, attendance: {person id: outcome}}
            }

    def cohort(self, cohort_id: str) -> Cohort:
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

    class CohortJoined(PathwayAggregate.Event):
        """An enrolled person put in a cohort (and out of any other cohort of the programme): the cohort's
        members, kept here; the Learner records (and publishes) it too."""

        programme_id: str
        cohort_id: str
        person_id: UUID
        joined_on: date

        def apply(self, programme: Programme) -> None:
            for cohort in programme.cohorts.values():
                cohort["members"].pop(self.person_id, None)
            programme.cohorts[self.cohort_id]["members"][self.person_id] = self.joined_on

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

    class SessionHeld(PathwayAggregate.Event):
        """A cohort's session, once: cancelled, or held with the attendance given (person id -> outcome);
        each person's attendance is recorded on their Learner too."""

        programme_id: str
        cohort_id: str
        session_on: date
        cancelled: bool
        attendance: dict[str, str]

        def apply(self, programme: Programme) -> None:
            programme.cohorts[self.cohort_id]["sessions"][self.session_on] = {
                "cancelled": self.cancelled,
                "attendance": self.attendance,
            }

    def members(self, cohort_id: str) -> list[UUID]:
        return list(self.cohort(cohort_id)["members"])
