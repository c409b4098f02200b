"""Release's private events -> public contracts. Events not listed stay private."""

from __future__ import annotations

from typing import Any

from services.release.domain.case import ReleaseCase
from services.release.domain.compliance import Compliance
from services.release.domain.resettlement import SENSITIVE_PATHWAYS, Resettlement
from services.release.domain.supervision import SupervisionFile
from shared.contracts import compliance as contracts
from shared.contracts import events as public
from shared.contracts import resettlement as resettlement_contracts
from shared.contracts import source_codes
from shared.contracts import supervision as supervision_contracts
from shared.contracts.base import PublicEvent
from shared.messaging.translation import Translation, person_translator, public_from, source_codes_translator

_by_fields = person_translator(
    {
        ReleaseCase.Released: public.PersonReleased,
        ReleaseCase.ReleaseRecordedInError: public.ReleaseRecordedInError,
        ReleaseCase.SupervisionStarted: public.SupervisionStarted,
        ReleaseCase.SupervisionCompleted: public.SupervisionCompleted,
        ReleaseCase.OutcomeRecorded: public.OutcomeRecorded,
        ReleaseCase.OutcomeWithConvictionRecorded: public.OutcomeRecorded,
        ReleaseCase.OutcomeForFollowUpRecorded: public.OutcomeRecorded,
        ReleaseCase.AchievementRecorded: public.AchievementRecorded,
    }
)

_source_codes = source_codes_translator(source_codes.ReleaseSourceCodesNoted)


_compliance: dict[type[Any], type[PublicEvent]] = {
    Compliance.ViolationRecorded: contracts.ViolationRecorded,
    Compliance.PersonHeard: contracts.PersonHeard,
    Compliance.AlternativesConsidered: contracts.AlternativesConsidered,
    Compliance.ResponseDecided: contracts.ResponseDecided,
    Compliance.RecallDecided: contracts.RecallDecided,
    Compliance.RecallExecuted: public.RecallExecuted,
}


_supervision: dict[type[Any], type[PublicEvent]] = {
    SupervisionFile.OfficerAssigned: supervision_contracts.OfficerAssigned,
    SupervisionFile.ConditionsSet: supervision_contracts.ConditionsSet,
    SupervisionFile.RequirementImposed: supervision_contracts.RequirementImposed,
    SupervisionFile.UnpaidWorkRecorded: supervision_contracts.UnpaidWorkRecorded,
    SupervisionFile.ConditionsExplained: supervision_contracts.ConditionsExplained,
    SupervisionFile.ConsentRecorded: supervision_contracts.ConsentRecorded,
    SupervisionFile.ContactRecorded: supervision_contracts.ContactRecorded,
    SupervisionFile.MeasureModified: supervision_contracts.MeasureModified,
    SupervisionFile.SupervisionEnded: supervision_contracts.SupervisionEnded,
    SupervisionFile.LevelReviewed: supervision_contracts.SupervisionLevelReviewed,
    SupervisionFile.RequirementCompleted: supervision_contracts.RequirementCompleted,
}


def translate_person_record(event: Any) -> Translation | None:
    """Compliance and supervision events name the person in a field (their aggregates are the person's records).

    What a stored event keeps under `sensitive` is withheld; `sensitive_fields` names it.
    """
    model = _compliance.get(type(event)) or _supervision.get(type(event))
    if model is None:
        return None
    extra: dict[str, Any] = {}
    if "sensitive_fields" in model.model_fields:
        extra["sensitive_fields"] = sorted(k for k, v in event.sensitive.items() if v not in (None, ""))
    return Translation(public_from(model, event, **extra), event.person_id)


_resettlement: dict[type[Any], type[PublicEvent]] = {
    Resettlement.ActionCompleted: resettlement_contracts.ResettlementActionCompleted,
    Resettlement.AccommodationSecured: resettlement_contracts.AccommodationSecured,
    Resettlement.PlanApproved: resettlement_contracts.ReleasePlanApproved,
    Resettlement.DischargeRecorded: resettlement_contracts.DischargeRecorded,
}


def translate_resettlement(event: Any) -> Translation | None:
    if isinstance(event, Resettlement.Assessed):
        withheld = [f"pathways.{name}" for name in SENSITIVE_PATHWAYS if name in event.sensitive.get("pathways", {})]
        assessed = public_from(resettlement_contracts.ResettlementAssessed, event, sensitive_fields=withheld)
        return Translation(assessed, event.person_id)
    model = _resettlement.get(type(event))
    return None if model is None else Translation(public_from(model, event), event.person_id)


def translate(event: Any) -> Translation | None:
    if (codes := _source_codes(event)) is not None:
        return codes
    if isinstance(event, Resettlement.Event):
        return translate_resettlement(event)
    if isinstance(event, Compliance.Event | SupervisionFile.Event):
        return translate_person_record(event)
    if isinstance(event, ReleaseCase.ReleaseDatesCalculated):
        person_id = event.originator_id
        calculated = public_from(public.ReleaseDatesCalculated, event, person_id=person_id, **event.dates)
        return Translation(calculated, person_id)
    return _by_fields(event)
