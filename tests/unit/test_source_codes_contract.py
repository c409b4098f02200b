"""`source_codes` on every command: only for enumerated fields, and no part of a command's fingerprint."""

from __future__ import annotations

from typing import Any

import pytest

from shared.contracts.base import enumerated_fields, validate
from shared.contracts.commands import COMMANDS
from shared.errors import InvalidInput
from tests import examples as ex

# Fingerprints of these commands as saved in receipts before `source_codes` existed: they must not move.
BEFORE_SOURCE_CODES = {
    "register_person": "380f25e9577b693c094cf0242ba8aa90b546a2e7ccdfbff40c230e7fd60268c5",
    "record_court_decision": "fa4d02db154851959c012bb7ceaaa5b5c8e058f5617221b4f054324fb4784ffb",
    "release": "a4321d1a233442954f51fbe90b25a2216a9a945d207c4a1f27b209528ebbfa5f",
}


def command(line: dict[str, Any], **codes: str) -> Any:
    data = {**line["data"], **({"source_codes": codes} if codes else {})}
    return validate(COMMANDS[line["service"]][line["command"]], data)


@pytest.mark.parametrize("line", [ex.register_person("A1"), ex.custodial_sentence("A1"), ex.release("A1")])
def test_fingerprints_are_those_saved_before_and_ignore_the_codes(line: dict[str, Any]) -> None:
    (field, *_) = sorted(enumerated_fields(type(command(line))))
    assert command(line).fingerprint() == BEFORE_SOURCE_CODES[line["command"]]
    assert command(line, **{field: "AGENCY-1"}).fingerprint() == BEFORE_SOURCE_CODES[line["command"]]


def test_the_enumerated_fields_are_the_fixed_lists_only() -> None:
    assert enumerated_fields(COMMANDS["intake"]["record_court_decision"]) == {"kind", "measure"}
    assert enumerated_fields(COMMANDS["programmes"]["enrol"]) == set()


def test_a_code_for_a_free_field_is_refused_naming_source_codes_and_the_fields_allowed() -> None:
    with pytest.raises(InvalidInput) as refused:
        command(ex.custodial_sentence("A1"), court="C-9")
    (problem,) = refused.value.problems
    assert (problem.field, problem.problem) == (
        "source_codes",
        "may only name this command's enumerated fields (kind, measure)",
    )
