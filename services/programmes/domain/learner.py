"""A person as the programmes service knows them: where they are, and what they are learning."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from services.programmes.domain.errors import (
    AlreadyEnrolledError,
    AttendanceConflictError,
    AttendanceRequirementError,
    NotEnrolledError,
    SettingMismatchError,
)
from shared.domain import PathwayAggregate, Provenance, start_of_day

RELEASED_BEFORE_COMPLETION = "released_before_completion"


class Learner(PathwayAggregate):
    """Enrolments are keyed by programme id; a programme has at most one open enrolment."""

    class Registered(PathwayAggregate.Created):
        """Learned from intake: this person exists."""

    class CustodyStarted(PathwayAggregate.Event):
        facility: str

        def apply(self, learner: Learner) -> None:
            learner.facility = self.facility

    class CustodyEnded(PathwayAggregate.Event):
        def apply(self, learner: Learner) -> None:
            learner.facility = None

    class SupervisionStarted(PathwayAggregate.Event):
        supervision_type: str

        def apply(self, learner: Learner) -> None:
            learner.supervision = self.supervision_type

    class SupervisionEnded(PathwayAggregate.Event):
        def apply(self, learner: Learner) -> None:
            learner.supervision = None

    class EnrolmentStarted(PathwayAggregate.Event):
        programme_id: str
        setting: str
        enrolled_on: date

        def apply(self, learner: Learner) -> None:
            learner.enrolments[self.programme_id] = {
                "setting": self.setting,
                "enrolled_on": self.enrolled_on,
                "sessions": {},
            }
            learner.enrolled_ever.add((self.programme_id, self.enrolled_on))

    class AttendanceRecorded(PathwayAggregate.Event):
        programme_id: str
        session_on: date
        attended: bool
        sessions_attended: int

        def apply(self, learner: Learner) -> None:
            learner.enrolments[self.programme_id]["sessions"][self.session_on.isoformat()] = self.attended
            learner.sessions_ever[(self.programme_id, self.session_on)] = self.attended

    class ProgrammeCompleted(PathwayAggregate.Event):
        programme_id: str
        kind: str
        completed_on: date
        certificate_no: str

        def apply(self, learner: Learner) -> None:
            del learner.enrolments[self.programme_id]
            learner.completed[self.programme_id] = {
                "completed_on": self.completed_on,
                "certificate_no": self.certificate_no,
            }

    class EnrolmentWithdrawn(PathwayAggregate.Event):
        programme_id: str
        withdrawn_on: date
        reason: str

        def apply(self, learner: Learner) -> None:
            del learner.enrolments[self.programme_id]

    def __init__(self, **_: Any) -> None:
        self.facility: str | None = None
        self.supervision: str | None = None
        self.enrolments: dict[str, dict[str, Any]] = {}
        self.completed: dict[str, dict[str, Any]] = {}
        # Every fact ever recorded, so a repeated command is recognised after the state moved on.
        self.enrolled_ever: set[tuple[str, date]] = set()
        self.sessions_ever: dict[tuple[str, date], bool] = {}

    @classmethod
    def register(cls, person_id: UUID, by: Provenance, occurred_at: datetime) -> Learner:
        return cls._create(cls.Registered, id=person_id, occurred_at=occurred_at, **by.fields())

    # --- where the person is (learned from intake and release) -----------

    def custody_started(self, facility: str, by: Provenance, occurred_at: datetime) -> None:
        self.record(self.CustodyStarted, by, occurred_at, facility=facility)

    def custody_ended(self, released_on: date, by: Provenance, occurred_at: datetime) -> list[str]:
        """Leave custody; custody enrolments end as released before completion. Returns their programmes."""
        withdrawn = [pid for pid, e in self.enrolments.items() if e["setting"] == "custody"]
        for programme_id in withdrawn:
            self.record(
                self.EnrolmentWithdrawn,
                by,
                occurred_at,
                programme_id=programme_id,
                withdrawn_on=released_on,
                reason=RELEASED_BEFORE_COMPLETION,
            )
        if self.facility is not None:
            self.record(self.CustodyEnded, by, occurred_at)
        return withdrawn

    def custody_cancelled(self, by: Provenance, occurred_at: datetime) -> None:
        """An admission recorded in error: the person was never in custody here."""
        if self.facility is not None:
            self.record(self.CustodyEnded, by, occurred_at)

    def supervision_started(self, supervision_type: str, by: Provenance, occurred_at: datetime) -> None:
        self.record(self.SupervisionStarted, by, occurred_at, supervision_type=supervision_type)

    def supervision_ended(self, by: Provenance, occurred_at: datetime) -> None:
        if self.supervision is not None:
            self.record(self.SupervisionEnded, by, occurred_at)

    # --- learning ---------------------------------------------------------

    def check_setting_allows(self, setting: str) -> None:
        if setting == "custody" and self.facility is None:
            raise SettingMismatchError("enrolment refused: a custody programme needs the person to be in custody")
        if setting == "community" and self.supervision is None:
            raise SettingMismatchError(
                "enrolment refused: a community programme needs the person to be under supervision"
            )

    def enrol(self, programme_id: str, setting: str, enrolled_on: date, by: Provenance) -> bool:
        """Start an enrolment; False if this very enrolment is already recorded."""
        if (programme_id, enrolled_on) in self.enrolled_ever:
            return False
        if programme_id in self.enrolments:
            raise AlreadyEnrolledError("enrolment refused: the person is already enrolled in this programme")
        self.check_setting_allows(setting)
        self.record(
            self.EnrolmentStarted,
            by,
            start_of_day(enrolled_on),
            programme_id=programme_id,
            setting=setting,
            enrolled_on=enrolled_on,
        )
        return True

    def enrolment(self, programme_id: str) -> dict[str, Any]:
        enrolment = self.enrolments.get(programme_id)
        if enrolment is None:
            raise NotEnrolledError("the person is not enrolled in this programme")
        return enrolment

    def record_attendance(self, programme_id: str, session_on: date, attended: bool, by: Provenance) -> None:
        known = self.sessions_ever.get((programme_id, session_on))
        if known is not None:
            if known != attended:
                raise AttendanceConflictError("session_on: attendance for this session is already recorded")
            return
        self.enrolment(programme_id)
        self.record(
            self.AttendanceRecorded,
            by,
            start_of_day(session_on),
            programme_id=programme_id,
            session_on=session_on,
            attended=attended,
            sessions_attended=self.sessions_attended(programme_id) + (1 if attended else 0),
        )

    def sessions_attended(self, programme_id: str) -> int:
        """Sessions attended in the current enrolment (or, with none open, ever in this programme)."""
        current = self.enrolments.get(programme_id)
        if current is not None:
            return sum(1 for attended in current["sessions"].values() if attended)
        return sum(1 for (pid, _), attended in self.sessions_ever.items() if pid == programme_id and attended)

    def complete(
        self,
        programme_id: str,
        kind: str,
        sessions_required: int,
        completed_on: date,
        certificate_no: str,
        by: Provenance,
    ) -> bool:
        """Complete a programme; False if this completion is already recorded."""
        this_completion = {"completed_on": completed_on, "certificate_no": certificate_no}
        if programme_id not in self.enrolments and self.completed.get(programme_id) == this_completion:
            return False  # this completion is already recorded
        self.enrolment(programme_id)
        attended = self.sessions_attended(programme_id)
        if attended < sessions_required:
            raise AttendanceRequirementError(
                f"completion refused: {attended} of {sessions_required} required sessions attended"
            )
        self.record(
            self.ProgrammeCompleted,
            by,
            start_of_day(completed_on),
            programme_id=programme_id,
            kind=kind,
            completed_on=completed_on,
            certificate_no=certificate_no,
        )
        return True
