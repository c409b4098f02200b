"""A programme in the catalogue, and the places it has."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID, uuid5

from services.programmes.domain.errors import ProgrammeConflictError, ProgrammeFullError, ProgrammeRetiredError
from services.programmes.domain.programme_cohorts import CohortDelivery
from shared.domain import PathwayAggregate, Provenance

PROGRAMME_NAMESPACE = UUID("7e3a9c5b-1d2f-5e4a-b6c7-8d9e0f1a2b3c")
# Added with the catalogue: recorded by a Catalogued event where any is given.
CATALOGUE_FIELDS = ("facility", "eligibility", "awarding_body", "completion_rule", "community_version")


class Programme(CohortDelivery, PathwayAggregate):
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

    class Revised(PathwayAggregate.Event):
        programme_id: str
        revised_on: date
        changes: dict[str, Any]

        def apply(self, programme: Programme) -> None:
            for name, value in self.changes.items():
                setattr(programme, name, value)
            programme.revisions.append((self.revised_on, self.changes))

    class Retired(PathwayAggregate.Event):
        programme_id: str
        retired_on: date
        reason: str

        def apply(self, programme: Programme) -> None:
            programme.retired = (self.retired_on, self.reason)

    class PlaceTaken(PathwayAggregate.Event):
        person_id: UUID

        def apply(self, programme: Programme) -> None:
            programme.participants.append(self.person_id)

    class PlaceFreed(PathwayAggregate.Event):
        person_id: UUID

        def apply(self, programme: Programme) -> None:
            programme.participants.remove(self.person_id)

    class Waitlisted(PathwayAggregate.Event):
        person_id: UUID
        referral_id: str
        referred_on: date

        def apply(self, programme: Programme) -> None:
            programme.waiting[self.person_id] = {"referral_id": self.referral_id, "referred_on": self.referred_on}

    class WaitlistLeft(PathwayAggregate.Event):
        person_id: UUID

        def apply(self, programme: Programme) -> None:
            del programme.waiting[self.person_id]

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
        self.waiting: dict[UUID, dict[str, Any]] = {}  # person id -> their referral, in the order they joined
        self.cohorts: dict[str, dict[str, Any]] = {}  # cohort id -> its schedule, members and sessions

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

    def retire(self, retired_on: date, reason: str, by: Provenance, occurred_at: datetime) -> bool:
        """Retire the programme; False if this retirement is already recorded."""
        if self.retired == (retired_on, reason):
            return False
        if self.retired is not None:
            raise ProgrammeConflictError("programme_id: already retired, on another date or for another reason")
        self.record(self.Retired, by, occurred_at, programme_id=self.programme_id, retired_on=retired_on, reason=reason)
        return True

    def check_has_place(self) -> None:
        if len(self.participants) >= self.capacity:
            raise ProgrammeFullError(f"programme is full ({self.capacity} of {self.capacity} places taken)")

    def take_place(self, person_id: UUID, by: Provenance, occurred_at: datetime) -> None:
        self.check_has_place()
        self.record(self.PlaceTaken, by, occurred_at, person_id=person_id)

    def free_place(self, person_id: UUID, by: Provenance, occurred_at: datetime) -> None:
        if person_id in self.participants:
            self.record(self.PlaceFreed, by, occurred_at, person_id=person_id)

    def free_places(self) -> int:
        return max(self.capacity - len(self.participants), 0)

    def wait(self, person_id: UUID, referral_id: str, referred_on: date, by: Provenance, occurred_at: datetime) -> None:
        if person_id not in self.waiting:
            self.record(
                self.Waitlisted, by, occurred_at, person_id=person_id, referral_id=referral_id, referred_on=referred_on
            )

    def stop_waiting(self, person_id: UUID, by: Provenance, occurred_at: datetime) -> None:
        if person_id in self.waiting:
            self.record(self.WaitlistLeft, by, occurred_at, person_id=person_id)
