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
