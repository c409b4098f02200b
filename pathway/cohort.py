"""A synthetic cohort for the demo: invented people on every kind of path, as import lines.

Seeded, so every run tells the same story. Names and identifiers are made up. The paths use what
a real office records: classification, needs assessment, referrals, attendance outcomes and
certificates; resettlement planning (sometimes missing, and flagged); supervision with its
conditions explained, contacts and reviews; unpaid work; a licence breached and a recall; and
follow-ups, some recording a new conviction.
"""

from __future__ import annotations

from datetime import date, timedelta
from math import ceil
from typing import Any

from pathway.cohort_lines import ISSUER, SESSIONS_REQUIRED, CohortLines, at, iso

__all__ = ["ISSUER", "PROGRAMMES", "demo_cohort"]

GIVEN = ["Amina", "Bilal", "Chen", "Dara", "Elif", "Femi", "Goran", "Hana", "Ilya", "Joao", "Kofi", "Lina"]
FAMILY = ["Okafor", "Silva", "Nowak", "Haddad", "Ivanova", "Mensah", "Kaya", "Tanaka", "Moreau", "Reyes"]
AWARDING_BODY = "Demo National Qualifications Authority"
OFFICERS = ["officer-21", "officer-22", "officer-23"]
PROGRAMMES: list[dict[str, Any]] = [
    {"programme_id": "VOC-WELD", "title": "Welding level 1", "kind": "vocational", "setting": "custody",
     "eligibility": {"security_levels": ["low", "medium"]}, "awarding_body": AWARDING_BODY,
     "completion_rule": {"min_attendance_rate": 0.75}, "community_version": "COM-CARP"},
    {"programme_id": "EDU-LIT", "title": "Adult literacy", "kind": "education", "setting": "custody",
     "eligibility": {"needs": ["literacy"]}, "awarding_body": AWARDING_BODY, "community_version": "COM-NUM"},
    {"programme_id": "VOC-IT", "title": "Digital skills", "kind": "vocational", "setting": "custody",
     "awarding_body": AWARDING_BODY},
    {"programme_id": "COM-CARP", "title": "Carpentry (community)", "kind": "vocational", "setting": "community",
     "awarding_body": AWARDING_BODY},
    {"programme_id": "COM-NUM", "title": "Numeracy (community)", "kind": "education", "setting": "community",
     "awarding_body": AWARDING_BODY},
]  # fmt: skip
# Places are scarce here on purpose: the programmes report shows a waiting list, as real ones do.
SCARCE = {"programme_id": "COM-WORK", "title": "Work placement (community)", "kind": "work", "setting": "community"}
SCARCE_PLACES = 3
# Small on purpose: the demo's occupancy report should show overcrowding, as real registers do.
FACILITIES = [("North Prison", "North Prison", 12), ("Lake Prison", "Lake Prison", 10)]


class CohortBuilder(CohortLines):
    def __init__(self, seed: int, prefix: str) -> None:
        super().__init__(seed, prefix)
        self.placed: list[tuple[dict[str, str], date]] = []  # who got the scarce places, and when

    def register(self, number: int) -> dict[str, str]:
        national_id = {"issuer": ISSUER, "value": f"{self.prefix}{number:05d}"}
        born = date(1970, 1, 1) + timedelta(days=self.rng.randrange(0, 365 * 35))
        self.add(
            "intake", "register_person", self.prison, national_id=national_id, given_name=self.rng.choice(GIVEN),
            family_name=self.rng.choice(FAMILY), date_of_birth=iso(born),
            sex=self.rng.choice(["male", "male", "female", "other"]),
        )  # fmt: skip
        return national_id

    def decide(self, nid: dict[str, str], decision_id: str, on: date, kind: str, **fields: Any) -> None:
        self.add(
            "intake", "record_court_decision", self.court, national_id=nid, decision_id=decision_id,
            decided_on=iso(on), court="Demo District Court", kind=kind, **fields,
        )  # fmt: skip

    def learn_in_custody(self, nid: dict[str, str], admitted_on: date) -> bool:
        """Needs assessed and a plan drawn up, then a place on a custody programme (literacy for those who need
        it): by referral or direct allocation."""
        needs = self.assess_needs(nid, admitted_on + timedelta(days=6))
        literacy = "literacy" in needs
        programme = "EDU-LIT" if literacy else self.rng.choice(["VOC-WELD", "VOC-IT"])
        goals = [{"need": "literacy" if literacy else "employment", "programme_id": programme}]
        goals += [{"need": need} for need in needs if need in ("substance_misuse", "accommodation")]
        self.draw_up_plan(nid, admitted_on + timedelta(days=8), goals)
        start = admitted_on + timedelta(days=13)
        if self.chance(0.5):
            self.refer_and_allocate(nid, programme, admitted_on + timedelta(days=10), self.teacher)
        else:
            self.enrol(nid, programme, start, self.teacher)
        if self.chance(0.2):
            self.court_day(nid, start + timedelta(days=10))  # between two sessions
        completes = self.chance(0.6)
        self.attend(nid, programme, start, completes)
        return completes

    def custodial(self, number: int, decided_on: date) -> None:
        nid = self.register(number)
        days = self.rng.choice([240, 365, 480, 600, 730])
        self.decide(nid, f"{self.prefix}C-{number:05d}", decided_on, "custodial_sentence", offence="burglary",
                    sentence_days=days)  # fmt: skip
        facility = self.rng.choice(["North Prison", "Lake Prison"])
        admitted_on = decided_on + timedelta(days=1)
        self.add("intake", "admit", self.prison, national_id=nid, facility=facility,
                 admitted_at=at(admitted_on, "10:00"))  # fmt: skip
        self.classify(nid, admitted_on + timedelta(days=2))
        completes = self.learn_in_custody(nid, admitted_on)
        eligible, end = decided_on + timedelta(days=ceil(2 * days / 3)), decided_on + timedelta(days=days)
        conditional = self.chance(0.6)
        released_on = eligible if conditional else end
        self.plan_resettlement(nid, admitted_on, released_on, prepared=self.chance(0.7))
        self.release(nid, released_on, "conditional_release" if conditional else "sentence_served")
        if conditional:
            self.supervise(nid, released_on, self.rng.choice(OFFICERS), ["residence", "report_weekly"])
            if self.chance(0.15):
                self.recall(nid, released_on, facility)
                self.release(nid, end, "sentence_served")
            else:
                self.add("release", "complete_supervision", self.probation, national_id=nid, completed_on=iso(end))
        self.reintegration(nid, number, released_on, end, completes)

    def non_custodial(self, number: int, decided_on: date, pretrial: bool) -> None:
        nid = self.register(number)
        days = self.rng.choice([180, 365])
        measure = self.rng.choice(["probation", "community_service", "electronic_monitoring"])
        kind = "pretrial_alternative" if pretrial else "non_custodial_measure"
        self.decide(nid, f"{self.prefix}C-{number:05d}", decided_on, kind, offence="theft", measure=measure,
                    measure_days=days)  # fmt: skip
        if pretrial:  # the measure precedes trial: the person's consent is recorded (Tokyo Rules 3.4)
            self.add("release", "record_consent", self.probation, national_id=nid, consented_on=iso(decided_on))
        conditions = ["curfew"] if measure == "electronic_monitoring" else ["residence"]
        self.supervise(nid, decided_on, self.rng.choice(OFFICERS), conditions)
        if measure == "community_service":
            self.unpaid_work(nid, decided_on + timedelta(days=1), hours=60)
        completes = False
        if not pretrial and number % 2 == 0:
            self.refer_and_allocate(nid, SCARCE["programme_id"], decided_on + timedelta(days=5), self.probation)
            if len(self.placed) < SCARCE_PLACES:  # free places go at once; the later referrals wait
                self.placed.append((nid, decided_on + timedelta(days=8)))
        elif not pretrial:
            programme = self.rng.choice(PROGRAMMES[3:])["programme_id"]
            start = decided_on + timedelta(days=10)
            self.enrol(nid, programme, start, self.probation)
            completes = self.chance(0.5)
            self.attend(nid, programme, start, completes)
        end = decided_on + timedelta(days=days)
        self.add("release", "complete_supervision", self.probation, national_id=nid, completed_on=iso(end))
        self.reintegration(nid, number, decided_on, end, completes)

    def remand_then_bail(self, number: int, decided_on: date) -> None:
        nid = self.register(number)
        self.decide(nid, f"{self.prefix}C-{number:05d}", decided_on, "pretrial_detention", offence="assault",
                    time_limit_days=90, review_interval_days=30)  # fmt: skip
        self.add("intake", "admit", self.prison, national_id=nid, facility="North Prison",
                 admitted_at=at(decided_on, "18:30"))  # fmt: skip
        released_on = decided_on + timedelta(days=40)
        self.add("release", "release", self.prison, national_id=nid, released_on=iso(released_on),
                 release_type="court_order")  # fmt: skip
        self.reintegration(nid, number, released_on, released_on, completed_programme=False)

    def deliver_scarce_placement(self) -> None:
        """The work placement runs as one cohort for the people placed: weekly sessions, one cancelled."""
        if not self.placed:
            return
        programme_id, cohort_id = SCARCE["programme_id"], f"{self.prefix}-WORK-1"
        starts_on = max(day for _, day in self.placed) + timedelta(days=7)
        self.add("programmes", "schedule_cohort", self.probation, programme_id=programme_id, cohort_id=cohort_id,
                 starts_on=iso(starts_on), sessions_planned=12)  # fmt: skip
        for nid, _ in self.placed:
            self.add("programmes", "assign_to_cohort", self.probation, national_id=nid, programme_id=programme_id,
                     cohort_id=cohort_id, assigned_on=iso(starts_on))  # fmt: skip
        for week in range(4):
            held = {"cancelled": True} if week == 2 else {"attendance": self.attendance(week)}
            self.add("programmes", "record_session", self.probation, programme_id=programme_id, cohort_id=cohort_id,
                     session_on=iso(starts_on + timedelta(days=7 * week)), **held)  # fmt: skip

    def attendance(self, week: int) -> list[dict[str, Any]]:
        excused = {"outcome": "acceptable_absence", "absence_reason": "job interview"}
        return [
            {"national_id": nid, **(excused if week == 1 and n == 0 else {"outcome": "attended_and_complied"})}
            for n, (nid, _) in enumerate(self.placed)
        ]

    def reintegration(
        self, nid: dict[str, str], number: int, window_start: date, ended_on: date, completed_programme: bool
    ) -> None:
        """The follow-up six months after the sentence or measure ends. Completers reoffend less often, as the
        evidence says; a conviction within the year after release (or the measure's start) is sometimes a new
        court decision recorded by intake, sometimes learned at the follow-up."""
        reoffended_on = None
        if self.chance(0.1 if completed_programme else 0.4):
            reoffended_on = window_start + timedelta(days=self.rng.randrange(30, 330))
            if reoffended_on > ended_on and self.chance(0.4):
                self.decide(nid, f"{self.prefix}C-{number:05d}-2", reoffended_on, "non_custodial_measure",
                            offence="theft", measure="probation", measure_days=180)  # fmt: skip
        follow_up_on = ended_on + timedelta(days=183)
        if reoffended_on is not None:
            follow_up_on = max(follow_up_on, reoffended_on + timedelta(days=30))
        self.follow_up(nid, follow_up_on, reoffended_on)


def demo_cohort(size: int = 50, seed: int = 2025, prefix: str = "D") -> list[dict[str, Any]]:
    """Import lines for `size` people: 60% custodial, 30% non-custodial or pre-trial alternative, 10% remand.

    `prefix` starts every identifier, so several cohorts can share one system.
    """
    builder = CohortBuilder(seed, prefix)
    for facility, name, capacity in FACILITIES:
        builder.add("intake", "declare_facility", builder.prison, facility=facility, name=name, capacity=capacity)
    for programme in PROGRAMMES:
        builder.add(
            "programmes", "publish_programme", builder.teacher, **programme, capacity=max(50, size),
            sessions_required=SESSIONS_REQUIRED,
        )  # fmt: skip
    builder.add(
        "programmes", "publish_programme", builder.probation, **SCARCE, capacity=SCARCE_PLACES, sessions_required=12
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
    builder.deliver_scarce_placement()
    return builder.lines
