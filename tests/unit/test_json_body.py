"""A JSON body's depth is judged by a flat scan, so no body can make the reader recurse."""

from __future__ import annotations

import pytest

from shared.errors import InvalidInput
from shared.json_body import MAX_JSON_DEPTH, nesting_depth, parse_json_body


@pytest.mark.parametrize(
    ("text", "depth"),
    [
        ("", 0),
        ("12", 0),
        ('"text"', 0),
        ("{}", 1),
        ('{"a": [1, {"b": []}]}', 4),
        ('["[[[[", "{{{{"]', 1),
        (r'["a \" [[[ still inside", {}]', 2),
        (r'["a \\", [[]]]', 3),
        ("[[]][[[]]]", 3),
    ],
)
def test_the_depth_counts_brackets_outside_strings_only(text: str, depth: int) -> None:
    assert nesting_depth(text) == depth


def test_a_body_nested_far_beyond_the_recursion_limit_is_measured_not_parsed() -> None:
    deep = "[" * 100_000 + "]" * 100_000
    assert nesting_depth(deep) == 100_000
    with pytest.raises(InvalidInput) as refused:
        parse_json_body(deep.encode())
    assert [(p.field, p.problem) for p in refused.value.problems] == [
        ("(body)", f"nested deeper than {MAX_JSON_DEPTH} levels")
    ]


def test_a_body_at_the_limit_is_parsed() -> None:
    at_limit = "[" * MAX_JSON_DEPTH + "]" * MAX_JSON_DEPTH
    assert nesting_depth(at_limit) == MAX_JSON_DEPTH
    assert parse_json_body(at_limit.encode()) is not None


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        (b'{"name": "caf\xe9"}', "not valid UTF-8"),
        (b"{not json", "not valid JSON"),
        (b"1" * 5000, "not valid JSON"),  # longer than Python converts to an int
    ],
)
def test_a_bad_body_is_named_without_quoting_it(raw: bytes, problem: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_json_body(raw)
    assert [(p.field, p.problem) for p in refused.value.problems] == [("(body)", problem)]


def test_an_empty_body_is_null() -> None:
    assert parse_json_body(b"") is None
    assert parse_json_body('{"name": "café"}'.encode()) == {"name": "café"}
