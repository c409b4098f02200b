"""A person as intake knows them: identity, court decisions, custody."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

from services.intake.domain.person_absence import Absence
from services.intake.domain.person_custody import Custody
from services.intake.domain.person_identity import Identity
from services.intake.domain.person_legal_status import LegalStatus
from services.intake.domain.person_placement import Placement
from shared.domain import PathwayAggregate, Provenance

# Decisions that are themselves a commitment order: a lawful ground to admit.
COMMITTING_KINDS = ("custodial_sentence", "pretrial_detention")


class Person(Identity, Absence, Placement, Custody, LegalStatus, PathwayAggregate):
    """The event classes live here, where their stored topics are pinned; the behaviour lives in the
    mixins (identity, legal status, custody, placement), one concern per module."""

    class Registered(PathwayAggregate.Created):
        national_id: dict[str, str]
        given_name: str
        family_name: str
        date_of_birth: date
        sex: str

    class CourtDecisionRecorded(PathwayAggregate.Event):
        decision: dict[str, Any]

        def apply(self, person: Person) -> None:
            decision = self.decision
            person.decisions[decision["decision_id"]] = decision
            if decision["kind"] in COMMITTING_KINDS and not person.in_custody:
                person.unused_commitments.append(decision["decision_id"])

    class SentenceAdjustmentRecorded(PathwayAggregate.Event):
        """Remand credit, added days or days unlawfully at large, for one custodial sentence."""

        adjustment_id: str
        decision_id: str
        kind: str
        days: int
        recorded_on: date

        def apply(self, person: Person) -> None:
            person.adjustments[self.adjustment_id] = {
                "adjustment_id": self.adjustment_id,
                "decision_id": self.decision_id,
                "kind": self.kind,
                "days": self.days,
                "recorded_on": self.recorded_on,
            }

    class Admitted(PathwayAggregate.Event):
        facility: str
        admitted_at: datetime
        commitments: list[str]

        def apply(self, person: Person) -> None:
            person.custody = {"facility": self.facility, "admitted_at": self.admitted_at}
            person.admissions.append(dict(person.custody))
            person.admitted_commitments[self.admitted_at.isoformat()] = list(self.commitments)
            person.unused_commitments = []

    class AdmissionRecorded(PathwayAggregate.Event):
        """The admission record of Mandela Rule 7, kept beside the admission itself.

        `sensitive` holds what only those entitled may read (health, children:
        Bangkok Rule 3); `personal` holds personal details; `open` what anyone
        with access to the case may see. Only the names of the first two
        sections ever leave the service.
        """

        admitted_at: datetime
        open: dict[str, Any]
        personal: dict[str, Any]
        sensitive: dict[str, Any]

    class AdmissionRecordedInError(PathwayAggregate.Event):
        """A correction: the admission stays in the history, marked as never having happened."""

        facility: str
        admitted_at: datetime
        reason: str
        commitments: list[str]

        def apply(self, person: Person) -> None:
            admission = {"facility": self.facility, "admitted_at": self.admitted_at}
            person.admissions.remove(admission)
            person.erroneous_admissions.append(admission)
            if person.custody is not None and person.custody["admitted_at"] == self.admitted_at:
                person.custody = None
                person.placement = None
                person.unused_commitments = [c for c in self.commitments if not c.startswith("order:")]

    class IdentifierAdded(PathwayAggregate.Event):
        kind: str
        issuer: str
        value: str

    class PossibleMatchRecorded(PathwayAggregate.Event):
        candidate_person_id: UUID
        matched_on: list[str]

        def apply(self, person: Person) -> None:
            person.possible_matches.append(self.candidate_person_id)

    class MergeRecorded(PathwayAggregate.Event):
        """This record survives; the other's history now belongs with it."""

        merged_person_id: UUID
        reason: str

    class UnmergeRecorded(PathwayAggregate.Event):
        merged_person_id: UUID
        reason: str

    class CustodyEnded(PathwayAggregate.Event):
        """Learned from the release service: the person left custody."""

        released_on: date

        def apply(self, person: Person) -> None:
            person.ended_custody = person.custody
            person.custody = None
            person.placement = None
            person.absent = None  # released from court, say: the absence ends with the custody

    class CustodyRestored(PathwayAggregate.Event):
        """Learned from the release service (issue 6): the release was recorded in error, so the stay it ended
        continues at the facility (the unit was given up on release: the person is placed again)."""

        released_on: date
        facility: str
        admitted_at: datetime

        def apply(self, person: Person) -> None:
            person.custody = {"facility": self.facility, "admitted_at": self.admitted_at}
            person.ended_custody = None

    class TemporaryAbsenceStarted(PathwayAggregate.Event):
        """Left the facility for a while (to court, to hospital, on temporary release), still on its roll."""

        absence_id: str
        facility: str
        kind: str
        left_at: datetime
        expected_back_on: date | None

        def apply(self, person: Person) -> None:
            person.absences[self.absence_id] = {
                "facility": self.facility,
                "kind": self.kind,
                "left_at": self.left_at,
                "expected_back_on": self.expected_back_on,
                "returned_at": None,
            }
            person.absent = self.absence_id

    class TemporaryAbsenceEnded(PathwayAggregate.Event):
        absence_id: str
        facility: str
        returned_at: datetime

        def apply(self, person: Person) -> None:
            person.absences[self.absence_id]["returned_at"] = self.returned_at
            person.absent = None

    class NonAssociationRecorded(PathwayAggregate.Event):
        """Someone this person must not share a unit with. A security record: kept here, never published."""

        other_person_id: UUID
        reason: str
        recorded_on: date

        def apply(self, person: Person) -> None:
            person.non_associations[str(self.other_person_id)] = {
                "reason": self.reason,
                "recorded_on": self.recorded_on,
            }

    class Transferred(PathwayAggregate.Event):
        transfer_id: str
        from_facility: str
        to_facility: str
        transferred_at: datetime
        reason: str
        family_notified: bool

        def apply(self, person: Person) -> None:
            assert person.custody is not None
            person.custody["facility"] = self.to_facility
            person.placement = None
            person.transfers[self.transfer_id] = {
                "to_facility": self.to_facility,
                "transferred_at": self.transferred_at,
                "reason": self.reason,
                "family_notified": self.family_notified,
            }

    class LegalStatusChanged(PathwayAggregate.Event):
        status: str
        effective_on: date
        reason: str

        def apply(self, person: Person) -> None:
            person.legal_status = self.status

    class Placed(PathwayAggregate.Event):
        facility: str
        unit: str
        placed_on: date
        category: str

        def apply(self, person: Person) -> None:
            person.placement = {"facility": self.facility, "unit": self.unit, "category": self.category}

    class PlacementEnded(PathwayAggregate.Event):
        """The legal status changed the separation category: the person must be placed again."""

        facility: str
        unit: str
        reason: str

        def apply(self, person: Person) -> None:
            person.placement = None

    class PretrialDetentionReviewed(PathwayAggregate.Event):
        review_id: str
        decision_id: str
        reviewed_on: date
        outcome: str
        next_review_on: date | None
        reason: str | None

        def apply(self, person: Person) -> None:
            person.reviews[self.review_id] = {
                "decision_id": self.decision_id,
                "reviewed_on": self.reviewed_on,
                "outcome": self.outcome,
                "next_review_on": self.next_review_on,
                "reason": self.reason,
            }

    def __init__(
        self,
        national_id: dict[str, str],
        given_name: str,
        family_name: str,
        date_of_birth: date,
        sex: str,
        **_: Any,
    ) -> None:
        self.national_id = national_id
        self.given_name = given_name
        self.family_name = family_name
        self.date_of_birth = date_of_birth
        self.sex = sex
        self.decisions: dict[str, dict[str, Any]] = {}
        self.adjustments: dict[str, dict[str, Any]] = {}
        self.unused_commitments: list[str] = []
        self.custody: dict[str, Any] | None = None
        self.admissions: list[dict[str, Any]] = []
        self.transfers: dict[str, dict[str, Any]] = {}
        self.erroneous_admissions: list[dict[str, Any]] = []
        self.possible_matches: list[UUID] = []
        self.admitted_commitments: dict[str, list[str]] = {}
        self.legal_status: str | None = None
        self.placement: dict[str, str] | None = None
        self.ended_custody: dict[str, Any] | None = None  # the stay the latest release ended
        self.reviews: dict[str, dict[str, Any]] = {}
        self.absences: dict[str, dict[str, Any]] = {}  # temporary absences by id
        self.absent: str | None = None  # the absence going on, if any
        self.non_associations: dict[str, dict[str, Any]] = {}  # the other person's id -> reason, day

    @classmethod
    def register(cls, person_id: UUID, details: dict[str, Any], by: Provenance) -> Person:
        return cls._create(cls.Registered, id=person_id, occurred_at=datetime.now(UTC), **details, **by.fields())
