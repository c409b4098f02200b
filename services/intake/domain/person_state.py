"""What the Person's behaviour mixins may rely on: the Person's state, its event classes, `record`.

The mixins (identity, legal status, custody, placement) hold behaviour only. The event classes
stay nested in `person.Person`, where their stored topics were pinned, so the mixins reach them
through `self`. These declarations exist for the type checker alone: at run time the Person
itself provides every one of them.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

if TYPE_CHECKING:
    from shared.domain import Provenance


class PersonState:
    if TYPE_CHECKING:
        id: UUID
        national_id: dict[str, str]
        given_name: str
        family_name: str
        date_of_birth: date
        sex: str
        decisions: dict[str, dict[str, Any]]
        adjustments: dict[str, dict[str, Any]]
        unused_commitments: list[str]
        custody: dict[str, Any] | None
        admissions: list[dict[str, Any]]
        transfers: dict[str, dict[str, Any]]
        erroneous_admissions: list[dict[str, Any]]
        possible_matches: list[UUID]
        admitted_commitments: dict[str, list[str]]
        legal_status: str | None
        placement: dict[str, str] | None
        ended_custody: dict[str, Any] | None
        reviews: dict[str, dict[str, Any]]
        absences: dict[str, dict[str, Any]]
        absent: str | None
        non_associations: dict[str, dict[str, Any]]

        CourtDecisionRecorded: type[Any]
        SentenceAdjustmentRecorded: type[Any]
        Admitted: type[Any]
        AdmissionRecorded: type[Any]
        AdmissionRecordedInError: type[Any]
        IdentifierAdded: type[Any]
        PossibleMatchRecorded: type[Any]
        MergeRecorded: type[Any]
        UnmergeRecorded: type[Any]
        CustodyEnded: type[Any]
        CustodyRestored: type[Any]
        Transferred: type[Any]
        TemporaryAbsenceStarted: type[Any]
        TemporaryAbsenceEnded: type[Any]
        NonAssociationRecorded: type[Any]
        LegalStatusChanged: type[Any]
        Placed: type[Any]
        PlacementEnded: type[Any]
        PretrialDetentionReviewed: type[Any]

        def record(self, event_class: type[Any], by: Provenance, occurred_at: datetime, **data: Any) -> None: ...
