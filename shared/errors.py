"""Errors every edge (HTTP, RPC, command line, bus) knows how to report.

Messages name the field or the rule, never a person's data: they end up in
HTTP bodies, dead letters and logs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


class PathwayError(Exception):
    """Base of the errors a caller is told about (as opposed to bugs)."""

    status = 400

    @property
    def reason(self) -> str:
        return str(self)


@dataclass(frozen=True)
class FieldProblem:
    field: str
    problem: str

    def __str__(self) -> str:
        return f"{self.field}: {self.problem}"


class InvalidInput(PathwayError):
    """A command or message that does not match its contract (HTTP 422)."""

    status = 422

    def __init__(self, problems: list[FieldProblem]):
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


class RuleViolation(PathwayError):
    """A valid command that a business rule refuses (HTTP 409)."""

    status = 409


class DuplicateConflict(RuleViolation):
    """A command or record id used again with different content."""


class NotFound(PathwayError):
    """The command names a person or programme this service does not know (HTTP 404)."""

    status = 404


def error_reply(error: PathwayError) -> dict[str, Any]:
    """A refusal as data: the same shape over RPC, in HTTP bodies and in the command inbox's replies."""
    if isinstance(error, InvalidInput):
        problems = [{"field": p.field, "problem": p.problem} for p in error.problems]
        return {"status": error.status, "errors": problems}
    return {"status": error.status, "error": error.reason}
