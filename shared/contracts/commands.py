"""Inbound commands, per service. Names and fields are public: add, never rename."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import AwareDatetime, model_validator

from shared.contracts.base import Command, Count, NationalId, PersonCommand, PositiveCount, Text
from shared.errors import FieldProblem, InvalidInput

Sex = Literal["male", "female", "other", "unknown"]
DecisionKind = Literal["custodial_sentence", "non_custodial_measure", "pretrial_detention", "pretrial_alternative"]
Measure = Literal["probation", "community_service", "suspended_sentence", "house_arrest", "electronic_monitoring"]
ProgrammeKind = Literal["vocational", "education"]
Setting = Literal["custody", "community"]
ReleaseType = Literal["sentence_served", "conditional_release", "court_order"]
Employment = Literal["employed", "unemployed", "student"]
Housing = Literal["permanent", "temporary", "none"]


# --- intake ---------------------------------------------------------------


class RegisterPerson(Command):
    command = "register_person"
    national_id: NationalId
    given_name: Text
    family_name: Text
    date_of_birth: date
    sex: Sex


class RecordCourtDecision(PersonCommand):
    command = "record_court_decision"
    decision_id: Text
    decided_on: date
    court: Text
    kind: DecisionKind
    offence: Text
    sentence_days: PositiveCount | None = None
    measure: Measure | None = None
    measure_days: PositiveCount | None = None

    @model_validator(mode="after")
    def _fits_its_kind(self) -> RecordCourtDecision:
        problems = []
        if self.kind == "custodial_sentence" and self.sentence_days is None:
            problems.append(FieldProblem("sentence_days", "required for a custodial sentence"))
        if self.kind == "non_custodial_measure" and self.measure is None:
            problems.append(FieldProblem("measure", "required for a non-custodial measure"))
        if self.kind in ("non_custodial_measure", "pretrial_alternative") and self.measure_days is None:
            problems.append(FieldProblem("measure_days", f"required for a {self.kind.replace('_', ' ')}"))
        if self.kind != "custodial_sentence" and self.sentence_days is not None:
            problems.append(FieldProblem("sentence_days", "only for a custodial sentence"))
        if problems:
            raise InvalidInput(problems)
        return self


class Admit(PersonCommand):
    command = "admit"
    facility: Text
    admitted_at: AwareDatetime


class DeclareFacility(Command):
    """A facility and its capacity; a later declaration changes the capacity from its effective date."""

    command = "declare_facility"
    facility: Text
    name: Text
    capacity: PositiveCount
    effective_on: date | None = None


# --- programmes -----------------------------------------------------------


class PublishProgramme(Command):
    command = "publish_programme"
    programme_id: Text
    title: Text
    kind: ProgrammeKind
    setting: Setting
    capacity: PositiveCount
    sessions_required: Count


class Enrol(PersonCommand):
    command = "enrol"
    programme_id: Text
    enrolled_on: date


class RecordAttendance(PersonCommand):
    command = "record_attendance"
    programme_id: Text
    session_on: date
    attended: bool


class CompleteProgramme(PersonCommand):
    command = "complete_programme"
    programme_id: Text
    completed_on: date
    certificate_no: Text


# --- release --------------------------------------------------------------


class ReleasePerson(PersonCommand):
    command = "release"
    released_on: date
    release_type: ReleaseType


class CompleteSupervision(PersonCommand):
    command = "complete_supervision"
    completed_on: date


class RecordOutcome(PersonCommand):
    command = "record_outcome"
    recorded_on: date
    employment: Employment
    housing: Housing


COMMANDS: dict[str, dict[str, type[Command]]] = {
    "intake": {c.command: c for c in (RegisterPerson, RecordCourtDecision, Admit, DeclareFacility)},
    "programmes": {c.command: c for c in (PublishProgramme, Enrol, RecordAttendance, CompleteProgramme)},
    "release": {c.command: c for c in (ReleasePerson, CompleteSupervision, RecordOutcome)},
}
