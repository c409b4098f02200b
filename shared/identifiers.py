"""How every service finds a person from an identifier an agency knows.

Intake records one of these when it registers a person; the other services
record their own from intake's public events. Nobody recomputes a person id
from an identifier: the id is looked up, so later identifiers and merges work.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID, uuid5

from shared.domain import PathwayAggregate, Provenance

IDENTIFIER_NAMESPACE = UUID("3d5e7a2c-8f41-5b6a-a0d9-47c1e2b3f6a8")


class KnownIdentifier(PathwayAggregate):
    """One external identifier, pointing at the person it identifies."""

    class Learned(PathwayAggregate.Created):
        kind: str
        issuer: str
        value: str
        person_id: UUID

    def __init__(self, kind: str, issuer: str, value: str, person_id: UUID, **provenance: object) -> None:
        self.kind = kind
        self.issuer = issuer
        self.value = value
        self.person_id = person_id

    @staticmethod
    def id_for(kind: str, issuer: str, value: str) -> UUID:
        return uuid5(IDENTIFIER_NAMESPACE, f"{kind}:{issuer}:{value}")

    @classmethod
    def learn(
        cls, kind: str, issuer: str, value: str, person_id: UUID, by: Provenance, occurred_at: datetime
    ) -> KnownIdentifier:
        return cls._create(
            cls.Learned,
            id=cls.id_for(kind, issuer, value),
            kind=kind,
            issuer=issuer,
            value=value,
            person_id=person_id,
            occurred_at=occurred_at,
            **by.fields(),
        )
