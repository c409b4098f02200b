"""Canonical example commands: one builder per command, overridable field by field.

Tests say only what matters to them; everything else is a valid default.
"""

from __future__ import annotations

from typing import Any

CLERK = {"id": "clerk-1", "role": "records_officer", "agency": "Test Prison Service"}
ISSUER = "TEST-NID"


def nid(value: str = "A1") -> dict[str, str]:
    return {"issuer": ISSUER, "value": value}


def line(service: str, command: str, **data: Any) -> dict[str, Any]:
    return {"service": service, "command": command, "data": {"actor": CLERK, **data}}


def register_person(value: str = "A1", **overrides: Any) -> dict[str, Any]:
    data = {
        "national_id": nid(value),
        "given_name": "Test",
        "family_name": "Person",
        "date_of_birth": "1990-05-17",
        "sex": "female",
    }
    return line("intake", "register_person", **{**data, **overrides})


def custodial_sentence(value: str = "A1", **overrides: Any) -> dict[str, Any]:
    data = {
        "national_id": nid(value),
        "decision_id": f"D-{value}",
        "decided_on": "2025-01-10",
        "court": "Test Court",
        "kind": "custodial_sentence",
        "offence": "theft",
        "sentence_days": 600,
    }
    return line("intake", "record_court_decision", **{**data, **overrides})


def non_custodial_measure(value: str = "A1", **overrides: Any) -> dict[str, Any]:
    data = {
        "national_id": nid(value),
        "decision_id": f"D-{value}",
        "decided_on": "2025-01-10",
        "court": "Test Court",
        "kind": "non_custodial_measure",
        "offence": "theft",
        "measure": "probation",
        "measure_days": 365,
    }
    return line("intake", "record_court_decision", **{**data, **overrides})


def sentence_adjustment(value: str = "A1", **overrides: Any) -> dict[str, Any]:
    data = {
        "national_id": nid(value),
        "adjustment_id": f"ADJ-{value}",
        "decision_id": f"D-{value}",
        "kind": "remand_credit",
        "days": 30,
        "recorded_on": "2025-01-20",
    }
    return line("intake", "record_sentence_adjustment", **{**data, **overrides})


def admit(value: str = "A1", **overrides: Any) -> dict[str, Any]:
    data = {"national_id": nid(value), "facility": "Test Prison", "admitted_at": "2025-01-11T09:00:00+00:00"}
    return line("intake", "admit", **{**data, **overrides})


def publish_programme(programme_id: str = "P-WELD", **overrides: Any) -> dict[str, Any]:
    data = {
        "programme_id": programme_id,
        "title": "Welding",
        "kind": "vocational",
        "setting": "custody",
        "capacity": 10,
        "sessions_required": 2,
    }
    return line("programmes", "publish_programme", **{**data, **overrides})


def enrol(value: str = "A1", programme_id: str = "P-WELD", **overrides: Any) -> dict[str, Any]:
    data = {"national_id": nid(value), "programme_id": programme_id, "enrolled_on": "2025-02-01"}
    return line("programmes", "enrol", **{**data, **overrides})


def attend(
    value: str = "A1", session_on: str = "2025-02-08", programme_id: str = "P-WELD", **overrides: Any
) -> dict[str, Any]:
    data = {"national_id": nid(value), "programme_id": programme_id, "session_on": session_on, "attended": True}
    return line("programmes", "record_attendance", **{**data, **overrides})


def complete_programme(value: str = "A1", programme_id: str = "P-WELD", **overrides: Any) -> dict[str, Any]:
    data = {
        "national_id": nid(value),
        "programme_id": programme_id,
        "completed_on": "2025-03-01",
        "certificate_no": f"CERT-{value}",
    }
    return line("programmes", "complete_programme", **{**data, **overrides})


def refer(value: str = "A1", programme_id: str = "P-WELD", **overrides: Any) -> dict[str, Any]:
    data = {
        "national_id": nid(value),
        "referral_id": f"R-{value}-{programme_id}",
        "programme_id": programme_id,
        "referred_on": "2025-02-01",
        "reason_category": "sentence_plan",
        "reason_code": "work_readiness",
    }
    return line("programmes", "refer", **{**data, **overrides})


def change_referral_status(
    value: str = "A1", status: str = "assessed_suitable", programme_id: str = "P-WELD", **overrides: Any
) -> dict[str, Any]:
    data = {
        "national_id": nid(value),
        "referral_id": f"R-{value}-{programme_id}",
        "status": status,
        "changed_on": "2025-02-02",
        "reason_category": "assessment",
        "reason_code": status,
    }
    return line("programmes", "change_referral_status", **{**data, **overrides})


def release(value: str = "A1", **overrides: Any) -> dict[str, Any]:
    data = {"national_id": nid(value), "released_on": "2026-02-14", "release_type": "conditional_release"}
    return line("release", "release", **{**data, **overrides})


def complete_supervision(value: str = "A1", **overrides: Any) -> dict[str, Any]:
    return line(
        "release", "complete_supervision", **{"national_id": nid(value), "completed_on": "2026-09-02", **overrides}
    )


def record_outcome(value: str = "A1", **overrides: Any) -> dict[str, Any]:
    data = {"national_id": nid(value), "recorded_on": "2027-03-01", "employment": "employed", "housing": "permanent"}
    return line("release", "record_outcome", **{**data, **overrides})


def override_release_dates(value: str = "A1", **overrides: Any) -> dict[str, Any]:
    data = {
        "national_id": nid(value),
        "conditional_release_eligibility": "2026-01-31",
        "reason": "court of appeal order CA-1 reduced the custodial part",
    }
    return line("release", "override_release_dates", **{**data, **overrides})


def custodial_pathway(value: str = "A1") -> list[dict[str, Any]]:
    """Registered, sentenced, admitted, completes a programme, released conditionally, supervised, followed up."""
    return [
        register_person(value),
        custodial_sentence(value),
        admit(value),
        enrol(value),
        attend(value, "2025-02-08"),
        attend(value, "2025-02-15"),
        complete_programme(value),
        release(value),
        complete_supervision(value),
        record_outcome(value),
    ]


def non_custodial_pathway(value: str = "B1") -> list[dict[str, Any]]:
    return [
        register_person(value),
        non_custodial_measure(value),
        enrol(value, programme_id="P-COMM"),
        attend(value, "2025-02-08", programme_id="P-COMM"),
        complete_supervision(value, completed_on="2026-01-10"),
        record_outcome(value, recorded_on="2026-07-01"),
    ]


def left_early_pathway(value: str = "C1") -> list[dict[str, Any]]:
    """Enrolled in custody, released before completing: the enrolment is withdrawn."""
    return [
        register_person(value),
        custodial_sentence(value),
        admit(value),
        enrol(value),
        attend(value, "2025-02-08"),
        release(value, release_type="sentence_served", released_on="2026-09-02"),
    ]


def catalogue() -> list[dict[str, Any]]:
    return [
        publish_programme("P-WELD"),
        publish_programme("P-COMM", title="Carpentry", setting="community", sessions_required=1),
    ]


SUPERVISOR = {"id": "supervisor-1", "role": "classification_supervisor", "agency": "Test Prison Service"}


def propose_classification(value: str = "A1", **overrides: Any) -> dict[str, Any]:
    """An initial assessment by the clerk; the ratings call for medium (harm to others), as proposed."""
    data = {
        "national_id": nid(value),
        "assessment_id": f"CA-{value}-1",
        "kind": "initial",
        "assessed_on": "2025-01-20",
        "ratings": {
            "escape": "low",
            "harm_to_others": "medium",
            "violence": "low",
            "vulnerability": "high",
            "extremism": "none",
        },
        "needs": ["literacy", "substance_misuse"],
        "proposed_level": "medium",
        "next_review_due": "2025-07-20",
    }
    return line("intake", "propose_classification", **{**data, **overrides})


def decide_classification(value: str = "A1", **overrides: Any) -> dict[str, Any]:
    """Approved by a second person, the supervisor."""
    data = {
        "national_id": nid(value),
        "assessment_id": f"CA-{value}-1",
        "decision": "approved",
        "decided_on": "2025-01-22",
        "actor": SUPERVISOR,
    }
    return line("intake", "decide_classification", **{**data, **overrides})


PAROLE_BOARD = {"id": "board-1", "role": "parole_board", "agency": "Test Parole Board"}


def record_violation(value: str = "A1", **overrides: Any) -> dict[str, Any]:
    data = {
        "national_id": nid(value),
        "violation_id": f"V-{value}-1",
        "kind": "technical",
        "condition": "residence",
        "occurred_on": "2026-03-01",
    }
    return line("release", "record_violation", **{**data, **overrides})


def record_hearing(value: str = "A1", **overrides: Any) -> dict[str, Any]:
    data = {
        "national_id": nid(value),
        "violation_id": f"V-{value}-1",
        "heard_on": "2026-03-08",
        "heard_by": "Test Parole Board",
    }
    return line("release", "record_hearing", **{**data, **overrides})


def record_alternatives_considered(value: str = "A1", **overrides: Any) -> dict[str, Any]:
    data = {
        "national_id": nid(value),
        "violation_id": f"V-{value}-1",
        "considered_on": "2026-03-08",
        "alternatives": ["warning", "new_conditions"],
        "reason": "two earlier warnings had no effect",
    }
    return line("release", "record_alternatives_considered", **{**data, **overrides})


def decide_response(value: str = "A1", **overrides: Any) -> dict[str, Any]:
    data = {
        "national_id": nid(value),
        "violation_id": f"V-{value}-1",
        "response": "revocation",
        "decided_on": "2026-03-09",
        "decided_by": "Test Parole Board",
        "actor": PAROLE_BOARD,
    }
    return line("release", "decide_response", **{**data, **overrides})


def decide_recall(value: str = "A1", **overrides: Any) -> dict[str, Any]:
    data = {
        "national_id": nid(value),
        "recall_id": f"RC-{value}-1",
        "violation_id": f"V-{value}-1",
        "decided_on": "2026-03-09",
        "issuing_authority": "Test Parole Board",
        "actor": PAROLE_BOARD,
    }
    return line("release", "decide_recall", **{**data, **overrides})


def execute_recall(value: str = "A1", **overrides: Any) -> dict[str, Any]:
    data = {
        "national_id": nid(value),
        "recall_id": f"RC-{value}-1",
        "facility": "Recall Prison",
        "executed_at": "2026-03-10T07:00:00+00:00",
    }
    return line("release", "execute_recall", **{**data, **overrides})


def recall_loop(value: str = "A1") -> list[dict[str, Any]]:
    """After a conditional release: a violation, the person heard, alternatives considered, revocation, recall."""
    return [
        record_violation(value),
        record_hearing(value),
        record_alternatives_considered(value),
        decide_response(value),
        decide_recall(value),
        execute_recall(value),
    ]


def assign_officer(value: str = "B1", **overrides: Any) -> dict[str, Any]:
    data = {"national_id": nid(value), "officer_id": "officer-1", "assigned_on": "2025-01-10"}
    return line("release", "assign_officer", **{**data, **overrides})


def set_conditions(value: str = "B1", **overrides: Any) -> dict[str, Any]:
    data = {"national_id": nid(value), "conditions": ["residence", "curfew"], "set_on": "2025-01-10"}
    return line("release", "set_conditions", **{**data, **overrides})


def impose_requirement(value: str = "B1", **overrides: Any) -> dict[str, Any]:
    data = {
        "national_id": nid(value),
        "requirement_id": f"REQ-{value}-1",
        "kind": "unpaid_work",
        "hours": 40,
        "imposed_on": "2025-01-10",
    }
    return line("release", "impose_requirement", **{**data, **overrides})


def record_unpaid_work(value: str = "B1", **overrides: Any) -> dict[str, Any]:
    data = {"national_id": nid(value), "requirement_id": f"REQ-{value}-1", "worked_on": "2025-01-18", "hours": 6}
    return line("release", "record_unpaid_work", **{**data, **overrides})


def explain_conditions(value: str = "B1", **overrides: Any) -> dict[str, Any]:
    data = {
        "national_id": nid(value),
        "explained_on": "2025-01-12",
        "orally": True,
        "in_writing": True,
        "explained_by": "officer-1",
    }
    return line("release", "explain_conditions", **{**data, **overrides})


def record_consent(value: str = "B1", **overrides: Any) -> dict[str, Any]:
    return line("release", "record_consent", **{"national_id": nid(value), "consented_on": "2025-01-10", **overrides})


def record_contact(value: str = "B1", **overrides: Any) -> dict[str, Any]:
    data = {
        "national_id": nid(value),
        "contact_id": f"C-{value}-1",
        "kind": "appointment",
        "contact_on": "2025-01-20",
        "outcome": "complied",
    }
    return line("release", "record_contact", **{**data, **overrides})


def assess_resettlement(value: str = "A1", **overrides: Any) -> dict[str, Any]:
    data = {
        "national_id": nid(value),
        "assessment_id": f"RA-{value}-1",
        "assessed_on": "2025-01-20",
        "pathways": {"accommodation": "support_required", "finance_and_id": "in_progress", "health": "done"},
    }
    return line("release", "assess_resettlement", **{**data, **overrides})


def complete_resettlement_action(value: str = "A1", **overrides: Any) -> dict[str, Any]:
    data = {"national_id": nid(value), "action": "id_document", "completed_on": "2026-01-20"}
    return line("release", "complete_resettlement_action", **{**data, **overrides})


def secure_accommodation(value: str = "A1", **overrides: Any) -> dict[str, Any]:
    data = {"national_id": nid(value), "accommodation": "temporary", "secured_on": "2026-01-25"}
    return line("release", "secure_accommodation", **{**data, **overrides})


def approve_release_plan(value: str = "A1", **overrides: Any) -> dict[str, Any]:
    data = {
        "national_id": nid(value),
        "plan_id": f"PLAN-{value}",
        "approved_on": "2026-02-01",
        "approved_by": "Test Release Board",
    }
    return line("release", "approve_release_plan", **{**data, **overrides})


def record_discharge(value: str = "A1", **overrides: Any) -> dict[str, Any]:
    data = {
        "national_id": nid(value),
        "released_on": "2026-02-14",
        "property_returned": True,
        "savings_paid": True,
        "records_copy_given": True,
    }
    return line("release", "record_discharge", **{**data, **overrides})


def modify_measure(value: str = "B1", **overrides: Any) -> dict[str, Any]:
    data = {
        "national_id": nid(value),
        "modification_id": f"M-{value}-1",
        "kind": "shortened",
        "modified_on": "2025-07-01",
        "decided_by": "Test Court",
        "new_ends_on": "2025-10-01",
    }
    return line("release", "modify_measure", **{**data, **overrides})


def end_supervision(value: str = "B1", **overrides: Any) -> dict[str, Any]:
    data = {"national_id": nid(value), "ended_on": "2025-10-01", "reason": "early_discharge"}
    return line("release", "end_supervision", **{**data, **overrides})


def restrict_case(value: str = "A1", **overrides: Any) -> dict[str, Any]:
    data = {"national_id": nid(value), "grounds": "protected_identity", "may_see": ["auditor"]}
    return line("intake", "restrict_case", **{**data, **overrides})


def lift_case_restriction(value: str = "A1", **overrides: Any) -> dict[str, Any]:
    data = {"national_id": nid(value), "reason": "the threat to the person has passed"}
    return line("intake", "lift_case_restriction", **{**data, **overrides})
