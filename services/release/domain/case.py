"""A person's release case: dates, release, supervision, achievements, outcomes."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

from services.release.domain.errors import (
    ConditionalReleaseError,
    NoSupervisionError,
    NothingToFollowUpError,
    NotInCustodyError,
    OutcomeConflictError,
)
from services.release.domain.rules import ReleaseRules
from shared.domain import PathwayAggregate, Provenance, start_of_day

PRETRIAL_SUPERVISION = "pretrial_supervision"
PAROLE_LICENCE = "parole_licence"


class ReleaseCase(PathwayAggregate):
    class Opened(PathwayAggregate.Created):
        """Learned from intake: this person exists."""

    class ReleaseDatesCalculated(PathwayAggregate.Event):
        decision_id: str
        sentence_days: int
        dates: dict[str, date]
        conditional_release_fraction: str
        rules_version: str

        def apply(self, case: ReleaseCase) -> None:
            case.dates = dict(self.dates)

    class CustodyStarted(PathwayAggregate.Event):
        facility: str

        def apply(self, case: ReleaseCase) -> None:
            case.in_custody = True

    class Released(PathwayAggregate.Event):
        released_on: date
        release_type: str

        def apply(self, case: ReleaseCase) -> None:
            case.in_custody = False
            case.last_release = {"released_on": self.released_on, "release_type": self.release_type}
            case.releases.append(case.last_release)

    class SupervisionStarted(PathwayAggregate.Event):
        supervision_type: str
        started_on: date
        ends_on: date
        decision_id: str | None

        def apply(self, case: ReleaseCase) -> None:
            case.supervision = {"type": self.supervision_type, "started_on": self.started_on, "ends_on": self.ends_on}
            case.followed_up = True

    class SupervisionCompleted(PathwayAggregate.Event):
        completed_on: date

        def apply(self, case: ReleaseCase) -> None:
            case.supervision = None
            case.supervisions_completed_on.append(self.completed_on)

    class AchievementRecorded(PathwayAggregate.Event):
        programme_id: str
        kind: str
        completed_on: date
        certificate_no: str

        def apply(self, case: ReleaseCase) -> None:
            case.achievements.append(self.programme_id)

    class OutcomeRecorded(PathwayAggregate.Event):
        recorded_on: date
        employment: str
        housing: str

        def apply(self, case: ReleaseCase) -> None:
            case.outcomes[self.recorded_on.isoformat()] = {"employment": self.employment, "housing": self.housing}

    def __init__(self, **_: Any) -> None:
        self.dates: dict[str, date] | None = None
        self.in_custody = False
        self.last_release: dict[str, Any] | None = None
        self.supervision: dict[str, Any] | None = None
        self.supervisions_completed_on: list[date] = []
        self.releases: list[dict[str, Any]] = []
        self.followed_up = False
        self.achievements: list[str] = []
        self.outcomes: dict[str, dict[str, str]] = {}

    @classmethod
    def open(cls, person_id: UUID, by: Provenance, occurred_at: datetime) -> ReleaseCase:
        return cls._create(cls.Opened, id=person_id, occurred_at=occurred_at, **by.fields())

    # --- reactions to intake ---------------------------------------------

    def calculate_release_dates(
        self,
        decision_id: str,
        decided_on: date,
        sentence_days: int,
        rules: ReleaseRules,
        by: Provenance,
        occurred_at: datetime,
    ) -> None:
        self.record(
            self.ReleaseDatesCalculated,
            by,
            occurred_at,
            decision_id=decision_id,
            sentence_days=sentence_days,
            dates=rules.calculate(decided_on, sentence_days),
            conditional_release_fraction=str(rules.conditional_release_fraction),
            rules_version=rules.version,
        )

    def start_supervision(
        self,
        supervision_type: str,
        started_on: date,
        days: int,
        decision_id: str | None,
        by: Provenance,
        occurred_at: datetime,
    ) -> None:
        self.start_supervision_until(
            supervision_type, started_on, started_on + timedelta(days=days), decision_id, by, occurred_at
        )

    def start_supervision_until(
        self,
        supervision_type: str,
        started_on: date,
        ends_on: date,
        decision_id: str | None,
        by: Provenance,
        occurred_at: datetime,
    ) -> None:
        self.record(
            self.SupervisionStarted,
            by,
            occurred_at,
            supervision_type=supervision_type,
            started_on=started_on,
            ends_on=ends_on,
            decision_id=decision_id,
        )

    def custody_started(self, facility: str, by: Provenance, occurred_at: datetime) -> None:
        self.record(self.CustodyStarted, by, occurred_at, facility=facility)

    def record_achievement(
        self,
        programme_id: str,
        kind: str,
        completed_on: date,
        certificate_no: str,
        by: Provenance,
        occurred_at: datetime,
    ) -> None:
        self.record(
            self.AchievementRecorded,
            by,
            occurred_at,
            programme_id=programme_id,
            kind=kind,
            completed_on=completed_on,
            certificate_no=certificate_no,
        )

    # --- commands ---------------------------------------------------------

    def release(self, released_on: date, release_type: str, by: Provenance) -> None:
        if {"released_on": released_on, "release_type": release_type} in self.releases:
            return  # this release is already recorded
        if not self.in_custody:
            raise NotInCustodyError("release refused: the person is not in custody")
        if release_type == "conditional_release":
            self.check_conditional_release(released_on)
        occurred_at = start_of_day(released_on)
        self.record(self.Released, by, occurred_at, released_on=released_on, release_type=release_type)
        if release_type == "conditional_release":
            assert self.dates is not None  # checked above
            self.start_supervision_until(PAROLE_LICENCE, released_on, self.dates["sentence_end"], None, by, occurred_at)

    def check_conditional_release(self, released_on: date) -> None:
        if self.dates is None:
            raise ConditionalReleaseError(
                "conditional release refused: no custodial sentence with calculated release dates"
            )
        eligible = self.dates["conditional_release_eligibility"]
        if released_on < eligible:
            raise ConditionalReleaseError(f"conditional release refused: eligible from {eligible.isoformat()}")
        if released_on >= self.dates["sentence_end"]:
            raise ConditionalReleaseError(
                f"conditional release refused: the sentence ends {self.dates['sentence_end'].isoformat()}; "
                "record sentence_served"
            )

    def complete_supervision(self, completed_on: date, by: Provenance) -> None:
        if completed_on in self.supervisions_completed_on:
            return  # this completion is already recorded
        if self.supervision is None:
            raise NoSupervisionError("completion refused: the person is not under supervision")
        self.record(self.SupervisionCompleted, by, start_of_day(completed_on), completed_on=completed_on)

    def record_outcome(self, recorded_on: date, employment: str, housing: str, by: Provenance) -> None:
        if self.last_release is None and not self.followed_up:
            raise NothingToFollowUpError("outcome refused: the person has no release or measure to follow up")
        known = self.outcomes.get(recorded_on.isoformat())
        if known is not None:
            if known != {"employment": employment, "housing": housing}:
                raise OutcomeConflictError("recorded_on: an outcome is already recorded for this date")
            return
        self.record(
            self.OutcomeRecorded,
            by,
            start_of_day(recorded_on),
            recorded_on=recorded_on,
            employment=employment,
            housing=housing,
        )
