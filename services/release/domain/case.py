"""A person's release case: release dates, custody and release, supervision, achievements and outcomes.

One aggregate per person, opened when intake registers them. The class is grouped by capability; in each,
the commands and reactions come first and the event they record right after them, with its `apply`. The
pure rules live beside it: the date calculation (`calculation.py`, under a jurisdiction's `rules.py`) and
what makes an override of the dates acceptable (`overrides.py`).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, NotRequired, TypedDict
from uuid import UUID

from services.release.domain.calculation import (
    Adjustment,
    CalculationInputError,
    CustodyPeriod,
    Sentence,
    calculate,
    custody_days,
)
from services.release.domain.errors import (
    CalculationInputsError,
    ConditionalReleaseError,
    NoReleaseDatesError,
    NoSuchReleaseError,
    NoSupervisionError,
    NothingToFollowUpError,
    NotInCustodyError,
    OutcomeConflictError,
    ReleaseCorrectionError,
)
from services.release.domain.overrides import check_dates, same_override
from services.release.domain.rules import ReleaseRules
from shared.dates import days_after
from shared.domain import PathwayAggregate, Provenance, start_of_day

__all__ = [
    "PAROLE_LICENCE",
    "PRETRIAL_SUPERVISION",
    "CalculationRecord",
    "FollowUpOutcome",
    "ReleaseCase",
    "SupervisionTerm",
]

PRETRIAL_SUPERVISION = "pretrial_supervision"
PAROLE_LICENCE = "parole_licence"


class CalculationRecord(TypedDict):
    """One calculation of the current term's dates, as the case keeps it."""

    calculation: int
    decision_id: str
    sentence_days: int
    dates: dict[str, date]  # in force: an override's, where there is one
    calculated: dict[str, date]  # as the rules gave them
    conditional_release_fraction: str
    rules_version: str
    jurisdiction: str | None
    remand_days_served: int | None
    remand_credit_applied: int
    override: dict[str, Any] | None


class SupervisionTerm(TypedDict):
    """One supervision: a court's measure or a release on licence."""

    type: str
    started_on: date
    ends_on: date
    completed_on: NotRequired[date]


class FollowUpOutcome(TypedDict):
    """A follow-up's outcome; what a later follow-up adds only where it says it."""

    employment: str
    housing: str
    new_conviction: NotRequired[bool | None]
    new_conviction_on: NotRequired[date | None]
    follow_up_months: NotRequired[int]


class ReleaseCase(PathwayAggregate):
    """One per person: the dates of the current term, custody and releases, supervisions, and what followed."""

    # --- state ------------------------------------------------------------
    # The current term's dates in force, its sentences (decision_id, decided_on, sentence_days, consecutive_to)
    # and adjustments (adjustment_id, decision_id, kind, days) as recorded, and each of its calculations.
    dates: dict[str, date] | None
    sentences: dict[str, dict[str, Any]]
    adjustments: dict[str, dict[str, Any]]
    decisions_seen: set[str]
    term_released_on: date | None
    remand_counted_from: date | None
    override: dict[str, Any] | None  # by, reason, the dates set, and the dates the rules gave ("calculated")
    calculations: list[CalculationRecord]
    # Custody and releases (each release: released_on, release_type).
    custody_periods: list[CustodyPeriod]
    in_custody: bool
    last_release: dict[str, Any] | None
    releases: list[dict[str, Any]]
    releases_in_error: list[dict[str, Any]]
    # Supervision: the current one, and every one started, the current one last.
    supervision: SupervisionTerm | None
    supervisions: list[SupervisionTerm]
    supervisions_completed_on: list[date]
    # What followed a release or a measure.
    followed_up: bool
    achievements: list[str]
    outcomes: dict[str, FollowUpOutcome]  # by the day recorded, in ISO form

    def __init__(self, **_: Any) -> None:
        self.dates = None
        self.sentences = {}
        self.adjustments = {}
        self.decisions_seen = set()
        self.term_released_on = None
        self.remand_counted_from = None
        self.override = None
        self.calculations = []
        self.custody_periods = []
        self.in_custody = False
        self.last_release = None
        self.supervision = None
        self.supervisions = []
        self.supervisions_completed_on = []
        self.releases = []
        self.releases_in_error = []
        self.followed_up = False
        self.achievements = []
        self.outcomes = {}

    # --- opening ----------------------------------------------------------

    @classmethod
    def open(cls, person_id: UUID, by: Provenance, occurred_at: datetime) -> ReleaseCase:
        return cls._create(cls.Opened, id=person_id, occurred_at=occurred_at, **by.fields())

    class Opened(PathwayAggregate.Created):
        """Learned from intake: this person exists."""

    # --- release dates ----------------------------------------------------
    # A term is the sentences served together; its dates are calculated by `calculation.calculate` under
    # the jurisdiction's rules, and recalculated whenever an input changes.

    def term_start(self, sentences: dict[str, dict[str, Any]] | None = None) -> date:
        """The earliest start of a concurrent sentence (a consecutive one starts after the one it follows)."""
        given = self.sentences if sentences is None else sentences
        return min(s["decided_on"] for s in given.values() if s["consecutive_to"] is None)

    def remand_days_served(self, sentences: dict[str, dict[str, Any]] | None = None, since: date | None = None) -> int:
        """Days in custody before the term started, since the end of any earlier term, as release knows them."""
        if sentences is None:
            sentences, since = self.sentences, self.remand_counted_from
        return custody_days(self.custody_periods, before=self.term_start(sentences), since=since)

    def calculate_release_dates(
        self,
        decision_id: str,
        decided_on: date,
        sentence_days: int,
        rules: ReleaseRules,
        by: Provenance,
        occurred_at: datetime,
    ) -> None:
        """The spine's case: a concurrent custodial sentence."""
        self.record_sentence(decision_id, decided_on, sentence_days, None, rules, by, occurred_at)

    def record_sentence(
        self,
        decision_id: str,
        decided_on: date,
        sentence_days: int,
        consecutive_to: str | None,
        rules: ReleaseRules,
        by: Provenance,
        occurred_at: datetime,
    ) -> None:
        """A custodial sentence joins the current term (or starts a new one) and the dates are recalculated.

        A concurrent sentence decided on or after the person's release from the current term
        starts a new term: the earlier term's sentences and adjustments no longer count, and
        custody before that release is not remand for the new one.
        """
        if decision_id in self.decisions_seen:
            return  # already calculated from
        sentences, adjustments, since = dict(self.sentences), dict(self.adjustments), self.remand_counted_from
        if consecutive_to is None and self.term_released_on is not None and decided_on >= self.term_released_on:
            sentences, adjustments, since = {}, {}, self.term_released_on
        if consecutive_to is not None and consecutive_to not in sentences:
            raise CalculationInputsError(
                "release dates not calculated: consecutive_to names no sentence of the current term"
            )
        sentences[decision_id] = {
            "decision_id": decision_id,
            "decided_on": decided_on,
            "sentence_days": sentence_days,
            "consecutive_to": consecutive_to,
        }
        self._calculate(decision_id, sentences, adjustments, since, rules, by, occurred_at)

    def record_adjustment(
        self,
        adjustment_id: str,
        decision_id: str,
        kind: str,
        days: int,
        rules: ReleaseRules,
        by: Provenance,
        occurred_at: datetime,
    ) -> None:
        """Remand credit, added days or days unlawfully at large: the term's dates are recalculated.

        An adjustment to a sentence of an earlier term (the person has since started a new
        one) changes no date in force and is not recalculated.
        """
        if adjustment_id in self.adjustments:
            return  # already counted
        if decision_id not in self.sentences:
            if decision_id in self.decisions_seen:
                return
            raise CalculationInputsError("release dates not calculated: the adjustment is for an unknown sentence")
        adjustment = {"adjustment_id": adjustment_id, "decision_id": decision_id, "kind": kind, "days": days}
        adjustments = {**self.adjustments, adjustment_id: adjustment}
        self._calculate(
            decision_id, dict(self.sentences), adjustments, self.remand_counted_from, rules, by, occurred_at
        )

    def recalculate_for_custody(self, rules: ReleaseRules, by: Provenance, occurred_at: datetime) -> None:
        """Custody learned after the sentence may change the remand served before it: recalculate if so."""
        if not self.calculations or not self.sentences:
            return
        latest = self.calculations[-1]
        if self.remand_days_served() == latest["remand_days_served"]:
            return
        since = self.remand_counted_from
        self._calculate(
            latest["decision_id"], dict(self.sentences), dict(self.adjustments), since, rules, by, occurred_at
        )

    def _calculate(
        self,
        decision_id: str,
        sentences: dict[str, dict[str, Any]],
        adjustments: dict[str, dict[str, Any]],
        since: date | None,
        rules: ReleaseRules,
        by: Provenance,
        occurred_at: datetime,
    ) -> None:
        served = self.remand_days_served(sentences, since)
        try:
            result = calculate(
                [
                    Sentence(s["decision_id"], s["decided_on"], s["sentence_days"], s["consecutive_to"])
                    for s in sentences.values()
                ],
                [Adjustment(a["adjustment_id"], a["decision_id"], a["kind"], a["days"]) for a in adjustments.values()],
                rules,
                served,
            )
        except CalculationInputError as error:
            raise CalculationInputsError(f"release dates not calculated: {error}") from None
        self.record(
            self.ReleaseDatesCalculated,
            by,
            occurred_at,
            decision_id=decision_id,
            sentence_days=result.term_days,
            dates=result.dates(),
            conditional_release_fraction=str(rules.conditional_release_fraction),
            rules_version=rules.version,
            calculation=len(self.calculations) + 1,
            jurisdiction=rules.jurisdiction,
            sentences=list(sentences.values()),
            adjustments=list(adjustments.values()),
            remand_counted_from=since,
            remand_days_served=served,
            remand_credit_applied=result.remand_credit_applied,
            override=None,
        )

    def override_release_dates(
        self,
        sentence_end: date | None,
        conditional_release_eligibility: date | None,
        reason: str,
        by: Provenance,
        occurred_at: datetime,
    ) -> None:
        """A person sets dates the rules did not give, with the reason: recorded as a new calculation.

        The override holds until the inputs change (a new sentence, an adjustment, remand
        learned late): the recalculation then gives the rules' dates again, since an override
        was a judgement on the inputs it was made on. Its record stays in the history.
        """
        if not self.calculations:
            raise NoReleaseDatesError("override refused: no release dates have been calculated for this person")
        latest = self.calculations[-1]
        calculated: dict[str, date] = dict(latest["calculated"])
        dates = dict(calculated)
        if sentence_end is not None:
            dates["sentence_end"] = sentence_end
        if conditional_release_eligibility is not None:
            dates["conditional_release_eligibility"] = conditional_release_eligibility
        check_dates(dates)
        override = {
            "by": dict(by.actor),
            "reason": reason,
            "sentence_end": sentence_end,
            "conditional_release_eligibility": conditional_release_eligibility,
            "calculated": calculated,
        }
        if self.override is not None and same_override(self.override, override):
            return  # this override is already in force
        self.record(
            self.ReleaseDatesCalculated,
            by,
            occurred_at,
            decision_id=latest["decision_id"],
            sentence_days=latest["sentence_days"],
            dates=dates,
            conditional_release_fraction=latest["conditional_release_fraction"],
            rules_version=latest["rules_version"],
            calculation=len(self.calculations) + 1,
            jurisdiction=latest["jurisdiction"],
            sentences=list(self.sentences.values()),
            adjustments=list(self.adjustments.values()),
            remand_counted_from=self.remand_counted_from,
            remand_days_served=latest["remand_days_served"],
            remand_credit_applied=latest["remand_credit_applied"],
            override=override,
        )

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

    # --- custody, learned from intake -------------------------------------

    def custody_started(self, facility: str, by: Provenance, occurred_at: datetime) -> None:
        """Custody from the day of `occurred_at` (the admission's time, in its own offset)."""
        self.record(self.CustodyStarted, by, occurred_at, facility=facility)

    class CustodyStarted(PathwayAggregate.Event):
        facility: str

        def apply(self, case: ReleaseCase) -> None:
            case.in_custody = True
            case.custody_periods.append(CustodyPeriod(self.occurred_at.date()))

    def custody_cancelled(self, admitted_on: date, by: Provenance, occurred_at: datetime) -> None:
        if any(period.start == admitted_on for period in self.custody_periods):
            self.record(self.CustodyCancelled, by, occurred_at, admitted_on=admitted_on)

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

    # --- release ----------------------------------------------------------
    # A release on licence starts a supervision, and its correction cancels that supervision.

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

    def starts_licence(self, released_on: date, release_type: str) -> bool:
        """A conditional release, or a parole before the sentence end (issue 6), is on licence to the sentence end.

        Parole is the parole board's decision: not held to the conditional-release eligibility, and with no
        calculated dates (or on or after the sentence end) there is no licence to serve.
        """
        if release_type == "conditional_release":
            return True
        return release_type == "parole" and self.dates is not None and released_on < self.dates["sentence_end"]

    def release(self, released_on: date, release_type: str, by: Provenance) -> None:
        if {"released_on": released_on, "release_type": release_type} in self.releases:
            return  # this release is already recorded
        if not self.in_custody:
            raise NotInCustodyError("release refused: the person is not in custody")
        if release_type == "conditional_release":
            self.check_conditional_release(released_on)
        occurred_at = start_of_day(released_on)
        self.record(self.Released, by, occurred_at, released_on=released_on, release_type=release_type)
        if self.starts_licence(released_on, release_type):
            assert self.dates is not None  # checked in starts_licence
            self.start_supervision_until(PAROLE_LICENCE, released_on, self.dates["sentence_end"], None, by, occurred_at)

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

    def check_latest_release(self, released_on: date) -> None:
        if self.last_release is None or self.last_release["released_on"] != released_on:
            raise NoSuchReleaseError("correction refused: the person's latest release was not recorded on released_on")
        if self.in_custody:
            raise ReleaseCorrectionError("correction refused: the person has been admitted again since that release")

    def record_release_in_error(self, released_on: date, reason: str, by: Provenance, occurred_at: datetime) -> None:
        """Correct the person's latest release; a parole licence it started is cancelled with it."""
        latest = self.last_release is not None and self.last_release["released_on"] == released_on
        if not latest and any(release["released_on"] == released_on for release in self.releases_in_error):
            return  # this correction is already recorded
        self.check_latest_release(released_on)
        assert self.last_release is not None  # checked above
        supervision = self.supervision
        cancelled = (
            supervision is not None
            and supervision["type"] == PAROLE_LICENCE
            and supervision["started_on"] == released_on
        )
        self.record(
            self.ReleaseRecordedInError,
            by,
            occurred_at,
            released_on=released_on,
            release_type=self.last_release["release_type"],
            reason=reason,
            supervision_cancelled=cancelled,
        )

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

    # --- supervision ------------------------------------------------------
    # Started by a court's measure or a release on licence, completed at its end.

    def supervision_on(self, day: date) -> SupervisionTerm | None:
        """The supervision a record dated `day` belongs to: the current one, or an earlier one whose term held
        that day (a record entered late, or a command repeated after the supervision ended)."""
        current = self.supervision
        if current is not None and current["started_on"] <= day:
            return current
        started = [term for term in self.supervisions if term["started_on"] <= day]
        held = [term for term in started if day <= term.get("completed_on", term["ends_on"])]
        return held[-1] if held else current

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
            supervision_type, started_on, days_after(started_on, days), decision_id, by, occurred_at
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

    class SupervisionStarted(PathwayAggregate.Event):
        supervision_type: str
        started_on: date
        ends_on: date
        decision_id: str | None

        def apply(self, case: ReleaseCase) -> None:
            case.supervision = {"type": self.supervision_type, "started_on": self.started_on, "ends_on": self.ends_on}
            case.supervisions.append(case.supervision)
            case.followed_up = True

    def complete_supervision(self, completed_on: date, by: Provenance) -> None:
        if completed_on in self.supervisions_completed_on:
            return  # this completion is already recorded
        if self.supervision is None:
            raise NoSupervisionError("completion refused: the person is not under supervision")
        self.record(self.SupervisionCompleted, by, start_of_day(completed_on), completed_on=completed_on)

    class SupervisionCompleted(PathwayAggregate.Event):
        completed_on: date

        def apply(self, case: ReleaseCase) -> None:
            if case.supervision is not None:
                case.supervision["completed_on"] = self.completed_on
            case.supervision = None
            case.supervisions_completed_on.append(self.completed_on)

    # --- follow-ups -------------------------------------------------------
    # What follows a release or a measure: achievements learned from programmes, and follow-up outcomes.

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

    class AchievementRecorded(PathwayAggregate.Event):
        programme_id: str
        kind: str
        completed_on: date
        certificate_no: str

        def apply(self, case: ReleaseCase) -> None:
            case.achievements.append(self.programme_id)

    def record_outcome(
        self,
        recorded_on: date,
        employment: str,
        housing: str,
        by: Provenance,
        new_conviction: bool | None = None,
        new_conviction_on: date | None = None,
        follow_up_months: int | None = None,
    ) -> None:
        if self.last_release is None and not self.followed_up:
            raise NothingToFollowUpError("outcome refused: the person has no release or measure to follow up")
        content: dict[str, Any] = {"employment": employment, "housing": housing}
        if new_conviction is not None or new_conviction_on is not None or follow_up_months is not None:
            content.update(new_conviction=new_conviction, new_conviction_on=new_conviction_on)
        if follow_up_months is not None:
            content["follow_up_months"] = follow_up_months
        known = self.outcomes.get(recorded_on.isoformat())
        if known is not None:
            if known != content:
                raise OutcomeConflictError("recorded_on: an outcome is already recorded for this date")
            return
        # The spine's event where the follow-up says nothing more, so its history is unchanged; each
        # later event only where the follow-up says what it adds.
        event_class = (
            self.OutcomeRecorded
            if len(content) == 2
            else self.OutcomeForFollowUpRecorded
            if follow_up_months is not None
            else self.OutcomeWithConvictionRecorded
        )
        self.record(event_class, by, start_of_day(recorded_on), recorded_on=recorded_on, **content)

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
