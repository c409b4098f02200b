"""docs/DOMAIN.md: enumerations carry an OTHER/UNKNOWN member, so national code tables map without loss. The lists
kept closed are named here, each with why: their values drive a rule, a state machine or a scale."""

from __future__ import annotations

import types
from typing import Any, Literal, Union, get_args, get_origin

from shared.contracts.base import enumerated_fields
from shared.contracts.commands import COMMANDS

CLOSED = {
    "intake.record_court_decision.kind": "each kind has its own rules (custody, supervision, pre-trial limits)",
    "intake.record_court_decision.measure": "each measure starts its own type of supervision",
    "intake.record_sentence_adjustment.kind": "each kind adds to or takes from the sentence in its own way",
    "intake.change_legal_status.status": "statuses decide the separation of untried, convicted and civil",
    "intake.review_pretrial_detention.outcome": "each outcome ends or continues the detention",
    "intake.propose_classification.kind": "initial or review: the rule for a second person's decision",
    "intake.propose_classification.proposed_level": "a scale: least restrictive first",
    "intake.propose_classification.review_reason": "review triggers the classification rules know",
    "intake.decide_classification.decision": "approved or rejected",
    "programmes.publish_programme.setting": "custody or community: where a programme can run",
    "programmes.record_attendance.outcome": "completion rules count these outcomes",
    "programmes.change_referral_status.status": "a state machine: only allowed transitions",
    "programmes.end_participation.outcome": "completion rates count these outcomes",
    "programmes.assess_needs.risk_of_reoffending": "a scale programmes' eligibility is written in",
    "release.decide_response.response": "a revocation has its own preconditions (Tokyo 14)",
    "release.record_contact.outcome": "compliance rates count these outcomes",
    "release.review_supervision_level.level": "a scale",
}


def members(annotation: Any) -> list[Any]:
    if get_origin(annotation) is Literal:
        return list(get_args(annotation))
    if get_origin(annotation) in (Union, types.UnionType):
        return [m for a in get_args(annotation) if a is not type(None) for m in members(a)]
    return []


def test_every_open_enumeration_has_other_or_unknown_and_every_closed_one_says_why() -> None:
    missing = []
    for service, commands in COMMANDS.items():
        for name, command in commands.items():
            for field in enumerated_fields(command):
                where = f"{service}.{name}.{field}"
                values = members(command.model_fields[field].annotation)
                if not {"other", "unknown"} & set(values) and not CLOSED.get(where):
                    missing.append(where)
    assert missing == []
