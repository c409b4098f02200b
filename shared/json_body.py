"""Reading a JSON body from outside without letting its shape hurt the reader.

`json.loads` recurses once per level of nesting, so a body of a few thousand `[` raises
RecursionError (or worse, exhausts a green thread's stack). The depth is therefore measured
first, by a flat scan that does not recurse, and only a body within the limit is parsed.
"""

from __future__ import annotations

import json
import re
from itertools import accumulate
from typing import Any

from shared.errors import FieldProblem, InvalidInput

# Deeper than any contract needs (the deepest is a few levels), far below Python's recursion limit.
MAX_JSON_DEPTH = 64

BODY = "(body)"

# A JSON string, escapes included ("unrolled" so that a long string is matched without backtracking).
_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_A_BRACKET = re.compile(r"[^\[\]{}]+")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


def nesting_depth(text: str) -> int:
    """How deeply arrays and objects nest in `text`, brackets inside strings not counted.

    Meant for text about to be parsed: on text that is not JSON the figure is only an estimate
    (an unterminated string's brackets count), which is harmless since such text is refused anyway.
    """
    brackets = _NOT_A_BRACKET.sub("", _JSON_STRING.sub("", text))
    return max(accumulate(_STEP[bracket] for bracket in brackets), default=0)


def parse_json_body(raw: bytes, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """The JSON value in `raw`, or InvalidInput naming "(body)" and what is wrong with it."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidInput([FieldProblem(BODY, "not valid UTF-8")]) from None
    if nesting_depth(text) > max_depth:
        raise InvalidInput([FieldProblem(BODY, f"nested deeper than {max_depth} levels")])
    try:
        return json.loads(text or "null")
    except ValueError:  # the message quotes the input's position and text: not repeated
        raise InvalidInput([FieldProblem(BODY, "not valid JSON")]) from None
