"""A synthetic cohort for the demo: invented people on every kind of path, as import lines.

Seeded, so every run tells the same story. Names and identifiers are made up.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from math import ceil
from typing import Any

GIVEN = ["Amina", "Bilal", "Chen", "Dara", "Elif", "Femi", "Goran", "Hana", "Ilya", "Joao", "Kofi", "Lina"]
FAMILY = ["Okafor", "Silva", "Nowak", "Haddad", "Ivanova", "Mensah", "Kaya", "Tanaka", "Moreau", "Reyes"]
ISSUER = "DEMO-NID"

PROGRAMMES = [
    {"programme_id": "VOC-WELD", "title": "Welding level 1", "kind": "vocational", "setting": "custody"},
    {"programme_id": "EDU-LIT", "title": "Adult literacy", "kind": "education", "setting": "custody"},
    {"programme_id": "VOC-IT", "title": "Digital skills", "kind": "vocational", "setting": "custody"},
    {"programme_id": "COM-CARP", "title": "Carpentry (community)", "kind": "vocational", "setting": "community"},
    {"programme_id": "COM-NUM", "title": "Numeracy (community)", "kind": "education", "setting": "community"},
]
SESSIONS_REQUIRED = 4
# Small on purpose: the demo's occupancy report should show overcrowding, as real registers do.
FACILITIES = [("North Prison", "North Prison", 12), ("Lake Prison", "Lake Prison", 10)]


def _line(service: str, command: str, actor: dict[str, str], **data: Any) -> dict[str, Any]:
    return {"service": service, "command": command, "data": {"actor": actor, **data}}


def _iso(day: date) -> str:
    return day.isoformat()


class CohortBuilder:
    def __init__(self, seed: int, prefix: str = "D") -> None:
        self.prefix = prefix
        self.rng = random.Random(seed)  # noqa: S311 - synthetic data, not security
        self.court = {"id": "registrar-07", "role": "court_registrar", "agency": "Demo District Court"}
        self.prison = {"id": "records-12", "role": "records_officer", "agency": "Demo Prison Service"}
        self.teacher = {"id": "tutor-03", "role": "programme_officer", "agency": "Demo Prison Service"}
        self.probation = {"id": "officer-21", "role": "probation_officer", "agency": "Demo Probation Service"}
        self.lines: list[dict[str, Any]] = []

    def add(self, service: str, command: str, actor: dict[str, str], **data: Any) -> None:
        self.lines.append(_line(service, command, actor, **data))

    def register(self, number: int) -> dict[str, str]:
        national_id = {"issuer": ISSUER, "value": f"{self.prefix}{number:05d}"}
        born = date(1970, 1, 1) + timedelta(days=self.rng.randrange(0, 365 * 35))
        self.add(
            "intake",
            "register_person",
            self.prison,
            national_id=national_id,
            given_name=self.rng.choice(GIVEN),
            family_name=self.rng.choice(FAMILY),
            date_of_birth=_iso(born),
            sex=self.rng.choice(["male", "male", "female", "other"]),
        )
        return national_id

    def attend_and_maybe_complete(self, nid: dict[str, str], programme_id: str, start: date, completes: bool) -> date:
        sessions = SESSIONS_REQUIRED if completes else self.rng.randrange(1, SESSIONS_REQUIRED)
        day = start
        for _ in range(sessions):
            day += timedelta(days=7)
            self.add(
                "programmes",
                "record_attendance",
                self.teacher,
                national_id=nid,
                programme_id=programme_id,
                session_on=_iso(day),
                attended=True,
            )
        if completes:
            day += timedelta(days=7)
            self.add(
                "programmes",
                "complete_programme",
                self.teacher,
                national_id=nid,
                programme_id=programme_id,
                completed_on=_iso(day),
                certificate_no=f"NQF-{programme_id}-{nid['value']}",
            )
        return day

    def custodial(self, number: int, decided_on: date) -> None:
        nid = self.register(number)
        days = self.rng.choice([240, 365, 480, 600, 730])
        decision = f"{self.prefix}C-{number:05d}"
        self.add(
            "intake",
            "record_court_decision",
            self.court,
            national_id=nid,
            decision_id=decision,
            decided_on=_iso(decided_on),
            court="Demo District Court",
            kind="custodial_sentence",
            offence="burglary",
            sentence_days=days,
        )
        self.add(
            "intake",
            "admit",
            self.prison,
            national_id=nid,
            facility=self.rng.choice(["North Prison", "Lake Prison"]),
            admitted_at=f"{_iso(decided_on + timedelta(days=1))}T10:00:00+00:00",
        )
        programme = self.rng.choice(PROGRAMMES[:3])["programme_id"]
        self.add(
            "programmes",
            "enrol",
            self.teacher,
            national_id=nid,
            programme_id=programme,
            enrolled_on=_iso(decided_on + timedelta(days=14)),
        )
        completes = self.rng.random() < 0.6
        self.attend_and_maybe_complete(nid, programme, decided_on + timedelta(days=14), completes)
        eligible = decided_on + timedelta(days=ceil(2 * days / 3))
        end = decided_on + timedelta(days=days)
        if self.rng.random() < 0.6:
            self.add(
                "release",
                "release",
                self.probation,
                national_id=nid,
                released_on=_iso(eligible),
                release_type="conditional_release",
            )
            self.add("release", "complete_supervision", self.probation, national_id=nid, completed_on=_iso(end))
        else:
            self.add(
                "release",
                "release",
                self.prison,
                national_id=nid,
                released_on=_iso(end),
                release_type="sentence_served",
            )
        self.outcome(nid, end + timedelta(days=180))

    def non_custodial(self, number: int, decided_on: date, pretrial: bool) -> None:
        nid = self.register(number)
        days = self.rng.choice([180, 365])
        kind = "pretrial_alternative" if pretrial else "non_custodial_measure"
        measure = self.rng.choice(["probation", "community_service", "electronic_monitoring"])
        self.add(
            "intake",
            "record_court_decision",
            self.court,
            national_id=nid,
            decision_id=f"{self.prefix}C-{number:05d}",
            decided_on=_iso(decided_on),
            court="Demo District Court",
            kind=kind,
            offence="theft",
            measure=measure,
            measure_days=days,
        )
        if not pretrial:
            programme = self.rng.choice(PROGRAMMES[3:])["programme_id"]
            self.add(
                "programmes",
                "enrol",
                self.probation,
                national_id=nid,
                programme_id=programme,
                enrolled_on=_iso(decided_on + timedelta(days=10)),
            )
            self.attend_and_maybe_complete(nid, programme, decided_on + timedelta(days=10), self.rng.random() < 0.5)
        end = decided_on + timedelta(days=days)
        self.add("release", "complete_supervision", self.probation, national_id=nid, completed_on=_iso(end))
        self.outcome(nid, end + timedelta(days=180))

    def remand_then_bail(self, number: int, decided_on: date) -> None:
        nid = self.register(number)
        self.add(
            "intake",
            "record_court_decision",
            self.court,
            national_id=nid,
            decision_id=f"{self.prefix}C-{number:05d}",
            decided_on=_iso(decided_on),
            court="Demo District Court",
            kind="pretrial_detention",
            offence="assault",
            time_limit_days=90,
            review_interval_days=30,
        )
        self.add(
            "intake",
            "admit",
            self.prison,
            national_id=nid,
            facility="North Prison",
            admitted_at=f"{_iso(decided_on)}T18:30:00+00:00",
        )
        self.add(
            "release",
            "release",
            self.prison,
            national_id=nid,
            released_on=_iso(decided_on + timedelta(days=40)),
            release_type="court_order",
        )

    def outcome(self, nid: dict[str, str], on: date) -> None:
        self.add(
            "release",
            "record_outcome",
            self.probation,
            national_id=nid,
            recorded_on=_iso(on),
            employment=self.rng.choice(["employed", "unemployed", "student"]),
            housing=self.rng.choice(["permanent", "temporary", "none"]),
        )


def demo_cohort(size: int = 50, seed: int = 2025, prefix: str = "D") -> list[dict[str, Any]]:
    """Import lines for `size` people: 60% custodial, 30% non-custodial or pre-trial alternative, 10% remand.

    `prefix` starts every identifier, so several cohorts can share one system.
    """
    builder = CohortBuilder(seed, prefix)
    for facility, name, capacity in FACILITIES:
        builder.add("intake", "declare_facility", builder.prison, facility=facility, name=name, capacity=capacity)
    for programme in PROGRAMMES:
        builder.add(
            "programmes",
            "publish_programme",
            builder.teacher,
            **programme,
            capacity=max(50, size),
            sessions_required=SESSIONS_REQUIRED,
        )
    for number in range(1, size + 1):
        decided_on = date(2024, 1, 8) + timedelta(days=builder.rng.randrange(0, 365))
        share = number % 10
        if share < 6:
            builder.custodial(number, decided_on)
        elif share < 8:
            builder.non_custodial(number, decided_on, pretrial=False)
        elif share < 9:
            builder.non_custodial(number, decided_on, pretrial=True)
        else:
            builder.remand_then_bail(number, decided_on)
    return builder.lines
