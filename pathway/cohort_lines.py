"""The steps of the demo cohort's pathways, each written as import lines.

`CohortLines` knows how one step is recorded (who records it, which command, which fields);
`pathway.cohort` decides who takes which steps and when.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

ISSUER = "DEMO-NID"
SESSIONS_REQUIRED = 4
# Intake's classification notes needs too; programmes' own assessment is what eligibility reads.
NEEDS = ["literacy", "numeracy", "employment", "substance_misuse", "accommodation"]
LATE_EXPLANATION_DAYS = 12  # past the 7 days allowed (RELEASE_EXPLAIN_CONDITIONS_DAYS): flagged


def iso(day: date) -> str:
    return day.isoformat()


def at(day: date, hour: str) -> str:
    return f"{iso(day)}T{hour}:00+00:00"


class CohortLines:
    """Import lines for the cohort, in the order a records office would enter them."""

    def __init__(self, seed: int, prefix: str) -> None:
        self.prefix = prefix
        self.rng = random.Random(seed)  # noqa: S311 - synthetic data, not security
        self.court = {"id": "registrar-07", "role": "court_registrar", "agency": "Demo District Court"}
        self.prison = {"id": "records-12", "role": "records_officer", "agency": "Demo Prison Service"}
        self.supervisor = {"id": "governor-02", "role": "custody_supervisor", "agency": "Demo Prison Service"}
        self.teacher = {"id": "tutor-03", "role": "programme_officer", "agency": "Demo Prison Service"}
        self.probation = {"id": "officer-21", "role": "probation_officer", "agency": "Demo Probation Service"}
        self.board = {"id": "board-01", "role": "parole_board", "agency": "Demo Parole Board"}
        self.lines: list[dict[str, Any]] = []

    def add(self, service: str, command: str, actor: dict[str, str], **data: Any) -> None:
        self.lines.append({"service": service, "command": command, "data": {"actor": actor, **data}})

    def chance(self, probability: float) -> bool:
        return self.rng.random() < probability

    # --- intake -----------------------------------------------------------------

    def classify(self, nid: dict[str, str], on: date) -> None:
        """An initial classification proposed by the records office and decided by a supervisor."""
        harm = self.rng.choice(["low", "low", "medium"])
        assessment_id = f"CA-{nid['value']}-1"
        self.add(
            "intake", "propose_classification", self.prison, national_id=nid, assessment_id=assessment_id,
            kind="initial", assessed_on=iso(on), proposed_level=harm, next_review_due=iso(on + timedelta(days=182)),
            ratings={"escape": "low", "harm_to_others": harm, "violence": "low", "vulnerability": "low",
                     "extremism": "none"},
            needs=self.rng.sample(NEEDS, 2),
        )  # fmt: skip
        self.add(
            "intake", "decide_classification", self.supervisor, national_id=nid, assessment_id=assessment_id,
            decision="approved", decided_on=iso(on + timedelta(days=2)),
        )  # fmt: skip

    def court_day(self, nid: dict[str, str], day: date) -> None:
        """Out to court and back the same day: on the roll throughout, programmes suspended meanwhile."""
        absence_id = f"TA-{nid['value']}-{iso(day)}"
        self.add(
            "intake", "record_temporary_absence", self.prison, national_id=nid, absence_id=absence_id, kind="court",
            left_at=at(day, "07:30"), expected_back_on=iso(day),
        )  # fmt: skip
        self.add("intake", "record_return", self.prison, national_id=nid, absence_id=absence_id,
                 returned_at=at(day, "17:45"))  # fmt: skip

    # --- programmes -------------------------------------------------------------

    def assess_needs(self, nid: dict[str, str], on: date) -> list[str]:
        """Levels, the needs they show, and the risk of reoffending; returns the needs."""
        literacy = self.rng.choice(["entry", "level_1", "level_2_or_above"])
        readiness = self.rng.choice(["not_ready", "partly_ready", "ready"])
        needs = [
            need for need, found in (("literacy", literacy == "entry"), ("employment", readiness != "ready")) if found
        ]
        needs += [need for need in ("substance_misuse", "accommodation") if self.chance(0.25)]
        self.add(
            "programmes", "assess_needs", self.teacher, national_id=nid, assessment_id=f"NA-{nid['value']}-1",
            assessed_on=iso(on), education_level=self.rng.choice(["primary", "lower_secondary", "upper_secondary"]),
            literacy=literacy, numeracy=self.rng.choice(["entry", "level_1", "level_2_or_above"]),
            work_readiness=readiness, barriers=["dyslexia"] if literacy == "entry" and self.chance(0.5) else [],
            risk_of_reoffending=self.rng.choice(["low", "medium", "high"]), needs=needs,
        )  # fmt: skip
        return needs

    def draw_up_plan(self, nid: dict[str, str], on: date, goals: list[dict[str, str]]) -> None:
        """The individual plan from the assessment (Mandela Rule 94)."""
        self.add(
            "programmes", "draw_up_plan", self.teacher, national_id=nid, plan_id=f"IP-{nid['value']}-1",
            assessment_id=f"NA-{nid['value']}-1", drawn_up_on=iso(on), goals=goals,
        )  # fmt: skip

    def refer_and_allocate(self, nid: dict[str, str], programme_id: str, on: date, actor: dict[str, str]) -> None:
        """Referred, assessed suitable, then awaiting allocation: a free place is allocated at once."""
        referral_id = f"R-{nid['value']}-{programme_id}"
        self.add(
            "programmes", "refer", actor, national_id=nid, referral_id=referral_id, programme_id=programme_id,
            referred_on=iso(on), reason_category="sentence_plan", reason_code="needs_assessment",
        )  # fmt: skip
        for status, days, category, code in (
            ("assessed_suitable", 2, "assessment", "suitable"),
            ("awaiting_allocation", 3, "allocation", "waiting_for_place"),
        ):
            self.add(
                "programmes", "change_referral_status", actor, national_id=nid, referral_id=referral_id,
                status=status, changed_on=iso(on + timedelta(days=days)), reason_category=category, reason_code=code,
            )  # fmt: skip

    def enrol(self, nid: dict[str, str], programme_id: str, on: date, actor: dict[str, str]) -> None:
        self.add("programmes", "enrol", actor, national_id=nid, programme_id=programme_id, enrolled_on=iso(on))

    def attend(self, nid: dict[str, str], programme_id: str, start: date, completes: bool) -> date:
        """Weekly sessions; a completer attends them all (one absence excused), then is certified."""
        attended, day = 0, start
        target = SESSIONS_REQUIRED if completes else self.rng.randrange(1, SESSIONS_REQUIRED)
        while attended < target:
            day += timedelta(days=7)
            excused = completes and attended == 1 and self.chance(0.3)
            outcome = "acceptable_absence" if excused else "attended_and_complied"
            reason = {"absence_reason": "court appearance"} if excused else {}
            self.add(
                "programmes", "record_attendance", self.teacher, national_id=nid, programme_id=programme_id,
                session_on=iso(day), outcome=outcome, **reason,
            )  # fmt: skip
            attended += 0 if excused else 1
        if completes:
            day += timedelta(days=7)
            self.add(
                "programmes", "complete_programme", self.teacher, national_id=nid, programme_id=programme_id,
                completed_on=iso(day), certificate_no=f"NQF-{programme_id}-{nid['value']}",
            )  # fmt: skip
        return day

    # --- release: resettlement --------------------------------------------------

    def plan_resettlement(self, nid: dict[str, str], admitted_on: date, release_on: date, prepared: bool) -> None:
        """Planning starts from the sentence; an unprepared release is still recorded, and flagged."""
        self.add(
            "release", "assess_resettlement", self.probation, national_id=nid, assessment_id=f"RA-{nid['value']}-1",
            assessed_on=iso(admitted_on + timedelta(days=30)),
            pathways={"accommodation": "support_required", "finance_and_id": "in_progress",
                      "education_skills_work": "in_progress", "health": "support_not_required"},
        )  # fmt: skip
        if not prepared:
            return
        for action, days in (("id_document", 60), ("bank_account", 45), ("travel_money", 1)):
            self.add(
                "release", "complete_resettlement_action", self.probation, national_id=nid, action=action,
                completed_on=iso(release_on - timedelta(days=days)),
            )  # fmt: skip
        self.add(
            "release", "secure_accommodation", self.probation, national_id=nid,
            accommodation=self.rng.choice(["permanent", "temporary", "approved_premises"]),
            secured_on=iso(release_on - timedelta(days=30)),
        )  # fmt: skip
        self.add(
            "release", "approve_release_plan", self.board, national_id=nid, plan_id=f"PLAN-{nid['value']}",
            approved_on=iso(release_on - timedelta(days=14)), approved_by="Demo Release Board",
        )  # fmt: skip

    def release(self, nid: dict[str, str], on: date, release_type: str) -> None:
        self.add("release", "release", self.prison, national_id=nid, released_on=iso(on), release_type=release_type)
        self.add(
            "release", "record_discharge", self.prison, national_id=nid, released_on=iso(on), property_returned=True,
            savings_paid=True, records_copy_given=self.chance(0.9),
        )  # fmt: skip

    # --- release: supervision ---------------------------------------------------

    def supervise(self, nid: dict[str, str], start: date, officer: str, conditions: list[str]) -> None:
        """Officer, conditions explained (sometimes late: flagged), and the first month's contacts."""
        self.add("release", "assign_officer", self.probation, national_id=nid, officer_id=officer,
                 assigned_on=iso(start))  # fmt: skip
        self.add("release", "set_conditions", self.probation, national_id=nid, conditions=conditions, set_on=iso(start))
        explained = start + timedelta(days=LATE_EXPLANATION_DAYS if self.chance(0.15) else 2)
        self.add(
            "release", "explain_conditions", self.probation, national_id=nid, explained_on=iso(explained),
            orally=True, in_writing=True, explained_by=officer,
        )  # fmt: skip
        for number, days in enumerate((7, 14, 28), start=1):
            outcome = "unacceptable_absence" if number == 2 and self.chance(0.2) else "complied"
            self.add(
                "release", "record_contact", self.probation, national_id=nid, contact_id=f"CT-{nid['value']}-{number}",
                kind="appointment", contact_on=iso(start + timedelta(days=days)), outcome=outcome,
            )  # fmt: skip
        self.add(
            "release", "review_supervision_level", self.probation, national_id=nid, review_id=f"SR-{nid['value']}-1",
            reviewed_on=iso(start + timedelta(days=28)), level=self.rng.choice(["low", "medium"]),
            next_review_on=iso(start + timedelta(days=120)), reviewed_by=officer,
        )  # fmt: skip

    def unpaid_work(self, nid: dict[str, str], start: date, hours: int) -> None:
        requirement_id = f"REQ-{nid['value']}-1"
        self.add(
            "release", "impose_requirement", self.probation, national_id=nid, requirement_id=requirement_id,
            kind="unpaid_work", hours=hours, imposed_on=iso(start),
        )  # fmt: skip
        for week in range(1, hours // 10 + 1):
            self.add(
                "release", "record_unpaid_work", self.probation, national_id=nid, requirement_id=requirement_id,
                worked_on=iso(start + timedelta(days=7 * week)), hours=10,
            )  # fmt: skip
        self.add(
            "release", "complete_requirement", self.probation, national_id=nid, requirement_id=requirement_id,
            completed_on=iso(start + timedelta(days=7 * (hours // 10) + 1)),
        )  # fmt: skip

    def recall(self, nid: dict[str, str], released_on: date, facility: str) -> date:
        """A licence breached: the person heard, alternatives considered, revocation, recall. Returns its day."""
        violation_id, recall_id = f"V-{nid['value']}-1", f"RC-{nid['value']}-1"
        day = released_on + timedelta(days=40)
        self.add(
            "release", "record_violation", self.probation, national_id=nid, violation_id=violation_id,
            kind="technical", condition="residence", occurred_on=iso(day),
        )  # fmt: skip
        self.add(
            "release", "record_hearing", self.board, national_id=nid, violation_id=violation_id,
            heard_on=iso(day + timedelta(days=5)), heard_by="Demo Parole Board",
        )  # fmt: skip
        self.add(
            "release", "record_alternatives_considered", self.board, national_id=nid, violation_id=violation_id,
            considered_on=iso(day + timedelta(days=5)), alternatives=["warning", "new_conditions"],
            reason="whereabouts unknown for three weeks after two warnings",
        )  # fmt: skip
        for command, fields in (
            ("decide_response", {"response": "revocation", "decided_by": "Demo Parole Board"}),
            ("decide_recall", {"recall_id": recall_id, "issuing_authority": "Demo Parole Board"}),
        ):
            self.add(
                "release", command, self.board, national_id=nid, violation_id=violation_id,
                decided_on=iso(day + timedelta(days=6)), **fields,
            )  # fmt: skip
        recalled = day + timedelta(days=8)
        self.add(
            "release", "execute_recall", self.probation, national_id=nid, recall_id=recall_id, facility=facility,
            executed_at=at(recalled, "07:00"),
        )  # fmt: skip
        return recalled

    def follow_up(self, nid: dict[str, str], on: date, reoffended_on: date | None) -> None:
        conviction = {"new_conviction": True, "new_conviction_on": iso(reoffended_on)} if reoffended_on else {}
        self.add(
            "release", "record_outcome", self.probation, national_id=nid, recorded_on=iso(on),
            employment=self.rng.choice(["employed", "unemployed", "student"]),
            housing=self.rng.choice(["permanent", "temporary", "none"]), **conviction,
        )  # fmt: skip
