"""A person's release case: dates, release, supervision, achievements, outcomes."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from services.release.domain.calculation import CustodyPeriod
from services.release.domain.case_custody import CustodyAndRelease
from services.release.domain.case_dates import ReleaseDates, check_dates
from services.release.domain.case_followups import FollowUps
from services.release.domain.case_supervision import PAROLE_LICENCE, PRETRIAL_SUPERVISION, Supervision
from shared.domain import PathwayAggregate, Provenance

__all__ = ["PAROLE_LICENCE", "PRETRIAL_SUPERVISION", "ReleaseCase", "check_dates"]


class ReleaseCase(ReleaseDates, CustodyAndRelease, Supervision, FollowUps, PathwayAggregate):
    """The event classes live here, where their stored topics are pinned; the behaviour lives in the
    mixins (release dates, custody and release, supervision, follow-ups), one concern per module.
    """

    class Opened(PathwayAggregate.Created):
        """Learned from intake: this person exists."""

    class ReleaseDatesCalculated(PathwayAggregate.Event):
        """One calculation of the current term's dates, with everything it was made from.

        `dates` are the dates in force (an override's, where there is one); `decision_id` is
        the sentence whose recording or adjustment caused the calculation; `sentence_days` is
        the term from its start to its latest end before adjustments (for one sentence, its
        length). Version 1 (the spine) recorded one sentence and no adjustments.
        """

        class_version = 2

        decision_id: str
        sentence_days: int
        dates: dict[str, date]
        conditional_release_fraction: str
        rules_version: str
        calculation: int | None  # 1, 2, ... per person; None for a version-1 event
        jurisdiction: str | None
        sentences: list[dict[str, Any]]
        adjustments: list[dict[str, Any]]
        remand_counted_from: date | None  # custody before this day served an earlier term
        remand_days_served: int | None
        remand_credit_applied: int
        override: dict[str, Any] | None  # by, reason, the dates set, and the dates the rules gave

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            sentence = {
                "decision_id": state["decision_id"],
                "decided_on": state["dates"]["sentence_start"],
                "sentence_days": state["sentence_days"],
                "consecutive_to": None,
            }
            state.update(
                calculation=None,
                jurisdiction=None,
                sentences=[sentence],
                adjustments=[],
                remand_counted_from=None,
                remand_days_served=None,
                remand_credit_applied=0,
                override=None,
            )

        def apply(self, case: ReleaseCase) -> None:
            sentences = {sentence["decision_id"]: sentence for sentence in self.sentences}
            if not set(case.sentences) & set(sentences):
                case.term_released_on = None  # a new term
            case.sentences = sentences
            case.adjustments = {adjustment["adjustment_id"]: adjustment for adjustment in self.adjustments}
            case.decisions_seen.update(sentences)
            case.remand_counted_from = self.remand_counted_from
            case.dates = dict(self.dates)
            case.override = self.override
            case.calculations.append(
                {
                    "calculation": self.calculation or len(case.calculations) + 1,
                    "decision_id": self.decision_id,
                    "sentence_days": self.sentence_days,
                    "dates": dict(self.dates),
                    "calculated": dict(self.override["calculated"] if self.override else self.dates),
                    "conditional_release_fraction": self.conditional_release_fraction,
                    "rules_version": self.rules_version,
                    "jurisdiction": self.jurisdiction,
                    "remand_days_served": self.remand_days_served,
                    "remand_credit_applied": self.remand_credit_applied,
                    "override": self.override,
                }
            )

    class CustodyStarted(PathwayAggregate.Event):
        facility: str

        def apply(self, case: ReleaseCase) -> None:
            case.in_custody = True
            case.custody_periods.append(CustodyPeriod(self.occurred_at.date()))

    class CustodyCancelled(PathwayAggregate.Event):
        """An admission recorded in error: that custody never was."""

        admitted_on: date

        def apply(self, case: ReleaseCase) -> None:
            periods = case.custody_periods
            for index in range(len(periods) - 1, -1, -1):
                if periods[index].start == self.admitted_on:
                    if periods[index].end is None:
                        case.in_custody = False
                    del periods[index]
                    break

    class Released(PathwayAggregate.Event):
        released_on: date
        release_type: str

        def apply(self, case: ReleaseCase) -> None:
            case.in_custody = False
            case.last_release = {"released_on": self.released_on, "release_type": self.release_type}
            case.releases.append(case.last_release)
            if case.custody_periods and case.custody_periods[-1].end is None:
                case.custody_periods[-1] = CustodyPeriod(case.custody_periods[-1].start, self.released_on)
            if case.sentences and self.released_on >= case.term_start():
                case.term_released_on = self.released_on  # a later concurrent sentence starts a new term

    class ReleaseRecordedInError(PathwayAggregate.Event):
        """A correction (issue 6): the release never was; the person is back in custody, and a supervision
        that release started is cancelled. The release stays in the history, marked in error."""

        released_on: date
        release_type: str
        reason: str
        supervision_cancelled: bool

        def apply(self, case: ReleaseCase) -> None:
            release = {"released_on": self.released_on, "release_type": self.release_type}
            case.releases.remove(release)
            case.releases_in_error.append(release)
            case.last_release = case.releases[-1] if case.releases else None
            case.in_custody = True
            periods = case.custody_periods
            if periods and periods[-1].end == self.released_on:
                periods[-1] = CustodyPeriod(periods[-1].start)
            if case.term_released_on == self.released_on:
                case.term_released_on = None
            if self.supervision_cancelled:
                case.supervisions = [term for term in case.supervisions if term is not case.supervision]
                case.supervision = None

    class SupervisionStarted(PathwayAggregate.Event):
        supervision_type: str
        started_on: date
        ends_on: date
        decision_id: str | None

        def apply(self, case: ReleaseCase) -> None:
            case.supervision = {"type": self.supervision_type, "started_on": self.started_on, "ends_on": self.ends_on}
            case.supervisions.append(case.supervision)
            case.followed_up = True

    class SupervisionCompleted(PathwayAggregate.Event):
        completed_on: date

        def apply(self, case: ReleaseCase) -> None:
            if case.supervision is not None:
                case.supervision["completed_on"] = self.completed_on
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

    class OutcomeWithConvictionRecorded(OutcomeRecorded):
        """A follow-up that says whether there was a new conviction (issue 6); published as the same type."""

        new_conviction: bool | None
        new_conviction_on: date | None

        def apply(self, case: ReleaseCase) -> None:
            case.outcomes[self.recorded_on.isoformat()] = {
                "employment": self.employment,
                "housing": self.housing,
                "new_conviction": self.new_conviction,
                "new_conviction_on": self.new_conviction_on,
            }

    class OutcomeForFollowUpRecorded(OutcomeWithConvictionRecorded):
        """A follow-up that names the follow-up point it answers (months after the release or the measure's
        end); published as the same type, with `follow_up_months`."""

        follow_up_months: int

        def apply(self, case: ReleaseCase) -> None:
            super().apply(case)
            case.outcomes[self.recorded_on.isoformat()]["follow_up_months"] = self.follow_up_months

    def __init__(self, **_: Any) -> None:
        self.dates: dict[str, date] | None = None
        # The current term's sentences and adjustments, as recorded, and its calculations.
        self.sentences: dict[str, dict[str, Any]] = {}
        self.adjustments: dict[str, dict[str, Any]] = {}
        self.decisions_seen: set[str] = set()
        self.term_released_on: date | None = None
        self.remand_counted_from: date | None = None
        self.override: dict[str, Any] | None = None
        self.calculations: list[dict[str, Any]] = []
        self.custody_periods: list[CustodyPeriod] = []
        self.in_custody = False
        self.last_release: dict[str, Any] | None = None
        self.supervision: dict[str, Any] | None = None
        self.supervisions: list[dict[str, Any]] = []  # every supervision started, the current one last
        self.supervisions_completed_on: list[date] = []
        self.releases: list[dict[str, Any]] = []
        self.releases_in_error: list[dict[str, Any]] = []
        self.followed_up = False
        self.achievements: list[str] = []
        self.outcomes: dict[str, dict[str, Any]] = {}

    @classmethod
    def open(cls, person_id: UUID, by: Provenance, occurred_at: datetime) -> ReleaseCase:
        return cls._create(cls.Opened, id=person_id, occurred_at=occurred_at, **by.fields())
