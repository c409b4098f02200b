"""A person's compliance record: violations, the responses to them, and recalls (Tokyo Rules 14).

One aggregate per person beside the release case, so that the case stays about dates,
release and supervision. Failure to comply never leads to custody by itself: a revocation
is decided only once the person was heard and non-custodial alternatives were considered,
and both are recorded as events — the proof that the rule was followed. A recall follows a
revocation, and executing it is what sends the person back to intake.

The class is grouped by capability; in each, the command comes first and the event it records
right after it, with its `apply`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any, TypedDict
from uuid import UUID, uuid5

from services.release.domain.errors import (
    RecallNotDecidedError,
    RecallRefusedError,
    RevocationRefusedError,
    ViolationConflictError,
    ViolationNotFoundError,
    ViolationRefusedError,
)
from shared.domain import PathwayAggregate, Provenance, start_of_day

COMPLIANCE_NAMESPACE = UUID("9b3e51d2-7c04-5a86-b1f9-2d6e8a4c0f17")

# Responses that keep the person in the community: what must be considered before a revocation.
NON_CUSTODIAL_RESPONSES = ("warning", "new_conditions", "extension")
CUSTODIAL_RESPONSES = ("revocation",)


class ViolationRecord(TypedDict):
    kind: str
    condition: str
    occurred_on: date


class HearingRecord(TypedDict):
    heard_on: date
    heard_by: str


class AlternativesRecord(TypedDict):
    considered_on: date
    alternatives: list[str]
    reason: str | None


class ResponseRecord(TypedDict):
    response: str
    decided_on: date
    decided_by: str


class RecallExecution(TypedDict):
    facility: str
    executed_at: datetime


class RecallRecord(TypedDict):
    violation_id: str
    decided_on: date
    issuing_authority: str
    executed: RecallExecution | None


class Compliance(PathwayAggregate):
    """One per person: every violation recorded, how it was answered, and any recall."""

    # --- state ------------------------------------------------------------
    # Each record by its violation_id; a recall by its recall_id.
    person_id: UUID
    violations: dict[str, ViolationRecord]
    hearings: dict[str, HearingRecord]
    alternatives: dict[str, AlternativesRecord]
    responses: dict[str, ResponseRecord]
    recalls: dict[str, RecallRecord]

    def __init__(self, person_id: UUID, **_: Any) -> None:
        self.person_id = person_id
        self.violations = {}
        self.hearings = {}
        self.alternatives = {}
        self.responses = {}
        self.recalls = {}

    # --- opening ----------------------------------------------------------

    @staticmethod
    def id_for(person_id: UUID) -> UUID:
        return uuid5(COMPLIANCE_NAMESPACE, str(person_id))

    @classmethod
    def open(cls, person_id: UUID, by: Provenance, occurred_at: datetime) -> Compliance:
        return cls._create(
            cls.Opened, id=cls.id_for(person_id), person_id=person_id, occurred_at=occurred_at, **by.fields()
        )

    class Opened(PathwayAggregate.Created):
        """Bookkeeping: the person's compliance record exists (not published)."""

        person_id: UUID

    # --- violations -------------------------------------------------------

    def record_violation(
        self, violation_id: str, kind: str, condition: str, occurred_on: date, supervised: bool, by: Provenance
    ) -> None:
        """A violation of a condition of supervision; refused for someone not under supervision."""
        content = {"kind": kind, "condition": condition, "occurred_on": occurred_on}
        if self._repeat(self.violations.get(violation_id), content, "violation_id"):
            return
        if not supervised:
            raise ViolationRefusedError("violation refused: the person is not under supervision")
        self.record(self.ViolationRecorded, by, start_of_day(occurred_on), person_id=self.person_id,
                    violation_id=violation_id, **content)  # fmt: skip

    class ViolationRecorded(PathwayAggregate.Event):
        person_id: UUID
        violation_id: str
        kind: str
        condition: str
        occurred_on: date

        def apply(self, compliance: Compliance) -> None:
            compliance.violations[self.violation_id] = {
                "kind": self.kind,
                "condition": self.condition,
                "occurred_on": self.occurred_on,
            }

    # --- the hearing and the alternatives, before any revocation (Tokyo 14) ---

    def record_hearing(self, violation_id: str, heard_on: date, heard_by: str, by: Provenance) -> None:
        content = {"heard_on": heard_on, "heard_by": heard_by}
        self.check_violation(violation_id)
        if self._repeat(self.hearings.get(violation_id), content, "violation_id: the hearing"):
            return
        self.record(self.PersonHeard, by, start_of_day(heard_on), person_id=self.person_id,
                    violation_id=violation_id, **content)  # fmt: skip

    class PersonHeard(PathwayAggregate.Event):
        """The person was heard on the violation, by whom (a named body or officer)."""

        person_id: UUID
        violation_id: str
        heard_on: date
        heard_by: str

        def apply(self, compliance: Compliance) -> None:
            compliance.hearings[self.violation_id] = {"heard_on": self.heard_on, "heard_by": self.heard_by}

    def record_alternatives(
        self, violation_id: str, considered_on: date, alternatives: list[str], reason: str | None, by: Provenance
    ) -> None:
        content = {"considered_on": considered_on, "alternatives": sorted(set(alternatives)), "reason": reason}
        self.check_violation(violation_id)
        if self._repeat(self.alternatives.get(violation_id), content, "violation_id: the alternatives"):
            return
        self.record(self.AlternativesConsidered, by, start_of_day(considered_on), person_id=self.person_id,
                    violation_id=violation_id, considered_on=considered_on, alternatives=content["alternatives"],
                    sensitive={"reason": reason})  # fmt: skip

    class AlternativesConsidered(PathwayAggregate.Event):
        """Non-custodial responses weighed before a revocation; `sensitive` keeps the reasoning."""

        person_id: UUID
        violation_id: str
        considered_on: date
        alternatives: list[str]
        sensitive: dict[str, Any]

        def apply(self, compliance: Compliance) -> None:
            compliance.alternatives[self.violation_id] = {
                "considered_on": self.considered_on,
                "alternatives": list(self.alternatives),
                "reason": self.sensitive.get("reason"),
            }

    # --- responses --------------------------------------------------------

    def check_revocation_grounds(self, violation_id: str, decided_on: date) -> None:
        """Tokyo 14: no revocation unless the person was heard and alternatives were considered, first."""
        hearing, alternatives = self.hearings.get(violation_id), self.alternatives.get(violation_id)
        if hearing is None or hearing["heard_on"] > decided_on:
            raise RevocationRefusedError("revocation refused: the person has not been heard on the violation")
        if alternatives is None or alternatives["considered_on"] > decided_on:
            raise RevocationRefusedError(
                "revocation refused: non-custodial alternatives have not been considered and recorded"
            )

    def decide_response(
        self, violation_id: str, response: str, decided_on: date, decided_by: str, by: Provenance
    ) -> None:
        content = {"response": response, "decided_on": decided_on, "decided_by": decided_by}
        self.check_violation(violation_id)
        if self._repeat(self.responses.get(violation_id), content, "violation_id: the response"):
            return
        if response in CUSTODIAL_RESPONSES:
            self.check_revocation_grounds(violation_id, decided_on)
        self.record(self.ResponseDecided, by, start_of_day(decided_on), person_id=self.person_id,
                    violation_id=violation_id, **content)  # fmt: skip

    class ResponseDecided(PathwayAggregate.Event):
        person_id: UUID
        violation_id: str
        response: str
        decided_on: date
        decided_by: str

        def apply(self, compliance: Compliance) -> None:
            compliance.responses[self.violation_id] = {
                "response": self.response,
                "decided_on": self.decided_on,
                "decided_by": self.decided_by,
            }

    # --- recalls ----------------------------------------------------------

    def decide_recall(
        self, recall_id: str, violation_id: str, decided_on: date, issuing_authority: str, by: Provenance
    ) -> None:
        content = {"violation_id": violation_id, "decided_on": decided_on, "issuing_authority": issuing_authority}
        known: Mapping[str, Any] | None = self.recalls.get(recall_id)
        if self._repeat(None if known is None else {k: known[k] for k in content}, content, "recall_id"):
            return
        self.check_violation(violation_id)
        decided = self.responses.get(violation_id)
        if decided is None or decided["response"] not in CUSTODIAL_RESPONSES:
            raise RecallRefusedError("recall refused: no revocation has been decided for the violation")
        self.record(self.RecallDecided, by, start_of_day(decided_on), person_id=self.person_id,
                    recall_id=recall_id, **content)  # fmt: skip

    class RecallDecided(PathwayAggregate.Event):
        person_id: UUID
        recall_id: str
        violation_id: str
        decided_on: date
        issuing_authority: str

        def apply(self, compliance: Compliance) -> None:
            compliance.recalls[self.recall_id] = {
                "violation_id": self.violation_id,
                "decided_on": self.decided_on,
                "issuing_authority": self.issuing_authority,
                "executed": None,
            }

    def execute_recall(
        self, recall_id: str, facility: str, executed_at: datetime, in_custody: bool, by: Provenance
    ) -> None:
        recall = self.recalls.get(recall_id)
        if recall is None:
            raise RecallNotDecidedError("recall_id: no such recall has been decided for this person")
        executed = recall["executed"]
        if executed is not None:
            if executed != {"facility": facility, "executed_at": executed_at}:
                raise ViolationConflictError("recall_id: this recall was already executed otherwise")
            return
        if in_custody:
            raise RecallRefusedError("recall refused: the person is already in custody")
        self.record(self.RecallExecuted, by, executed_at, person_id=self.person_id, recall_id=recall_id,
                    facility=facility, executed_at=executed_at,
                    issuing_authority=recall["issuing_authority"])  # fmt: skip

    class RecallExecuted(PathwayAggregate.Event):
        """The person is taken back into custody at `facility`; intake records the recall admission."""

        person_id: UUID
        recall_id: str
        facility: str
        executed_at: datetime
        issuing_authority: str

        def apply(self, compliance: Compliance) -> None:
            compliance.recalls[self.recall_id]["executed"] = {
                "facility": self.facility,
                "executed_at": self.executed_at,
            }

    # --- rules every record follows ---------------------------------------

    def check_violation(self, violation_id: str) -> None:
        if violation_id not in self.violations:
            raise ViolationNotFoundError("violation_id: no such violation is recorded for this person")

    @staticmethod
    def _repeat(known: Mapping[str, Any] | None, content: dict[str, Any], field: str) -> bool:
        """True if this exact fact is already recorded; a conflict if recorded with other content."""
        if known is None:
            return False
        if known != content:
            raise ViolationConflictError(f"{field}: already recorded with other content")
        return True
