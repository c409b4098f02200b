"""Bulk load for integrating agencies: one command a line, applied in order.

Each line sees the effects of the lines before it, including the other
services' reactions; the importer waits for those only where a line depends
on them (see `dependencies`), so a file grouped by service loads without
waiting at all.

Exact under failure: every line carries a command_id (derived from its content when it has none),
so a service keeps a receipt with the line's effects. When a reply is lost the receipt tells
whether the line was applied; when no one can be asked, the line is reported as unknown, never
as not applied. A service or the broker lost stops the load there.

A line that failed for a reason a re-run may not meet again (a crash, lost races) holds back the
later lines of the same person, so that a re-run applies each person's lines in file order. A line
refused for its content or by a rule fails the same way on every run of the file: the person's
later lines go ahead, as they would on a re-run.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol, TextIO

from pydantic import BaseModel, ConfigDict

from pathway.dependencies import Dependencies
from pathway.unanswered import Crashed, Unanswered
from shared.contracts.base import validate
from shared.errors import FieldProblem, InvalidInput, PathwayError
from shared.eventstore.application import CommandResult

log = logging.getLogger(__name__)


class ImportLine(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, hide_input_in_errors=True)

    service: Literal["intake", "programmes", "release"]
    command: str
    data: dict[str, Any]


class System(Protocol):
    """What the importer needs of a running system, embedded or distributed."""

    def execute(self, service: str, command: str, data: Any) -> CommandResult: ...

    def command_receipt(self, service: str, command_id: str) -> dict[str, Any] | None: ...

    def reaction_graph(self) -> dict[str, dict[str, list[str]]]: ...

    def commands_across_people(self) -> set[str]: ...

    def settle(self) -> Any: ...


@dataclass
class ImportReport:
    lines: int = 0
    applied: int = 0
    skipped: int = 0
    failed: int = 0
    held_back: int = 0  # not sent: an earlier line of the same person failed
    unknown: int = 0  # sent, and no one could say whether it was applied
    waits: int = 0
    dead_letters: int = 0
    stopped_at: int | None = None  # the line the load stopped at (0: before the first)
    stopped_because: str = ""
    sent_all: bool = False
    errors: list[str] = field(default_factory=list)
    failed_lines: list[int] = field(default_factory=list)

    @property
    def stopped(self) -> bool:
        return self.stopped_at is not None

    @property
    def ok(self) -> bool:
        return not self.stopped and self.failed == self.held_back == self.unknown == self.dead_letters == 0

    def summary(self, name: str) -> str:
        text = f"{name}: {self.lines} lines: {self.applied} applied, {self.skipped} skipped, {self.failed} failed"
        if self.failed_lines:
            text += f" ({_line_numbers(self.failed_lines)})"
        if self.held_back:
            text += f", {self.held_back} held back"
        if self.unknown:
            text += f", {self.unknown} unknown whether applied"
        text += f" ({self.waits} waits for reactions)"
        if self.dead_letters:
            text += f"; {self.dead_letters} reactions set aside as dead letters (see: pathway dead-letters list)"
        if self.stopped_at is None:
            return text
        if self.sent_all:
            text += f"; every line sent, then stopped: {self.stopped_because}"
        elif self.stopped_at == 0:
            text += f"; stopped before the first line: {self.stopped_because}"
        else:
            text += f"; stopped at line {self.stopped_at}, later lines not sent: {self.stopped_because}"
        return text


def _line_numbers(numbers: list[int], shown: int = 10) -> str:
    listed = ", ".join(str(number) for number in numbers[:shown])
    more = f" and {len(numbers) - shown} more" if len(numbers) > shown else ""
    return f"line{'s' if len(numbers) > 1 else ''} {listed}{more}"


class _Stop(Exception):
    """The load cannot go on: the system is unreachable, or its reactions cannot arrive."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


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
    lines: Iterable[str | bytes],
    name: str,
    errors: TextIO = sys.stderr,
    progress: Callable[[ImportReport], None] | None = None,
    progress_every: float = 2.0,
) -> ImportReport:
    """Apply the lines in order; the report is complete however the load ends (an interrupt too)."""
    load = _Load(system, name, errors)
    try:
        load.start()
        last_progress = time.monotonic()
        for line_no, raw in enumerate(lines, start=1):
            load.line(line_no, raw)
            if progress is not None and time.monotonic() - last_progress >= progress_every:
                progress(load.report)
                last_progress = time.monotonic()
        load.finish()
    except _Stop as stop:
        load.stopped(stop.reason)
    except KeyboardInterrupt:
        load.stopped("interrupted")
    return load.report


class _Load:
    def __init__(self, system: System, name: str, errors: TextIO) -> None:
        self.system = system
        self.name = name
        self.errors = errors
        self.report = ImportReport()
        self.dependencies = Dependencies({})
        self.line_no = 0
        self.failed_line_of: dict[str, int] = {}  # person -> their first line that failed

    def start(self) -> None:
        upstreams = _stopping_on_outage(lambda: upstream_closure(self.system))
        self.dependencies = Dependencies(upstreams, _stopping_on_outage(self.system.commands_across_people))
        # A previous load may have stopped (or been killed) before its reactions were
        # processed: catch up first, so that its skipped lines' effects are there.
        self.settle()

    def finish(self) -> None:
        self.report.sent_all = True
        self.settle()

    def stopped(self, reason: str) -> None:
        self.report.stopped_at = self.line_no
        self.report.stopped_because = reason
        if self.report.sent_all:
            self.say(f"{self.name}: {reason}; after the last line")
        elif self.line_no:
            self.say(f"{self.name}:{self.line_no}: {reason}; stopped here, later lines not sent")
        else:
            self.say(f"{self.name}: {reason}; stopped before the first line")

    def say(self, text: str) -> None:
        self.report.errors.append(text)
        print(text, file=self.errors)

    def settle(self) -> None:
        self.report.dead_letters += getattr(_stopping_on_outage(self.system.settle), "dead_lettered", 0)

    def fail(self, person: str | None, *messages: str, holds_back: bool = False) -> None:
        self.report.failed += 1
        self.report.failed_lines.append(self.line_no)
        for message in messages:
            self.say(f"{self.name}:{self.line_no}: {message}")
        if holds_back and person is not None:
            self.failed_line_of.setdefault(person, self.line_no)

    def line(self, line_no: int, raw: str | bytes) -> None:
        self.line_no = line_no
        text = _decoded(raw)
        if text is not None and (not text.strip() or text.lstrip().startswith("#")):
            return  # blank lines and comments
        self.report.lines += 1
        if text is None:
            self.fail(None, "not valid UTF-8")
            return
        data: Any = None
        try:
            loaded = _json_object(text)
            data = loaded.get("data")
            line: ImportLine = validate(ImportLine, loaded)
        except InvalidInput as invalid:
            self.fail(self.dependencies.person_key(data), *(str(problem) for problem in invalid.problems))
            return
        person = self.dependencies.person_key(line.data)
        if person in self.failed_line_of:
            self.report.held_back += 1
            self.say(f"{self.name}:{line_no}: held back: line {self.failed_line_of[person]} of the same person failed")
            return
        if self.dependencies.must_wait(line.service, line.command, line.data):
            self.settle()
            self.report.waits += 1
            self.dependencies.settled()
        self.send(line, person)

    def send(self, line: ImportLine, person: str | None) -> None:
        data = {**line.data, "command_id": line.data.get("command_id") or line_id(line)}
        try:
            result = self.system.execute(line.service, line.command, data)
        except InvalidInput as invalid:
            self.fail(person, *(str(problem) for problem in invalid.problems))
            return
        except Unanswered as lost:
            self.after_lost_reply(line, data, lost.problem)
            return
        except Crashed as crash:
            self.after_crash(line, data, person, crash.error_type)
            return
        except PathwayError as refused:  # 5xx: not refused for good (lost races), a re-run may apply it
            self.fail(person, refused.reason, holds_back=refused.status >= 500)
            return
        except Exception as bug:  # in the same process: a bug, whose receipt still tells the outcome
            log.debug("%s: line %d failed", self.name, self.line_no, exc_info=bug)
            self.after_crash(line, data, person, type(bug).__name__)
            return
        self.count(line, result.status, result.result)

    def count(self, line: ImportLine, status: str, result: dict[str, Any]) -> None:
        if status == "applied":
            self.report.applied += 1
            self.dependencies.wrote(line.service, line.data, result)
        else:
            self.report.skipped += 1

    def receipt(self, line: ImportLine, data: dict[str, Any], why: str) -> dict[str, Any] | None:
        """The line's receipt; stops the load as unknown when no one can say whether it was applied."""
        try:
            return self.system.command_receipt(line.service, str(data["command_id"]))
        except Exception as error:  # noqa: BLE001 - whatever keeps the answer away, the outcome is unknown
            self.report.unknown += 1
            reason = error.reason if isinstance(error, PathwayError) else type(error).__name__
            raise _Stop(f"{why}; whether the line was applied is unknown ({reason})") from None

    def after_lost_reply(self, line: ImportLine, data: dict[str, Any], problem: str) -> None:
        receipt = self.receipt(line, data, problem)
        if receipt is None:  # the command may still be on its way to the service: not known either way
            self.report.unknown += 1
            raise _Stop(f"{problem}; no receipt of the line yet, so whether it was applied is unknown")
        self.report.applied += 1
        self.dependencies.wrote(line.service, line.data, receipt["result"])

    def after_crash(self, line: ImportLine, data: dict[str, Any], person: str | None, error_type: str) -> None:
        crash = f"internal error in {line.service} ({error_type})"
        receipt = self.receipt(line, data, crash)
        if receipt is None:  # the service answered: the command is done with, and left no receipt
            self.fail(person, f"{crash}; the line was not applied", holds_back=True)
            return
        self.report.applied += 1
        self.dependencies.wrote(line.service, line.data, receipt["result"])


def _stopping_on_outage(ask: Callable[[], Any]) -> Any:
    """Ask the system; what makes the load stop becomes a _Stop with its reason."""
    try:
        return ask()
    except PathwayError as outage:  # Unanswered, NotSettled, Crashed among them
        raise _Stop(outage.reason) from None
    except Exception as error:  # the load stops with a summary, the trace at debug level
        log.debug("the system failed", exc_info=error)
        raise _Stop(f"internal error ({type(error).__name__})") from None


def line_id(line: ImportLine) -> str:
    """A command_id for a line that has none: the same line always gets the same one, so a re-run of a
    file is recognised by the receipts of the lines it applied."""
    content = json.dumps(line.model_dump(mode="json"), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return "import:" + hashlib.sha256(content.encode()).hexdigest()


def _decoded(raw: str | bytes) -> str | None:
    if isinstance(raw, str):
        return raw
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _json_object(text: str) -> dict[str, Any]:
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):  # ValueError: JSON errors and digit strings past int()'s limit
        raise InvalidInput([FieldProblem("(line)", "not valid JSON")]) from None
    if not isinstance(data, dict):
        raise InvalidInput([FieldProblem("(line)", "must be a JSON object with service, command and data")])
    return data


def parse_line(raw: str) -> ImportLine:
    line: ImportLine = validate(ImportLine, _json_object(raw))
    return line
