"""Errors every edge (HTTP, RPC, command line, bus) knows how to report.

Messages name the field or the rule, never a person's data: they end up in
HTTP bodies, dead letters and logs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# Bounds on what a refusal may carry back: a request with thousands of bad fields (or a field
# name of a megabyte) must not turn into a reply, log line or dead letter larger than itself.
MAX_PROBLEMS = 20
MAX_FIELD_CHARS = 200
MAX_TEXT_CHARS = 500
MORE_PROBLEMS = "(more)"


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
        self.problems = bounded_problems(problems)
        super().__init__("; ".join(str(p) for p in self.problems))


class RuleViolation(PathwayError):
    """A valid command that a business rule refuses (HTTP 409)."""

    status = 409


class DuplicateConflict(RuleViolation):
    """A command or record id used again with different content."""


class NotFound(PathwayError):
    """The command names a person or programme this service does not know (HTTP 404)."""

    status = 404


def bounded_problems(problems: list[FieldProblem]) -> list[FieldProblem]:
    """At most MAX_PROBLEMS distinct problems, each of bounded length; the rest counted in a last entry.

    Applying it to its own result changes nothing, so a refusal passed on (RPC reply, inbox reply)
    and rebuilt on the other side keeps the same list.
    """
    distinct = list(dict.fromkeys(_shortened(p) for p in problems))
    if len(distinct) <= MAX_PROBLEMS:
        return distinct
    kept = distinct[: MAX_PROBLEMS - 1]
    return [*kept, FieldProblem(MORE_PROBLEMS, f"({len(distinct) - len(kept)} more problems)")]


def _shortened(problem: FieldProblem) -> FieldProblem:
    return FieldProblem(_clip(problem.field, MAX_FIELD_CHARS), _clip(problem.problem, MAX_TEXT_CHARS))


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def error_reply(error: PathwayError) -> dict[str, Any]:
    """A refusal as data: the same shape over RPC, in HTTP bodies and in the command inbox's replies."""
    if isinstance(error, InvalidInput):
        problems = [{"field": p.field, "problem": p.problem} for p in error.problems]
        return {"status": error.status, "errors": problems}
    return {"status": error.status, "error": _clip(error.reason, MAX_TEXT_CHARS)}
