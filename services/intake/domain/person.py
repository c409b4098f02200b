"""A person as intake knows them: identity, court decisions, custody."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

from services.intake.domain.errors import (
    AdmissionNotFoundError,
    AlreadyInCustodyError,
    CommitmentMissingError,
    DecisionConflictError,
    LegalStatusMissingError,
    NotInCustodyError,
    PretrialReviewError,
    RegistrationConflictError,
    ReviewConflictError,
    TransferConflictError,
)
from services.intake.domain.sentences import check_consecutive_to, is_new_adjustment
from services.intake.domain.separation import STATUS_OF_DECISION, category_of
from shared.domain import PathwayAggregate, Provenance, start_of_day

# Decisions that are themselves a commitment order: a lawful ground to admit.
COMMITTING_KINDS = ("custodial_sentence", "pretrial_detention")


class Person(PathwayAggregate):
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

    class CustodyRestored(PathwayAggregate.Event):
        """Learned from the release service (issue 6): the release was recorded in error, so the stay it ended
        continues at the facility (the unit was given up on release: the person is placed again)."""

        released_on: date
        facility: str
        admitted_at: datetime

        def apply(self, person: Person) -> None:
            person.custody = {"facility": self.facility, "admitted_at": self.admitted_at}
            person.ended_custody = None

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

    @classmethod
    def register(cls, person_id: UUID, details: dict[str, Any], by: Provenance) -> Person:
        return cls._create(cls.Registered, id=person_id, occurred_at=datetime.now(UTC), **details, **by.fields())

    @property
    def in_custody(self) -> bool:
        return self.custody is not None

    def registration_details(self) -> dict[str, Any]:
        return {
            "national_id": self.national_id,
            "given_name": self.given_name,
            "family_name": self.family_name,
            "date_of_birth": self.date_of_birth,
            "sex": self.sex,
        }

    def check_same_registration(self, details: dict[str, Any]) -> None:
        differing = sorted(k for k, v in details.items() if self.registration_details().get(k) != v)
        if differing:
            raise RegistrationConflictError(f"national_id: already registered with different {', '.join(differing)}")

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

    def record_sentence_adjustment(self, adjustment: dict[str, Any], by: Provenance) -> None:
        """Record an adjustment to a custodial sentence; the same again changes nothing, a different one is refused."""
        if is_new_adjustment(self.decisions, self.adjustments, adjustment):
            self.record(self.SentenceAdjustmentRecorded, by, start_of_day(adjustment["recorded_on"]), **adjustment)

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

    def end_custody(self, released_on: date, by: Provenance, occurred_at: datetime) -> None:
        if self.custody is not None:
            self.record(self.CustodyEnded, by, occurred_at, released_on=released_on)

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

    # --- custody within and between facilities ----------------------------

    def check_in_custody(self, action: str, facility: str | None = None) -> dict[str, Any]:
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

    def separation_category(self) -> str:
        if self.legal_status is None:
            raise LegalStatusMissingError("placement refused: the person has no legal status recorded")
        return category_of(self.legal_status)

    def place(self, facility: str, unit: str, placed_on: date, by: Provenance) -> bool:
        """Record a placement (the unit checks separation); False if the person is already there."""
        self.check_in_custody("placement", facility)
        category = self.separation_category()
        if self.placement == {"facility": facility, "unit": unit, "category": category}:
            return False
        self.record(self.Placed, by, start_of_day(placed_on), facility=facility, unit=unit, placed_on=placed_on,
                    category=category)  # fmt: skip
        return True

    # --- pre-trial detention as a last resort (Tokyo Rule 6) ---------------

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

    # --- identity ------------------------------------------------------------

    def add_identifier(self, kind: str, issuer: str, value: str, by: Provenance, when: datetime) -> None:
        self.record(self.IdentifierAdded, by, when, kind=kind, issuer=issuer, value=value)

    def record_possible_match(self, candidate: UUID, matched_on: list[str], by: Provenance, when: datetime) -> None:
        self.record(self.PossibleMatchRecorded, by, when, candidate_person_id=candidate, matched_on=matched_on)

    def record_merge(self, merged: UUID, reason: str, by: Provenance, when: datetime) -> None:
        self.record(self.MergeRecorded, by, when, merged_person_id=merged, reason=reason)

    def record_unmerge(self, merged: UUID, reason: str, by: Provenance, when: datetime) -> None:
        self.record(self.UnmergeRecorded, by, when, merged_person_id=merged, reason=reason)


# Which parts of an admission record are health-sensitive or about children (restricted), which are
# personal (withheld from public events), and which may travel with the public event.
SENSITIVE_SECTIONS = ("health", "children")
PERSONAL_SECTIONS = ("arrest_place", "self_perceived_gender", "property", "next_of_kin", "emergency_contact")
STATUS_OF_ORDER = {
    "remand_warrant": "remand",
    "sentence_warrant": "sentenced",
    "recall": "recall",
    "civil": "civil",
    "immigration": "immigration",
}


def split_record(record: dict[str, Any]) -> dict[str, dict[str, Any]]:
    sensitive = {k: v for k, v in record.items() if k in SENSITIVE_SECTIONS}
    personal = {k: v for k, v in record.items() if k in PERSONAL_SECTIONS}
    open_part = {k: v for k, v in record.items() if k not in sensitive and k not in personal}
    return {"open": open_part, "personal": personal, "sensitive": sensitive}


def _given(record: dict[str, Any]) -> dict[str, Any]:
    """A record without its unset fields: optional fields added later must not make an old record differ."""
    return {key: value for key, value in record.items() if value is not None}
