"""A person's records here, as handlers and reactions load them through the unit of work.

The release case is the person: it is opened when intake registers them, and every other record (compliance,
supervision file, resettlement) is opened on its first use, only for a person release knows.
"""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from services.release.domain.case import ReleaseCase, SupervisionTerm
from services.release.domain.compliance import Compliance
from services.release.domain.errors import NoSupervisionError, PersonNotFoundError
from services.release.domain.resettlement import Resettlement
from services.release.domain.supervision import SupervisionFile
from shared.domain import Provenance, start_of_day
from shared.eventstore.unit_of_work import UnitOfWork


def case_of(uow: UnitOfWork, person_id: UUID | None) -> ReleaseCase:
    """The person's release case; refused for a person release does not know."""
    case: ReleaseCase | None = uow.get_or_none(person_id) if person_id else None
    if case is None:
        raise PersonNotFoundError("person_id: unknown person")
    return case


def compliance_of(uow: UnitOfWork, person_id: UUID | None, by: Provenance, occurred_at: datetime) -> Compliance:
    """The person's compliance record, opened on first use.

    Looked for before the case: where a recall also ends the supervision, the compliance record's events
    come first in the one save, before the case's and the supervision file's.
    """
    known: Compliance | None = uow.get_or_none(Compliance.id_for(person_id)) if person_id else None
    case = case_of(uow, person_id)
    return known or uow.add(Compliance.open(case.id, by, occurred_at))


def supervision_file_of(
    uow: UnitOfWork, person_id: UUID | None, by: Provenance, day: date
) -> tuple[SupervisionFile, SupervisionTerm]:
    """The person's supervision file (opened on first use) and the supervision in force on `day`."""
    case = case_of(uow, person_id)
    supervision = case.supervision_on(day)
    if supervision is None:
        raise NoSupervisionError("refused: the person is not under supervision")
    file: SupervisionFile | None = uow.get_or_none(SupervisionFile.id_for(case.id))
    return file or uow.add(SupervisionFile.open(case.id, by, start_of_day(day))), supervision


def resettlement_of(uow: UnitOfWork, person_id: UUID | None, by: Provenance, day: date) -> Resettlement:
    """The person's resettlement record, opened on first use."""
    case = case_of(uow, person_id)
    record: Resettlement | None = uow.get_or_none(Resettlement.id_for(case.id))
    return record or uow.add(Resettlement.open(case.id, by, start_of_day(day)))
