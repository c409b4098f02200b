"""One line of an import file: which service, which command, and the command's data."""

from __future__ import annotations

import hashlib
import json
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from shared.contracts.base import validate
from shared.errors import FieldProblem, InvalidInput


class ImportLine(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, hide_input_in_errors=True)

    service: Literal["intake", "programmes", "release"]
    command: str
    data: dict[str, Any]


def line_id(line: ImportLine) -> str:
    """A command_id for a line that has none: the same line always gets the same one, so a re-run of a
    file is recognised by the receipts of the lines it applied."""
    content = json.dumps(line.model_dump(mode="json"), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return "import:" + hashlib.sha256(content.encode()).hexdigest()


def decoded(raw: str | bytes) -> str | None:
    if isinstance(raw, str):
        return raw
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return None


def json_object(text: str) -> dict[str, Any]:
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):  # ValueError: JSON errors and digit strings past int()'s limit
        raise InvalidInput([FieldProblem("(line)", "not valid JSON")]) from None
    if not isinstance(data, dict):
        raise InvalidInput([FieldProblem("(line)", "must be a JSON object with service, command and data")])
    return data


def parse_line(raw: str) -> ImportLine:
    line: ImportLine = validate(ImportLine, json_object(raw))
    return line
