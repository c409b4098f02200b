"""The current term's release dates: sentences and adjustments as recorded, each calculation, and overrides.

A term is the sentences served together; its dates are calculated by `calculation.calculate` under
the jurisdiction's rules, and recalculated whenever an input changes.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from services.release.domain.calculation import (
    Adjustment,
    CalculationInputError,
    Sentence,
    calculate,
    custody_days,
)
from services.release.domain.case_state import CaseState
from services.release.domain.errors import (
    CalculationInputsError,
    NoReleaseDatesError,
    ReleaseDatesOverrideError,
)
from services.release.domain.rules import ReleaseRules
from shared.domain import Provenance


class ReleaseDates(CaseState):
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

    def term_start(self, sentences: dict[str, dict[str, Any]] | None = None) -> date:
        """The earliest start of a concurrent sentence (a consecutive one starts after the one it follows)."""
        given = self.sentences if sentences is None else sentences
        return min(s["decided_on"] for s in given.values() if s["consecutive_to"] is None)

    def remand_days_served(self, sentences: dict[str, dict[str, Any]] | None = None, since: date | None = None) -> int:
        """Days in custody before the term started, since the end of any earlier term, as release knows them."""
        if sentences is None:
            sentences, since = self.sentences, self.remand_counted_from
        return custody_days(self.custody_periods, before=self.term_start(sentences), since=since)

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

    # --- commands ---------------------------------------------------------

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
        if self.override is not None and _same_override(self.override, override):
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


def check_dates(dates: dict[str, date]) -> None:
    """Dates set by hand must still make sense: none before the start, eligibility not after the end."""
    start, end = dates["sentence_start"], dates["sentence_end"]
    eligible = dates["conditional_release_eligibility"]
    if end < start:
        raise ReleaseDatesOverrideError(
            f"override refused: sentence_end is before the sentence start {start.isoformat()}"
        )
    if eligible < start:
        raise ReleaseDatesOverrideError(
            f"override refused: conditional_release_eligibility is before the sentence start {start.isoformat()}"
        )
    if eligible > end:
        raise ReleaseDatesOverrideError(
            f"override refused: conditional_release_eligibility is after the sentence end {end.isoformat()}"
        )


def _same_override(current: dict[str, Any], new: dict[str, Any]) -> bool:
    # The same dates and reason from another clerk are the same override.
    fields = ("reason", "sentence_end", "conditional_release_eligibility", "calculated")
    return all(current.get(name) == new[name] for name in fields)
