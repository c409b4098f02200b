"""A refusal is bounded in size and names fields without echoing the input's own keys."""

from __future__ import annotations

import json

import pytest

from shared.contracts.base import validate
from shared.contracts.commands import COMMANDS
from shared.errors import MAX_FIELD_CHARS, MAX_PROBLEMS, FieldProblem, InvalidInput, PathwayError, error_reply

RegisterPerson = COMMANDS["intake"]["register_person"]


def refusal(data: object) -> InvalidInput:
    with pytest.raises(InvalidInput) as refused:
        validate(RegisterPerson, data)
    return refused.value


def test_thousands_of_problems_are_cut_to_a_bounded_list_that_counts_the_rest() -> None:
    error = InvalidInput([FieldProblem(f"field_{n}", "required") for n in range(5000)])
    assert len(error.problems) == MAX_PROBLEMS
    assert error.problems[-1] == FieldProblem("(more)", f"({5000 - MAX_PROBLEMS + 1} more problems)")
    assert len(json.dumps(error_reply(error))) < 2000
    assert len(str(error)) < 2000


def test_bounding_twice_keeps_the_same_list() -> None:
    once = InvalidInput([FieldProblem(f"field_{n}", "required") for n in range(100)]).problems
    assert InvalidInput(once).problems == once


def test_repeated_problems_are_reported_once() -> None:
    error = InvalidInput([FieldProblem("(command)", "unknown field")] * 3000)
    assert error.problems == [FieldProblem("(command)", "unknown field")]


def test_a_long_field_name_and_reason_are_clipped() -> None:
    error = InvalidInput([FieldProblem("a" * 100_000, "b" * 100_000)])
    assert len(error.problems[0].field) == MAX_FIELD_CHARS
    assert len(error.problems[0].problem) < 1000


def test_an_unknown_key_is_reported_at_its_parent_without_the_key() -> None:
    key = "k" * 1_000_000
    error = refusal({key: 1, "actor": {"id": "a", "role": "r", "agency": "g", "nickname_of_the_clerk": 1}})
    fields = {p.field: p.problem for p in error.problems}
    assert fields["(command)"] == "unknown field"
    assert fields["actor"] == "unknown field"
    assert "kkkk" not in str(error)
    assert "nickname" not in str(error)


def test_a_bad_dictionary_key_is_not_echoed() -> None:
    error = refusal({"source_codes": {"<script>" + "x" * 500: "code"}})
    assert "source_codes.(key)" in {p.field for p in error.problems}
    assert "script" not in str(error)
    assert "xxxx" not in str(error)


def test_an_error_reason_is_clipped() -> None:
    reply = error_reply(PathwayError("r" * 100_000))
    assert len(reply["error"]) < 1000
