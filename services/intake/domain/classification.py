"""A person's security classification: initial assessment and reviews, each decided by a second person.

After the UNODC Handbook on the Classification of Prisoners, the Mandela Rules 89, 93 and 94
(classification for individualised treatment, reviewed as the person's situation changes) and
the Bangkok Rules 40-41 (gender-sensitive classification, vulnerability protected rather than
restricted). The level is the least restrictive one that is safe: `level_from_ratings` gives
it, and a proposal that departs from it must say why.

Sensitivity is marked in the stored events themselves: what a Proposed or Decided event holds
under `sensitive` (ratings other than extremism, needs, reasons) and under `restricted` (the
extremism rating) is never published, never put in an error message and never logged. The
rest (kind, dates, level, decision) is what other services and agencies may know.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from uuid import UUID, uuid5

from shared.domain import PathwayAggregate, Provenance, start_of_day
from shared.errors import DuplicateConflict, NotFound, RuleViolation

CLASSIFICATION_NAMESPACE = UUID("4e8a2f61-93c7-5d0b-a6e4-1b7c9d3f5a28")

LEVELS = ("low", "medium", "high", "maximum")  # least restrictive first
SECURITY_RATINGS = ("escape", "harm_to_others", "violence", "extremism")
SENSITIVE_RATINGS = ("escape", "harm_to_others", "violence", "vulnerability")
RESTRICTED_RATINGS = ("extremism",)

# The level each value of a security rating calls for. An unknown rating calls for nothing:
# a restriction must rest on what is known, so a more restrictive level needs reasons.
_CALLS_FOR = {"none": "low", "low": "low", "unknown": "low", "medium": "medium", "high": "high"}


def level_from_ratings(ratings: Mapping[str, str]) -> str:
    """The least restrictive level that is safe, by this table (documented in README.md):

    - each security rating (escape, harm to others, violence, extremism) calls for at least
      the level of its own name: none, low and unknown call for low, medium for medium, high
      for high; the level is the most restrictive any of them calls for;
    - two or more high security ratings call for maximum;
    - vulnerability never raises the level: a vulnerable person is protected (placement,
      supervision, support), not held more securely.
    """
    called = [_CALLS_FOR[ratings[name]] for name in SECURITY_RATINGS]
    if called.count("high") >= 2:
        return "maximum"
    return max(called, key=LEVELS.index)


# --- errors: messages name the rule, never the ratings, needs or reasons -----


class PersonNotInCustodyError(RuleViolation):
    pass


class ClassificationExistsError(RuleViolation):
    pass


class ClassificationMissingError(RuleViolation):
    pass


class AssessmentPendingError(RuleViolation):
    pass


class AssessmentConflictError(DuplicateConflict):
    pass


class AssessmentNotFoundError(NotFound):
    pass


class AssessmentDecidedError(DuplicateConflict):
    pass


class AssessmentDateError(RuleViolation):
    pass


class LevelUnjustifiedError(RuleViolation):
    pass


class SecondPersonRequiredError(RuleViolation):
    pass


def _redacted(event: Any) -> str:
    """An event's repr without its sensitive and restricted parts, should one ever reach a log."""
    shown = (f"{k}={v!r}" for k, v in vars(event).items() if k not in ("sensitive", "restricted"))
    return f"{type(event).__qualname__}({', '.join(shown)}, sensitive=<withheld>)"


@dataclass(frozen=True)
class Proposal:
    """What an assessor proposes. `ratings` has all five: escape, harm_to_others, violence, vulnerability, extremism."""

    assessment_id: str
    kind: str  # initial | review
    review_reason: str | None
    assessed_on: date
    ratings: dict[str, str] = field(repr=False)  # sensitive, extremism restricted: kept out of any repr
    needs: list[str] = field(repr=False)
    proposed_level: str
    reasons: str | None = field(repr=False)
    next_review_due: date

    def open_part(self) -> dict[str, Any]:
        return {
            "assessment_id": self.assessment_id,
            "kind": self.kind,
            "review_reason": self.review_reason,
            "assessed_on": self.assessed_on,
            "proposed_level": self.proposed_level,
            "next_review_due": self.next_review_due,
        }

    def sensitive_part(self) -> dict[str, Any]:
        return {
            "ratings": {name: self.ratings[name] for name in SENSITIVE_RATINGS},
            "needs": list(self.needs),
            "reasons": self.reasons,
            "level_from_ratings": level_from_ratings(self.ratings),
        }

    def restricted_part(self) -> dict[str, Any]:
        return {"ratings": {name: self.ratings[name] for name in RESTRICTED_RATINGS}}


@dataclass
class Assessment:
    proposal: Proposal
    custody_since: datetime
    proposed_by: str  # the proposer's actor id: the decider must be someone else
    decision: dict[str, Any] | None = field(default=None, repr=False)  # its reason is sensitive

    @property
    def approved(self) -> bool:
        return self.decision is not None and self.decision["decision"] == "approved"


class Classification(PathwayAggregate):
    """One per person: every assessment proposed for them and its decision."""

    class Opened(PathwayAggregate.Created):
        """Bookkeeping: the person's classification record exists (not published)."""

        person_id: UUID

    class Proposed(PathwayAggregate.Event):
        """`sensitive` and `restricted` are marked so: never published, logged or echoed."""

        person_id: UUID
        assessment_id: str
        kind: str
        review_reason: str | None
        assessed_on: date
        proposed_level: str
        next_review_due: date
        custody_since: datetime
        sensitive: dict[str, Any]
        restricted: dict[str, Any]

        def apply(self, classification: Classification) -> None:
            ratings = {**self.sensitive["ratings"], **self.restricted["ratings"]}
            proposal = Proposal(
                assessment_id=self.assessment_id,
                kind=self.kind,
                review_reason=self.review_reason,
                assessed_on=self.assessed_on,
                ratings=ratings,
                needs=list(self.sensitive["needs"]),
                proposed_level=self.proposed_level,
                reasons=self.sensitive["reasons"],
                next_review_due=self.next_review_due,
            )
            proposer = self.actor["id"]
            classification.assessments[self.assessment_id] = Assessment(proposal, self.custody_since, proposer)

    class Decided(PathwayAggregate.Event):
        """`level` and `next_review_due` are those in force after the decision; the reason is sensitive."""

        person_id: UUID
        assessment_id: str
        kind: str
        decision: str
        decided_on: date
        proposed_level: str
        level: str | None
        next_review_due: date | None
        sensitive: dict[str, Any]

        def apply(self, classification: Classification) -> None:
            assessment = classification.assessments[self.assessment_id]
            assessment.decision = {
                "decision": self.decision,
                "decided_on": self.decided_on,
                "reason": self.sensitive["reason"],
            }
            if assessment.approved:
                classification.in_force = self.assessment_id

    def __init__(self, person_id: UUID, **_: Any) -> None:
        self.person_id = person_id
        self.assessments: dict[str, Assessment] = {}
        self.in_force: str | None = None  # the assessment id of the latest approved classification

    @staticmethod
    def id_for(person_id: UUID) -> UUID:
        return uuid5(CLASSIFICATION_NAMESPACE, str(person_id))

    @classmethod
    def open(cls, person_id: UUID, by: Provenance, occurred_at: datetime) -> Classification:
        return cls._create(
            cls.Opened, id=cls.id_for(person_id), person_id=person_id, occurred_at=occurred_at, **by.fields()
        )

    # --- queries -----------------------------------------------------------

    def approved_in(self, custody_since: datetime) -> Assessment | None:
        """The classification in force during the custody that began at `custody_since`."""
        assessment = self.assessments.get(self.in_force) if self.in_force else None
        return assessment if assessment is not None and assessment.custody_since == custody_since else None

    def pending_in(self, custody_since: datetime) -> Assessment | None:
        """An assessment of this custody still awaiting its decision (one at a time)."""
        return next(
            (a for a in self.assessments.values() if a.decision is None and a.custody_since == custody_since),
            None,
        )

    # --- commands -----------------------------------------------------------

    def propose(self, proposal: Proposal, custody_since: datetime | None, by: Provenance) -> None:
        """Record a proposal; the same proposal again changes nothing, a different one under its id is refused."""
        known = self.assessments.get(proposal.assessment_id)
        if known is not None:
            if known.proposal != proposal:
                raise AssessmentConflictError("assessment_id: already proposed with different content")
            return
        if custody_since is None:
            raise PersonNotInCustodyError("classification refused: the person is not in custody")
        self.check_assessed_in_custody(proposal, custody_since)
        self.check_one_at_a_time(custody_since)
        self.check_fits_its_kind(proposal, custody_since)
        self.check_least_restrictive(proposal)
        self.record(
            self.Proposed,
            by,
            start_of_day(proposal.assessed_on),
            person_id=self.person_id,
            **proposal.open_part(),
            custody_since=custody_since,
            sensitive=proposal.sensitive_part(),
            restricted=proposal.restricted_part(),
        )

    def check_assessed_in_custody(self, proposal: Proposal, custody_since: datetime) -> None:
        if proposal.assessed_on < custody_since.date():
            raise AssessmentDateError("assessed_on: before the admission that began this custody")

    def check_one_at_a_time(self, custody_since: datetime) -> None:
        pending = self.pending_in(custody_since)
        if pending is not None:
            raise AssessmentPendingError(
                f"classification refused: assessment {pending.proposal.assessment_id} awaits a decision first"
            )

    def check_fits_its_kind(self, proposal: Proposal, custody_since: datetime) -> None:
        approved = self.approved_in(custody_since)
        if proposal.kind == "initial" and approved is not None:
            raise ClassificationExistsError(
                "initial assessment refused: the person already has an approved classification in this custody; "
                "propose a review"
            )
        if proposal.kind == "review":
            if approved is None:
                raise ClassificationMissingError(
                    "review refused: a review needs an approved classification in this custody first"
                )
            assert approved.decision is not None
            if proposal.assessed_on < approved.decision["decided_on"]:
                raise AssessmentDateError("assessed_on: before the decision on the classification under review")

    def check_least_restrictive(self, proposal: Proposal) -> None:
        """The least restrictive level that is safe: a departure from the ratings' level must give reasons."""
        if proposal.reasons:
            return
        called_for = LEVELS.index(level_from_ratings(proposal.ratings))
        proposed = LEVELS.index(proposal.proposed_level)
        if proposed != called_for:
            direction = "more" if proposed > called_for else "less"
            raise LevelUnjustifiedError(
                f"reasons: required when the proposed level is {direction} restrictive than the ratings call for "
                "(the least restrictive level that is safe)"
            )

    def decide(
        self,
        assessment_id: str,
        decision: str,
        decided_on: date,
        reason: str | None,
        custody_since: datetime | None,
        by: Provenance,
    ) -> None:
        """A second person approves or rejects a proposal, once; the same decision again changes nothing."""
        assessment = self.assessments.get(assessment_id)
        if assessment is None:
            raise AssessmentNotFoundError("assessment_id: no such assessment for this person")
        wanted = {"decision": decision, "decided_on": decided_on, "reason": reason}
        if assessment.decision is not None:
            if assessment.decision == wanted:
                return
            raise AssessmentDecidedError("decision refused: this assessment has already been decided")
        if by.actor["id"] == assessment.proposed_by:
            raise SecondPersonRequiredError(
                "decision refused: a second person decides (the proposer cannot approve or reject their own proposal)"
            )
        if custody_since != assessment.custody_since:
            raise PersonNotInCustodyError(
                "decision refused: the person is no longer in the custody this assessment was made in"
            )
        if decided_on < assessment.proposal.assessed_on:
            raise AssessmentDateError("decided_on: before the assessment was made")
        self._record_decision(assessment, wanted, by)

    def _record_decision(self, assessment: Assessment, wanted: dict[str, Any], by: Provenance) -> None:
        proposal = assessment.proposal
        level: str | None
        due: date | None
        if wanted["decision"] == "approved":
            level, due = proposal.proposed_level, proposal.next_review_due
        else:
            current = self.approved_in(assessment.custody_since)
            level = current.proposal.proposed_level if current else None
            due = current.proposal.next_review_due if current else None
        self.record(
            self.Decided,
            by,
            start_of_day(wanted["decided_on"]),
            person_id=self.person_id,
            assessment_id=proposal.assessment_id,
            kind=proposal.kind,
            decision=wanted["decision"],
            decided_on=wanted["decided_on"],
            proposed_level=proposal.proposed_level,
            level=level,
            next_review_due=due,
            sensitive={"reason": wanted["reason"]},
        )


# eventsourcing gives each event class a generated dataclass repr, which would show every field.
for _event_class in (Classification.Proposed, Classification.Decided):
    setattr(_event_class, "__repr__", _redacted)  # noqa: B010
