"""The one envelope every public event travels in, on every transport."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID, uuid5

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError

from shared.contracts.base import PublicEvent, PublishedActor, problems_from
from shared.contracts.events import PUBLIC_EVENTS
from shared.errors import FieldProblem, InvalidInput

# Fixed forever: event ids are uuid5(source:aggregate:version) in this namespace,
# so a re-publish after a crash carries the same id.
EVENT_NAMESPACE = UUID("0b8f2f64-51a1-5b0c-8f3e-6d7c2a9e4b15")


def event_id_for(source: str, aggregate_id: UUID, aggregate_version: int) -> UUID:
    return uuid5(EVENT_NAMESPACE, f"{source}:{aggregate_id}:{aggregate_version}")


# Positions are stored as PostgreSQL bigints: a larger one must be refused here, not by the database later.
Position = Annotated[int, Field(ge=1, le=2**63 - 1)]
ShortText = Annotated[str, Field(min_length=1, max_length=200)]


class Envelope(BaseModel):
    model_config = ConfigDict(frozen=True, hide_input_in_errors=True, extra="ignore")

    event_id: UUID
    type: ShortText
    version: Annotated[int, Field(ge=1, le=1000)]
    occurred_at: AwareDatetime
    recorded_at: AwareDatetime
    source: Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]{0,62}$")]
    subject: UUID | None
    aggregate_id: UUID
    aggregate_version: Position
    notification_id: Position
    correlation_id: ShortText
    causation_id: ShortText | None
    actor: PublishedActor
    payload: dict[str, Any]

    def to_bytes(self) -> bytes:
        # The bytes `model_dump_json()` decodes to a str, taken as they are: the relay serialises every event it
        # publishes, and the wrapper and the round trip through str were a quarter of that.
        return self.__pydantic_serializer__.to_json(self)

    @classmethod
    def from_bytes(cls, body: bytes) -> Envelope:
        try:
            return cls.model_validate_json(body)
        except ValidationError as error:
            raise InvalidInput(problems_from(error)) from None

    def event(self) -> PublicEvent:
        """The payload as its contract, refusing an unknown type or a bad payload."""
        model = PUBLIC_EVENTS.get(self.type)
        if model is None:
            raise InvalidInput([FieldProblem("type", "unknown public event type")])
        if self.version != model.version:
            raise InvalidInput([FieldProblem("version", f"unsupported version of {self.type}")])
        try:
            return model.model_validate(self.payload)
        except ValidationError as error:
            problems = problems_from(error)
            raise InvalidInput([FieldProblem(f"payload.{p.field}", p.problem) for p in problems]) from None
