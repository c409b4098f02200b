"""Bulk load for integrating agencies: one command a line, applied in order.

Each line sees the effects of the lines before it, including the other
services' reactions; the importer waits for those only where a line depends
on them (see `dependencies`), so a file grouped by service loads without
waiting at all.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol, TextIO

from pydantic import BaseModel, ConfigDict

from pathway.dependencies import Dependencies
from shared.contracts.base import validate
from shared.errors import FieldProblem, InvalidInput, PathwayError
from shared.eventstore.application import CommandResult


class ImportLine(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, hide_input_in_errors=True)

    service: Literal["intake", "programmes", "release"]
    command: str
    data: dict[str, Any]


class System(Protocol):
    """What the importer needs of a running system, embedded or distributed."""

    def execute(self, service: str, command: str, data: Any) -> CommandResult: ...

    def reaction_graph(self) -> dict[str, dict[str, list[str]]]: ...

    def settle(self) -> Any: ...


@dataclass
class ImportReport:
    lines: int = 0
    applied: int = 0
    skipped: int = 0
    failed: int = 0
    waits: int = 0
    dead_letters: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.failed == 0 and self.dead_letters == 0

    def summary(self, name: str) -> str:
        text = f"{name}: {self.lines} lines: {self.applied} applied, {self.skipped} skipped, {self.failed} failed"
        text += f" ({self.waits} waits for reactions)"
        if self.dead_letters:
            text += f"; {self.dead_letters} reactions set aside as dead letters (see: pathway dead-letters list)"
        return text


def upstream_closure(system: System) -> dict[str, set[str]]:
    """For each service, the services whose own commands can lead to an event it reacts to.

    Worked out on event types: a command of service U publishes U's types; a
    reaction to type t publishes what its service declares for t; service S
    depends on U when some type of U reaches, through reactions, a type S
    reacts to. (Worked out on services alone, every service would depend on
    itself through the others, and every line would wait.)
    """
    graph = system.reaction_graph()
    consumed = {service: set(reactions) for service, reactions in graph.items()}
    outputs: dict[str, set[str]] = {}
    for reactions in graph.values():
        for event_type, produced in reactions.items():
            outputs.setdefault(event_type, set()).update(produced)

    def reach(event_type: str) -> set[str]:
        seen, frontier = {event_type}, [event_type]
        while frontier:
            for produced in outputs.get(frontier.pop(), ()):
                if produced not in seen:
                    seen.add(produced)
                    frontier.append(produced)
        return seen

    published = {event_type for reactions in graph.values() for event_type in reactions} | {
        produced for produced_set in outputs.values() for produced in produced_set
    }
    closure: dict[str, set[str]] = {service: set() for service in graph}
    for event_type in published:
        source = event_type.split(".", 1)[0]
        for service in graph:
            if reach(event_type) & consumed.get(service, set()):
                closure[service].add(source)
    return closure


def run_import(
    system: System,
    lines: Iterable[str],
    name: str,
    errors: TextIO = sys.stderr,
    progress: Callable[[ImportReport], None] | None = None,
    progress_every: float = 2.0,
) -> ImportReport:
    report = ImportReport()
    dependencies = Dependencies(upstream_closure(system))
    last_progress = time.monotonic()

    def fail(line_no: int, message: str) -> None:
        report.failed += 1
        text = f"{name}:{line_no}: {message}"
        report.errors.append(text)
        print(text, file=errors)

    # A previous load may have stopped (or been killed) before its reactions were
    # processed: catch up first, so that its skipped lines' effects are there.
    _count_dead_letters(report, system.settle())
    for line_no, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        report.lines += 1
        try:
            line = parse_line(raw)
            if dependencies.must_wait(line.service, line.command, line.data):
                _count_dead_letters(report, system.settle())
                report.waits += 1
                dependencies.settled()
            result = system.execute(line.service, line.command, line.data)
        except InvalidInput as invalid:
            report.failed += 1
            for problem in invalid.problems:
                text = f"{name}:{line_no}: {problem}"
                report.errors.append(text)
                print(text, file=errors)
            continue
        except PathwayError as refused:
            fail(line_no, refused.reason)
            continue
        except Exception as bug:  # noqa: BLE001 - one bad line must not stop the load
            fail(line_no, f"internal error ({type(bug).__name__}); the line was not applied")
            continue
        if result.status == "applied":
            report.applied += 1
            dependencies.wrote(line.service, line.data, result.result)
        else:
            report.skipped += 1
        if progress is not None and time.monotonic() - last_progress >= progress_every:
            progress(report)
            last_progress = time.monotonic()
    _count_dead_letters(report, system.settle())
    return report


def _count_dead_letters(report: ImportReport, settled: Any) -> None:
    report.dead_letters += getattr(settled, "dead_lettered", 0)


def parse_line(raw: str) -> ImportLine:
    try:
        data = json.loads(raw)
    except json.JSONDecodeError:
        raise InvalidInput([FieldProblem("(line)", "not valid JSON")]) from None
    if not isinstance(data, dict):
        raise InvalidInput([FieldProblem("(line)", "must be a JSON object with service, command and data")])
    line: ImportLine = validate(ImportLine, data)
    return line
