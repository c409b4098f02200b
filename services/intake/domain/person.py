"""A person as intake knows them: identity, court decisions, custody."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

from services.intake.domain.errors import (
    AlreadyInCustodyError,
    CommitmentMissingError,
    DecisionConflictError,
    RegistrationConflictError,
)
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

    class Admitted(PathwayAggregate.Event):
        facility: str
        admitted_at: datetime
        commitments: list[str]

        def apply(self, person: Person) -> None:
            person.custody = {"facility": self.facility, "admitted_at": self.admitted_at}
            person.admissions.append(person.custody)
            person.unused_commitments = []

    class CustodyEnded(PathwayAggregate.Event):
        """Learned from the release service: the person left custody."""

        released_on: date

        def apply(self, person: Person) -> None:
            person.custody = None

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
        self.unused_commitments: list[str] = []
        self.custody: dict[str, Any] | None = None
        self.admissions: list[dict[str, Any]] = []

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
            if known != decision:
                raise DecisionConflictError("decision_id: already recorded with different content")
            return
        self.record(self.CourtDecisionRecorded, by, start_of_day(decision["decided_on"]), decision=decision)

    def admit(self, facility: str, admitted_at: datetime, by: Provenance) -> None:
        if {"facility": facility, "admitted_at": admitted_at} in self.admissions:
            return  # this admission is already recorded
        if self.custody is not None:
            raise AlreadyInCustodyError("admission refused: the person is already in custody")
        self.check_committed()
        self.record(
            self.Admitted,
            by,
            admitted_at,
            facility=facility,
            admitted_at=admitted_at,
            commitments=list(self.unused_commitments),
        )

    def check_committed(self) -> None:
        if not self.unused_commitments:
            raise CommitmentMissingError(
                "admission refused: no commitment order (a custodial sentence or pre-trial detention decision) "
                "has been recorded for this person since their last release"
            )

    def end_custody(self, released_on: date, by: Provenance, occurred_at: datetime) -> None:
        if self.custody is not None:
            self.record(self.CustodyEnded, by, occurred_at, released_on=released_on)
