"""Who the person is: their registration, further identifiers, and records found to be the same person."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from services.intake.domain.errors import RegistrationConflictError
from services.intake.domain.person_state import PersonState
from shared.domain import Provenance, differing


class Identity(PersonState):
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

    def record_possible_match(self, candidate: UUID, matched_on: list[str], by: Provenance, when: datetime) -> None:
        self.record(self.PossibleMatchRecorded, by, when, candidate_person_id=candidate, matched_on=matched_on)

    def record_merge(self, merged: UUID, reason: str, by: Provenance, when: datetime) -> None:
        self.record(self.MergeRecorded, by, when, merged_person_id=merged, reason=reason)

    def record_unmerge(self, merged: UUID, reason: str, by: Provenance, when: datetime) -> None:
        self.record(self.UnmergeRecorded, by, when, merged_person_id=merged, reason=reason)
