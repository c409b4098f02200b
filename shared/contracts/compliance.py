"""Release's compliance contracts: violations, responses and recalls (Tokyo Rules 14).

Commands and the public events they publish; `release.recall.executed`, which intake
consumes, stays in `events.py` where it was first published. Names and fields are
public: add, never rename.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal
from uuid import UUID

from pydantic import Field

from shared.contracts.base import PersonCommand, PublicEvent, Text
from shared.contracts.bounds import BusinessDate, BusinessMoment

ViolationKind = Literal["technical", "new_offence", "absconded", "other"]
Response = Literal["warning", "new_conditions", "extension", "revocation", "warrant", "unfounded"]
Alternative = Literal["warning", "new_conditions", "extension"]

# --- commands ---------------------------------------------------------------


class RecordViolation(PersonCommand):
    """A violation of a condition of supervision (`condition` names which)."""

    command = "record_violation"
    violation_id: Text
    kind: ViolationKind
    condition: Text
    occurred_on: BusinessDate


class RecordHearing(PersonCommand):
    """The person was heard on the violation, by a named body or officer."""

    command = "record_hearing"
    violation_id: Text
    heard_on: BusinessDate
    heard_by: Text


class RecordAlternativesConsidered(PersonCommand):
    """The non-custodial responses weighed before a revocation; the reason is sensitive (never published)."""

    command = "record_alternatives_considered"
    violation_id: Text
    considered_on: BusinessDate
    alternatives: Annotated[list[Alternative], Field(min_length=1)]
    reason: Annotated[str, Field(min_length=1, max_length=1000)] | None = None


class DecideResponse(PersonCommand):
    """The response to a violation, decided by a named body; a revocation needs a hearing and alternatives first."""

    command = "decide_response"
    violation_id: Text
    response: Response
    decided_on: BusinessDate
    decided_by: Text


class DecideRecall(PersonCommand):
    """A recall to custody, after a revocation of the violation's supervision."""

    command = "decide_recall"
    recall_id: Text
    violation_id: Text
    decided_on: BusinessDate
    issuing_authority: Text


class ExecuteRecall(PersonCommand):
    """The recall carried out: the person is taken to `facility`, where intake records the recall admission."""

    command = "execute_recall"
    recall_id: Text
    facility: Text
    executed_at: BusinessMoment


COMPLIANCE_COMMANDS = (
    RecordViolation,
    RecordHearing,
    RecordAlternativesConsidered,
    DecideResponse,
    DecideRecall,
    ExecuteRecall,
)

# --- public events ------------------------------------------------------------


class ViolationRecorded(PublicEvent):
    type = "release.violation.recorded"
    person_id: UUID
    violation_id: str
    kind: ViolationKind
    condition: str
    occurred_on: date


class PersonHeard(PublicEvent):
    type = "release.person.heard"
    person_id: UUID
    violation_id: str
    heard_on: date
    heard_by: str


class AlternativesConsidered(PublicEvent):
    """`sensitive_fields` names what release holds but does not publish (the reason)."""

    type = "release.alternatives.considered"
    person_id: UUID
    violation_id: str
    considered_on: date
    alternatives: list[Alternative]
    sensitive_fields: list[str] = []


class ResponseDecided(PublicEvent):
    type = "release.violation-response.decided"
    person_id: UUID
    violation_id: str
    response: Response
    decided_on: date
    decided_by: str


class RecallDecided(PublicEvent):
    type = "release.recall.decided"
    person_id: UUID
    recall_id: str
    violation_id: str
    decided_on: date
    issuing_authority: str


COMPLIANCE_EVENTS = (ViolationRecorded, PersonHeard, AlternativesConsidered, ResponseDecided, RecallDecided)

__all__ = [
    "COMPLIANCE_COMMANDS",
    "COMPLIANCE_EVENTS",
    "AlternativesConsidered",
    "DecideRecall",
    "DecideResponse",
    "ExecuteRecall",
    "PersonHeard",
    "RecallDecided",
    "RecordAlternativesConsidered",
    "RecordHearing",
    "RecordViolation",
    "ResponseDecided",
    "ViolationRecorded",
]
