"""Each person's learning record: what they attended and achieved, across transfers, in which cohorts,
and the individual plans that led there (the programmes each names; the needs and notes behind it are
sensitive and stay out, as they stay out of public events).

Built by folding the programmes store from its first notification (as the programmes report
is), so it can always be rebuilt from scratch; the application keeps it between queries, caught up with
what was recorded since.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from services.programmes.domain.learner import Learner
from services.programmes.domain.programme import Programme
from shared.eventstore.readmodel import Fold


@dataclass
class Participation:
    """One enrolment in a programme, from its start to its end (if it has ended)."""

    programme_id: str
    title: str | None
    kind: str | None
    setting: str
    enrolled_on: str
    status: str = "on_programme"  # on_programme, suspended, ended
    sessions: dict[str, str] = field(default_factory=dict)  # session day -> outcome
    attended: dict[str, bool] = field(default_factory=dict)  # session day -> attended
    suspensions: list[dict[str, str]] = field(default_factory=list)
    cohorts: list[dict[str, str]] = field(default_factory=list)  # {cohort_id, joined_on}
    ended_on: str | None = None
    outcome: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "programme_id": self.programme_id,
            "title": self.title,
            "kind": self.kind,
            "setting": self.setting,
            "enrolled_on": self.enrolled_on,
            "status": self.status,
            "sessions_recorded": len(self.attended),
            "sessions_attended": sum(1 for attended in self.attended.values() if attended),
            "sessions": [
                {"session_on": day, "outcome": self.sessions[day], "attended": self.attended[day]}
                for day in sorted(self.attended)
            ],
            "suspensions": list(self.suspensions),
            "cohorts": list(self.cohorts),
            "ended_on": self.ended_on,
            "outcome": self.outcome,
        }


@dataclass
class LearningRecord:
    person_id: UUID
    participations: list[Participation] = field(default_factory=list)
    certificates: list[dict[str, str]] = field(default_factory=list)
    plans: list[dict[str, Any]] = field(default_factory=list)  # {plan_id, drawn_up_on, goals, programme_ids}

    def current(self, programme_id: str) -> Participation | None:
        """The latest participation in this programme."""
        return next((p for p in reversed(self.participations) if p.programme_id == programme_id), None)

    def as_dict(self) -> dict[str, Any]:
        ended = [p for p in self.participations if p.status == "ended"]
        return {
            "person_id": str(self.person_id),
            "participations": [p.as_dict() for p in self.participations],
            "certificates": list(self.certificates),
            "plans": list(self.plans),
            "completed": sum(1 for p in ended if p.outcome in ("completed", "completed_with_discretion")),
            "sessions_attended": sum(sum(1 for a in p.attended.values() if a) for p in self.participations),
        }


class LearningRecords(Fold):
    """Every person's learning record, keyed by their learner aggregate."""

    def __init__(self) -> None:
        self.records: dict[UUID, LearningRecord] = {}
        self.catalogue: dict[str, tuple[str | None, str | None]] = {}  # programme id -> (title, kind)

    def apply(self, event: Any) -> None:
        if isinstance(event, Programme.Published | Programme.Catalogued):
            self.catalogue[event.programme_id] = (event.title, event.kind)
        elif isinstance(event, Programme.Revised) and {"title", "kind"} & set(event.changes):
            title, kind = self.catalogue.get(event.programme_id, (None, None))
            self.catalogue[event.programme_id] = (event.changes.get("title", title), event.changes.get("kind", kind))
        elif isinstance(event, Learner.EnrolmentStarted):
            title, kind = self.catalogue.get(event.programme_id, (None, None))
            started = Participation(event.programme_id, title, kind, event.setting, event.enrolled_on.isoformat())
            self._of(event.originator_id).participations.append(started)
        elif isinstance(event, Learner.AttendanceRecorded | Learner.SessionRecorded):
            self._session(event)
        elif isinstance(event, Learner.EnrolmentSuspended | Learner.EnrolmentResumed):
            self._suspension(event)
        elif isinstance(event, Learner.ParticipationEnded):
            participation = self._of(event.originator_id).current(event.programme_id)
            if participation is not None:
                participation.status = "ended"
                participation.ended_on, participation.outcome = event.ended_on.isoformat(), event.outcome
        elif isinstance(event, Learner.CohortJoined):
            participation = self._of(event.originator_id).current(event.programme_id)
            if participation is not None:
                participation.cohorts.append({"cohort_id": event.cohort_id, "joined_on": event.joined_on.isoformat()})
        elif isinstance(event, Learner.PlanDrawnUp):
            self._of(event.originator_id).plans.append(
                {
                    "plan_id": event.plan_id,
                    "drawn_up_on": event.drawn_up_on.isoformat(),
                    "goals": len(event.goals),
                    "programme_ids": [goal["programme_id"] for goal in event.goals if goal.get("programme_id")],
                }
            )
        elif isinstance(event, Learner.CertificateAwarded):
            self._of(event.originator_id).certificates.append(
                {
                    "programme_id": event.programme_id,
                    "awarding_body": event.awarding_body,
                    "certificate_no": event.certificate_no,
                    "awarded_on": event.awarded_on.isoformat(),
                }
            )

    def _session(self, event: Learner.AttendanceRecorded | Learner.SessionRecorded) -> None:
        participation = self._of(event.originator_id).current(event.programme_id)
        if participation is None:
            return
        day = event.session_on.isoformat()
        participation.attended[day] = event.attended
        default = "attended" if event.attended else "absent"
        participation.sessions[day] = getattr(event, "outcome", None) or default

    def _suspension(self, event: Learner.EnrolmentSuspended | Learner.EnrolmentResumed) -> None:
        participation = self._of(event.originator_id).current(event.programme_id)
        if participation is None:
            return
        if isinstance(event, Learner.EnrolmentSuspended):
            participation.status = "suspended"
            participation.suspensions.append({"suspended_on": event.suspended_on.isoformat(), "reason": event.reason})
        else:
            participation.status = "on_programme"
            if participation.suspensions:
                participation.suspensions[-1]["resumed_on"] = event.resumed_on.isoformat()

    def _of(self, learner_id: UUID) -> LearningRecord:
        return self.records.setdefault(learner_id, LearningRecord(learner_id))

    def record_of(self, person_id: UUID, streams: Iterable[UUID] = ()) -> LearningRecord:
        """The person's record, with those of records merged into theirs (`streams`)."""
        found = LearningRecord(person_id)
        for stream in dict.fromkeys([person_id, *streams]):
            part = self.records.get(stream)
            if part is not None:
                found.participations += part.participations
                found.certificates += part.certificates
                found.plans += part.plans
        found.participations.sort(key=lambda p: p.enrolled_on)
        found.certificates.sort(key=lambda c: c["awarded_on"])
        found.plans.sort(key=lambda plan: plan["drawn_up_on"])
        return found
