"""Admission under a lawful commitment (Mandela Rule 7), its correction, and the end of custody."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from services.intake.domain.errors import AdmissionNotFoundError, AlreadyInCustodyError, CommitmentMissingError
from services.intake.domain.person_legal_status import LegalStatus
from shared.domain import Provenance

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


class Custody(LegalStatus):
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


def split_record(record: dict[str, Any]) -> dict[str, dict[str, Any]]:
    sensitive = {k: v for k, v in record.items() if k in SENSITIVE_SECTIONS}
    personal = {k: v for k, v in record.items() if k in PERSONAL_SECTIONS}
    open_part = {k: v for k, v in record.items() if k not in sensitive and k not in personal}
    return {"open": open_part, "personal": personal, "sensitive": sensitive}
