"""A person as intake knows them: identity, court decisions and legal status, custody, placement, absences.

One aggregate, one class. Inside it each capability has its section, and each event class sits right
after the method that records it, so a rule and the state change it leads to are read together.
The event classes are nested here, in `Person`, because their stored topics
(`services.intake.domain.person:Person.Admitted`, ...) are pinned.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from typing import Any, TypedDict
from uuid import UUID

from services.intake.domain.admission_record import split_record
from services.intake.domain.errors import (
    AbsenceConflictError,
    AbsenceError,
    AbsenceNotFoundError,
    AdmissionNotFoundError,
    AlreadyInCustodyError,
    CaseNotRestrictedError,
    CommitmentMissingError,
    DecisionConflictError,
    LegalStatusMissingError,
    NonAssociationConflictError,
    NotInCustodyError,
    PretrialReviewError,
    RegistrationConflictError,
    ReviewConflictError,
    SeparationError,
    TransferConflictError,
)
from services.intake.domain.sentences import check_consecutive_to, is_new_adjustment
from services.intake.domain.separation import STATUS_OF_DECISION, category_of, separation_key
from shared.domain import PathwayAggregate, Provenance, differing, start_of_day

# Decisions that are themselves a commitment order: a lawful ground to admit.
COMMITTING_KINDS = ("custodial_sentence", "pretrial_detention")

# The legal status each kind of commitment order gives.
STATUS_OF_ORDER = {
    "remand_warrant": "remand",
    "sentence_warrant": "sentenced",
    "recall": "recall",
    "civil": "civil",
    "immigration": "immigration",
}


# --- the shapes of the state the rules read (plain dicts at run time) --------


class Stay(TypedDict):
    """A stay in custody: where the person is held, and the admission that began it."""

    facility: str
    admitted_at: datetime


class Adjustment(TypedDict):
    adjustment_id: str
    decision_id: str
    kind: str  # remand credit, added days, days unlawfully at large
    days: int
    recorded_on: date


class Review(TypedDict):
    """A review of a pre-trial detention."""

    decision_id: str
    reviewed_on: date
    outcome: str
    next_review_on: date | None
    reason: str | None


class Transfer(TypedDict):
    to_facility: str
    transferred_at: datetime
    reason: str
    family_notified: bool


class Placement(TypedDict):
    facility: str
    unit: str
    category: str  # the separation category of the legal status it was made under


class NonAssociation(TypedDict):
    reason: str
    recorded_on: date


class Restriction(TypedDict):
    """Why the case is restricted, and the principals (the identity provider's subjects) who may still see it."""

    grounds: str
    may_see: list[str]


class Absence(TypedDict):
    facility: str
    kind: str
    left_at: datetime
    expected_back_on: date | None
    returned_at: datetime | None


class Person(PathwayAggregate):
    """Registered once; then court decisions, custody, placement and absences, each section with its events."""

    # who the person is
    national_id: dict[str, str]
    given_name: str
    family_name: str
    date_of_birth: date
    sex: str
    possible_matches: list[UUID]
    restriction: Restriction | None  # None: the case is seen by whoever's role allows
    # court decisions and legal status
    decisions: dict[str, dict[str, Any]]  # by decision id, as the court gave them
    adjustments: dict[str, Adjustment]  # by adjustment id
    reviews: dict[str, Review]  # pre-trial detention reviews by review id
    legal_status: str | None
    # custody
    unused_commitments: list[str]  # committing decisions no admission has used yet
    custody: Stay | None
    admissions: list[dict[str, Any]]  # each a Stay's facility and admitted_at
    erroneous_admissions: list[dict[str, Any]]  # admissions recorded in error, as above
    admitted_commitments: dict[str, list[str]]  # admitted_at (isoformat) -> the commitments it used
    ended_custody: Stay | None  # the stay the latest release ended
    # placement
    transfers: dict[str, Transfer]  # by transfer id
    placement: Placement | None
    non_associations: dict[str, NonAssociation]  # the other person's id -> reason, day
    # temporary absences
    absences: dict[str, Absence]  # by absence id
    absent: str | None  # the absence going on, if any

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
        self.decisions = {}
        self.adjustments = {}
        self.unused_commitments = []
        self.custody = None
        self.admissions = []
        self.transfers = {}
        self.erroneous_admissions = []
        self.possible_matches = []
        self.restriction = None
        self.admitted_commitments = {}
        self.legal_status = None
        self.placement = None
        self.ended_custody = None
        self.reviews = {}
        self.absences = {}
        self.absent = None
        self.non_associations = {}

    # --- identity: registration, further identifiers, records found to be the same person ---

    @classmethod
    def register(cls, person_id: UUID, details: dict[str, Any], by: Provenance) -> Person:
        return cls._create(cls.Registered, id=person_id, occurred_at=datetime.now(UTC), **details, **by.fields())

    class Registered(PathwayAggregate.Created):
        national_id: dict[str, str]
        given_name: str
        family_name: str
        date_of_birth: date
        sex: str

    def registration_details(self) -> dict[str, Any]:
        return {
            "national_id": self.national_id,
            "given_name": self.given_name,
            "family_name": self.family_name,
            "date_of_birth": self.date_of_birth,
            "sex": self.sex,
        }

    def check_same_registration(self, details: dict[str, Any]) -> None:
        if changed := differing(self.registration_details(), details):
            raise RegistrationConflictError(f"national_id: already registered with different {', '.join(changed)}")

    def add_identifier(self, kind: str, issuer: str, value: str, by: Provenance, when: datetime) -> None:
        self.record(self.IdentifierAdded, by, when, kind=kind, issuer=issuer, value=value)

    class IdentifierAdded(PathwayAggregate.Event):
        kind: str
        issuer: str
        value: str

    def record_possible_match(self, candidate: UUID, matched_on: list[str], by: Provenance, when: datetime) -> None:
        self.record(self.PossibleMatchRecorded, by, when, candidate_person_id=candidate, matched_on=matched_on)

    class PossibleMatchRecorded(PathwayAggregate.Event):
        candidate_person_id: UUID
        matched_on: list[str]

        def apply(self, person: Person) -> None:
            person.possible_matches.append(self.candidate_person_id)

    def record_merge(self, merged: UUID, reason: str, by: Provenance, when: datetime) -> None:
        self.record(self.MergeRecorded, by, when, merged_person_id=merged, reason=reason)

    class MergeRecorded(PathwayAggregate.Event):
        """This record survives; the other's history now belongs with it."""

        merged_person_id: UUID
        reason: str

    def record_unmerge(self, merged: UUID, reason: str, by: Provenance, when: datetime) -> None:
        self.record(self.UnmergeRecorded, by, when, merged_person_id=merged, reason=reason)

    class UnmergeRecorded(PathwayAggregate.Event):
        merged_person_id: UUID
        reason: str

    # --- restriction: a case only named people may see (protected identity, staff relative, high profile) ---

    def restrict(self, grounds: str, may_see: Iterable[str], by: Provenance, when: datetime) -> bool:
        """Restrict the case, or change who may see it; False if it is already restricted just so."""
        this: Restriction = {"grounds": grounds, "may_see": sorted(set(may_see))}
        if self.restriction == this:
            return False
        self.record(self.CaseRestricted, by, when, **this)
        return True

    class CaseRestricted(PathwayAggregate.Event):
        """From now on only `may_see` may read the case; a later restriction replaces this one."""

        grounds: str
        may_see: list[str]

        def apply(self, person: Person) -> None:
            person.restriction = {"grounds": self.grounds, "may_see": list(self.may_see)}

    def lift_restriction(self, reason: str, by: Provenance, when: datetime) -> None:
        if self.restriction is None:
            raise CaseNotRestrictedError("lifting refused: the case is not restricted")
        self.record(self.CaseRestrictionLifted, by, when, reason=reason)

    class CaseRestrictionLifted(PathwayAggregate.Event):
        reason: str

        def apply(self, person: Person) -> None:
            person.restriction = None

    # --- court decisions, and the legal status (and separation category) that follows ---

    def record_court_decision(self, decision: dict[str, Any], by: Provenance) -> None:
        """Record a decision; the same decision again changes nothing, a different one is refused."""
        known = self.decisions.get(decision["decision_id"])
        if known is not None:
            if _given(known) != _given(decision):
                raise DecisionConflictError("decision_id: already recorded with different content")
            return
        check_consecutive_to(self.decisions, decision)
        when = start_of_day(decision["decided_on"])
        self.record(self.CourtDecisionRecorded, by, when, decision=decision)
        status = STATUS_OF_DECISION.get(decision["kind"])
        if status is not None:
            self.change_legal_status(status, decision["decided_on"], f"court decision {decision['decision_id']}", by)

    class CourtDecisionRecorded(PathwayAggregate.Event):
        decision: dict[str, Any]

        def apply(self, person: Person) -> None:
            decision = self.decision
            person.decisions[decision["decision_id"]] = decision
            if decision["kind"] in COMMITTING_KINDS and not person.in_custody:
                person.unused_commitments.append(decision["decision_id"])

    def record_sentence_adjustment(self, adjustment: dict[str, Any], by: Provenance) -> None:
        """Record an adjustment to a custodial sentence; the same again changes nothing, a different one is refused."""
        if is_new_adjustment(self.decisions, self.adjustments, adjustment):
            self.record(self.SentenceAdjustmentRecorded, by, start_of_day(adjustment["recorded_on"]), **adjustment)

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

    def change_legal_status(self, status: str, effective_on: date, reason: str, by: Provenance) -> None:
        """A new legal status; one that changes the separation category ends the current placement."""
        if status == self.legal_status:
            return
        when = start_of_day(effective_on)
        self.record(self.LegalStatusChanged, by, when, status=status, effective_on=effective_on, reason=reason)
        if self.placement is not None and self.placement["category"] != category_of(status):
            placement = self.placement
            self.record(self.PlacementEnded, by, when, facility=placement["facility"], unit=placement["unit"],
                        reason="legal_status_changed")  # fmt: skip

    class LegalStatusChanged(PathwayAggregate.Event):
        status: str
        effective_on: date
        reason: str

        def apply(self, person: Person) -> None:
            person.legal_status = self.status

    class PlacementEnded(PathwayAggregate.Event):
        """The legal status changed the separation category: the person must be placed again."""

        facility: str
        unit: str
        reason: str

        def apply(self, person: Person) -> None:
            person.placement = None

    def separation_category(self) -> str:
        if self.legal_status is None:
            raise LegalStatusMissingError("placement refused: the person has no legal status recorded")
        return category_of(self.legal_status)

    # --- pre-trial detention as a last resort (Tokyo Rule 6) ---

    def review_pretrial_detention(
        self,
        review_id: str,
        decision_id: str,
        reviewed_on: date,
        outcome: str,
        next_review_on: date | None,
        reason: str | None,
        by: Provenance,
    ) -> None:
        this = {"decision_id": decision_id, "reviewed_on": reviewed_on, "outcome": outcome,
                "next_review_on": next_review_on, "reason": reason}  # fmt: skip
        known = self.reviews.get(review_id)
        if known is not None:
            if _given(known) != _given(this):
                raise ReviewConflictError("review_id: already recorded with different content")
            return
        decision = self.decisions.get(decision_id)
        if decision is None or decision["kind"] != "pretrial_detention":
            raise PretrialReviewError("review refused: decision_id is not a pre-trial detention of this person")
        if reviewed_on < decision["decided_on"]:
            raise PretrialReviewError("review refused: reviewed_on is before the detention was decided")
        self.record(self.PretrialDetentionReviewed, by, start_of_day(reviewed_on), review_id=review_id, **this)

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

    # --- custody: admission under a lawful commitment (Mandela Rule 7), its correction, its end ---

    @property
    def in_custody(self) -> bool:
        return self.custody is not None

    def admit(self, facility: str, admitted_at: datetime, by: Provenance, record: dict[str, Any] | None = None) -> None:
        """Admit under a recorded committing decision, or under the commitment order in the record."""
        if {"facility": facility, "admitted_at": admitted_at} in self.admissions:
            return  # this admission is already recorded
        if self.custody is not None:
            raise AlreadyInCustodyError("admission refused: the person is already in custody")
        order = (record or {}).get("commitment_order")
        if order is None:
            self.check_committed()
        commitments = list(self.unused_commitments) + ([f"order:{order['reference']}"] if order else [])
        self.record(self.Admitted, by, admitted_at, facility=facility, admitted_at=admitted_at, commitments=commitments)
        if record:
            self.record(self.AdmissionRecorded, by, admitted_at, admitted_at=admitted_at, **split_record(record))
        if order is not None:  # the order gives the legal status (no change if a decision already did)
            status = STATUS_OF_ORDER[order["kind"]]
            self.change_legal_status(status, admitted_at.date(), f"commitment order {order['reference']}", by)

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

    def admit_on_recall(
        self, recall_id: str, facility: str, executed_at: datetime, authority: str, by: Provenance
    ) -> None:
        """A recall carried out by the release service is itself the commitment order (Mandela Rule 7)."""
        order = {"kind": "recall", "issuing_authority": authority, "reference": recall_id}
        if self.custody is None:
            record = {"reason": "recall", "commitment_order": order}
            self.admit(facility, executed_at, by, record)
        else:  # already held: the recall changes the legal status only
            self.change_legal_status("recall", executed_at.date(), f"recall {recall_id}", by)

    def check_committed(self) -> None:
        if not self.unused_commitments:
            raise CommitmentMissingError(
                "admission refused: no commitment order (a custodial sentence or pre-trial detention decision) "
                "has been recorded for this person since their last release"
            )

    def record_admission_in_error(self, facility: str, admitted_at: datetime, reason: str, by: Provenance) -> None:
        """Mark an admission as recorded in error; its commitments can serve a correct admission."""
        admission = {"facility": facility, "admitted_at": admitted_at}
        if admission in self.erroneous_admissions and admission not in self.admissions:
            return  # already corrected
        if admission not in self.admissions:
            raise AdmissionNotFoundError("correction refused: no such admission is recorded for this person")
        current = self.custody is not None and self.custody["admitted_at"] == admitted_at
        commitments = self.admitted_commitments.get(admitted_at.isoformat(), []) if current else []
        self.record(self.AdmissionRecordedInError, by, admitted_at, facility=facility, admitted_at=admitted_at,
                    reason=reason, commitments=commitments)  # fmt: skip

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

    def end_custody(self, released_on: date, by: Provenance, occurred_at: datetime) -> None:
        if self.custody is not None:
            self.record(self.CustodyEnded, by, occurred_at, released_on=released_on)

    class CustodyEnded(PathwayAggregate.Event):
        """Learned from the release service: the person left custody."""

        released_on: date

        def apply(self, person: Person) -> None:
            person.ended_custody = person.custody
            person.custody = None
            person.placement = None
            person.absent = None  # released from court, say: the absence ends with the custody

    def restore_custody(self, released_on: date, by: Provenance, occurred_at: datetime) -> None:
        """The release that ended the latest stay was recorded in error: the stay continues."""
        custody = self.ended_custody
        if self.custody is not None or custody is None:
            return  # held again already, or nothing ended to restore
        self.record(
            self.CustodyRestored,
            by,
            occurred_at,
            released_on=released_on,
            facility=custody["facility"],
            admitted_at=custody["admitted_at"],
        )

    class CustodyRestored(PathwayAggregate.Event):
        """Learned from the release service (issue 6): the release was recorded in error, so the stay it ended
        continues at the facility (the unit was given up on release: the person is placed again)."""

        released_on: date
        facility: str
        admitted_at: datetime

        def apply(self, person: Person) -> None:
            person.custody = {"facility": self.facility, "admitted_at": self.admitted_at}
            person.ended_custody = None

    # --- placement: custody within and between facilities, transfers and units ---

    def check_in_custody(self, action: str, facility: str | None = None) -> Stay:
        if self.custody is None:
            raise NotInCustodyError(f"{action} refused: the person is not in custody")
        if facility is not None and self.custody["facility"] != facility:
            raise NotInCustodyError(f"{action} refused: the person is not in custody at {facility}")
        return self.custody

    def transfer(
        self,
        transfer_id: str,
        to_facility: str,
        transferred_at: datetime,
        reason: str,
        family_notified: bool,
        by: Provenance,
    ) -> None:
        """Move to another facility (Mandela Rule 68: whether the family was notified is recorded)."""
        this = {"to_facility": to_facility, "transferred_at": transferred_at, "reason": reason,
                "family_notified": family_notified}  # fmt: skip
        known = self.transfers.get(transfer_id)
        if known is not None:
            if known != this:
                raise TransferConflictError("transfer_id: already recorded with different content")
            return
        custody = self.check_in_custody("transfer")
        if custody["facility"] == to_facility:
            raise NotInCustodyError(f"transfer refused: the person is already held at {to_facility}")
        self.record(self.Transferred, by, transferred_at, transfer_id=transfer_id,
                    from_facility=custody["facility"], **this)  # fmt: skip

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

    def record_non_association(self, other: UUID, reason: str, recorded_on: date, by: Provenance) -> bool:
        """Record someone this person must not share a unit with; False if already recorded so."""
        this = {"reason": reason, "recorded_on": recorded_on}
        known = self.non_associations.get(str(other))
        if known is not None:
            if known != this:
                raise NonAssociationConflictError("other_person_id: a non-association is already recorded otherwise")
            return False
        self.record(self.NonAssociationRecorded, by, start_of_day(recorded_on), other_person_id=other, **this)
        return True

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

    def check_non_associations(self, facility: str, unit: str, occupants: Iterable[str]) -> None:
        """Refused where the unit holds someone this person must not be held with; the other is not named."""
        if set(self.non_associations) & set(occupants):
            raise SeparationError(
                f"placement refused: unit {unit} of {facility} holds someone this person must not be held with "
                "(a non-association)"
            )

    def separation_key(self, on: date) -> str:
        """Legal category, sex group and age group on `on`: who may share a unit with this person."""
        return separation_key(self.separation_category(), self.sex, self.date_of_birth, on)

    def place(self, facility: str, unit: str, placed_on: date, by: Provenance) -> bool:
        """Record a placement (the unit checks separation); False if the person is already there."""
        self.check_in_custody("placement", facility)
        category = self.separation_category()
        if self.placement == {"facility": facility, "unit": unit, "category": category}:
            return False
        self.record(self.Placed, by, start_of_day(placed_on), facility=facility, unit=unit, placed_on=placed_on,
                    category=category)  # fmt: skip
        return True

    class Placed(PathwayAggregate.Event):
        facility: str
        unit: str
        placed_on: date
        category: str

        def apply(self, person: Person) -> None:
            person.placement = {"facility": self.facility, "unit": self.unit, "category": self.category}

    # --- temporary absences: away for a while (court, hospital, temporary release), still on the roll ---
    # (occupancy still counts the person; programmes suspend their custody enrolments meanwhile)

    def leave(
        self, absence_id: str, kind: str, left_at: datetime, expected_back_on: date | None, by: Provenance
    ) -> bool:
        """Record a departure; False if this very absence is already recorded."""
        this = {"kind": kind, "left_at": left_at, "expected_back_on": expected_back_on}
        known = self.absences.get(absence_id)
        if known is not None:
            if (known["kind"], known["left_at"], known["expected_back_on"]) != (kind, left_at, expected_back_on):
                raise AbsenceConflictError("absence_id: already recorded with different content")
            return False
        custody = self.check_in_custody("temporary absence")
        if self.absent is not None:
            raise AbsenceError("temporary absence refused: the person is already away; record the return first")
        self.record(self.TemporaryAbsenceStarted, by, left_at, absence_id=absence_id, facility=custody["facility"],
                    **this)  # fmt: skip
        return True

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

    def come_back(self, absence_id: str, returned_at: datetime, by: Provenance) -> bool:
        """Record the return; False if this very return is already recorded."""
        absence = self.absences.get(absence_id)
        if absence is None:
            raise AbsenceNotFoundError("absence_id: no such temporary absence of this person")
        if absence["returned_at"] is not None:
            if absence["returned_at"] != returned_at:
                raise AbsenceConflictError("returned_at: the return is already recorded at another time")
            return False
        if self.absent != absence_id:
            raise AbsenceError("return refused: the person is no longer in custody here")
        if returned_at < absence["left_at"]:
            raise AbsenceError("returned_at: before the person left")
        self.record(self.TemporaryAbsenceEnded, by, returned_at, absence_id=absence_id, facility=absence["facility"],
                    returned_at=returned_at)  # fmt: skip
        return True

    class TemporaryAbsenceEnded(PathwayAggregate.Event):
        absence_id: str
        facility: str
        returned_at: datetime

        def apply(self, person: Person) -> None:
            person.absences[self.absence_id]["returned_at"] = self.returned_at
            person.absent = None


def _given(record: Mapping[str, Any]) -> dict[str, Any]:
    """A record without its unset fields: optional fields added later must not make an old record differ."""
    return {key: value for key, value in record.items() if value is not None}
