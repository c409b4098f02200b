"""Intake's private events -> public contracts: identifiers only, no names, no birth dates, no offence.

Classification events publish levels, dates and decisions only. What the stored events keep under `sensitive` and
`restricted` is withheld; the payload names the withheld fields (as the command names them): `sensitive_fields`
all of them, `restricted_fields` those of the higher grade (the extremism rating). A consumer and the replay see
that intake holds more, without seeing it.
"""

from __future__ import annotations

from typing import Any

from services.intake.domain.classification import Classification
from services.intake.domain.facility import Facility
from services.intake.domain.person import Person
from shared.contracts import events as public
from shared.contracts import source_codes
from shared.messaging.translation import Translation, person_translator, public_from, source_codes_translator

_by_fields = person_translator(
    {
        Person.Registered: public.PersonRegistered,
        Person.Admitted: public.PersonAdmitted,
        Person.SentenceAdjustmentRecorded: public.SentenceAdjustmentRecorded,
        Person.Transferred: public.PersonTransferred,
        Person.TemporaryAbsenceStarted: public.TemporaryAbsenceStarted,
        Person.TemporaryAbsenceEnded: public.TemporaryAbsenceEnded,
        Person.AdmissionRecordedInError: public.AdmissionRecordedInError,
        Person.PossibleMatchRecorded: public.PossibleMatchRecorded,
        Person.IdentifierAdded: public.IdentifierAdded,
        Person.MergeRecorded: public.PersonsMerged,
        Person.UnmergeRecorded: public.PersonsUnmerged,
        Person.CaseRestricted: public.CaseRestricted,
        Person.CaseRestrictionLifted: public.CaseRestrictionLifted,
        Person.LegalStatusChanged: public.LegalStatusChanged,
        Person.Placed: public.PersonPlaced,
        Person.PlacementEnded: public.PlacementEnded,
        Person.PretrialDetentionReviewed: public.PretrialDetentionReviewed,
    }
)

_source_codes = source_codes_translator(source_codes.IntakeSourceCodesNoted)


def withheld(part: dict[str, Any], prefix: str = "") -> list[str]:
    """The names of the fields a sensitive or restricted part holds a value for, as dotted paths."""
    names: list[str] = []
    for name, value in part.items():
        if isinstance(value, dict):
            names += withheld(value, f"{prefix}{name}.")
        elif value not in (None, "", []) and name != "level_from_ratings":  # derived from the ratings
            names.append(f"{prefix}{name}")
    return sorted(names)


def translate_classification(event: Any) -> Translation | None:
    """The public contract of a classification event, or None for bookkeeping and other events."""
    if isinstance(event, Classification.Proposed):
        proposed = public_from(
            public.ClassificationProposed,
            event,
            sensitive_fields=sorted(withheld(event.sensitive) + withheld(event.restricted)),
            restricted_fields=withheld(event.restricted),
        )
        return Translation(proposed, event.person_id)
    if isinstance(event, Classification.Decided):
        decided = public_from(public.ClassificationDecided, event, sensitive_fields=withheld(event.sensitive))
        return Translation(decided, event.person_id)
    return None


def translate(event: Any) -> Translation | None:
    if (codes := _source_codes(event)) is not None:
        return codes
    if isinstance(event, Person.AdmissionRecorded):
        person_id = event.originator_id
        recorded = public_from(
            public.AdmissionRecorded,
            event,
            person_id=person_id,
            **event.open,
            sensitive_fields=sorted(event.sensitive),
            withheld_fields=sorted(event.personal),
        )
        return Translation(recorded, person_id)
    if isinstance(event, Classification.Event):
        return translate_classification(event)  # sensitive and restricted parts withheld
    if isinstance(event, Facility.Declared | Facility.Redeclared):
        return Translation(public_from(public.FacilityDeclared, event), None)
    if isinstance(event, Person.CourtDecisionRecorded):
        person_id = event.originator_id
        recorded = public_from(public.CourtDecisionRecorded, event, person_id=person_id, **event.decision)
        return Translation(recorded, person_id)
    return _by_fields(event)
