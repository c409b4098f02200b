"""Bulk load for integrating agencies: one command a line, sent to the services in batches.

Every line is validated, applied and reported on its own, and sees the effects of the lines before it,
including the other services' reactions. Lines go in waves (pathway/waves.py): a batch per service, each
applied by its service in one transaction (shared/eventstore/batch.py). A line that depends on reactions to
lines already sent (pathway/dependencies.py) waits, and its person's later lines with it, while other people's
lines go on; when nothing more can go, the importer waits for those reactions only, by asking the services
that react whether their watermarks have reached what was written (`System.catch_up`).

Exact under failure: every line carries a command_id (derived from its content when it has none), so a
service keeps a receipt with the line's effects, and a re-run of the file skips what was applied. When a
batch's reply is lost, the receipts tell which of its lines were applied; when no one can be asked, those
lines are reported as unknown, never as not applied. A service or the broker lost stops the load there.

A line that failed for a reason a re-run may not meet again (a crash, lost races) holds back the later lines
of the same person, so that a re-run applies each person's lines in file order. A line refused for its
content or by a rule fails the same way on every run of the file: the person's later lines go ahead, as they
would on a re-run.
"""

from __future__ import annotations

import heapq
import itertools
import logging
import sys
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, TextIO

from pathway.dependencies import Dependencies
from pathway.lines import ImportLine, decoded, json_object, line_id, parse_line
from pathway.unanswered import Crashed, Unanswered
from pathway.waves import Pending, Waves
from shared.contracts.base import validate
from shared.errors import InvalidInput, PathwayError
from shared.eventstore.application import CommandResult
from shared.eventstore.batch import BatchLine, HeldBack, LineOutcome

__all__ = ["ImportLine", "ImportReport", "System", "line_id", "parse_line", "run_import", "upstream_closure"]

log = logging.getLogger(__name__)

# Lines in one service's batch: enough to make a transaction's cost small beside its lines', few enough that a
# batch's transaction does not hold its store's insert lock for long.
BATCH_LINES = 200
# Lines read ahead of those sent: people whose lines wait are passed by as many others as this holds.
WINDOW_LINES = 2000


class System(Protocol):
    """What the importer needs of a running system, embedded or distributed."""

    def execute_batch(self, service: str, lines: Sequence[BatchLine]) -> list[LineOutcome]: ...

    def command_receipt(self, service: str, command_id: str) -> dict[str, Any] | None: ...

    def reaction_graph(self) -> dict[str, dict[str, list[str]]]: ...

    def commands_across_people(self) -> set[str]: ...

    def settle(self) -> Any: ...

    def catch_up(self, written: Mapping[str, int]) -> Any: ...


@dataclass
class ImportReport:
    lines: int = 0
    applied: int = 0
    skipped: int = 0
    failed: int = 0
    held_back: int = 0  # not applied: an earlier line of the same person failed
    unknown: int = 0  # sent, and no one could say whether it was applied
    waits: int = 0
    dead_letters: int = 0
    stopped_at: int | None = None  # the first line not sent when the load stopped (0: before the first)
    stopped_because: str = ""
    not_sent: int = 0  # lines read and not sent when the load stopped
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
            text += f" ({_line_numbers(sorted(self.failed_lines))})"
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
            text += f"; stopped at line {self.stopped_at}, {_later_not_sent(self.not_sent)}: {self.stopped_because}"
        return text


def _line_numbers(numbers: list[int], shown: int = 10) -> str:
    listed = ", ".join(str(number) for number in numbers[:shown])
    more = f" and {len(numbers) - shown} more" if len(numbers) > shown else ""
    return f"line{'s' if len(numbers) > 1 else ''} {listed}{more}"


def _later_not_sent(count: int) -> str:
    """What was not sent when a load stopped: the line it stopped at, and the lines read after it not yet sent
    (other people's later lines may have gone before it); the file's unread rest is not sent either."""
    return "later lines not sent" if count <= 1 else f"it and {count - 1} later lines read so far not sent"


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
    batch_lines: int = BATCH_LINES,
    window_lines: int = WINDOW_LINES,
) -> ImportReport:
    """Apply the lines, each person's in file order; the report is complete however the load ends (an interrupt
    too). `progress` is called with the report at most every `progress_every` seconds."""
    load = _Load(system, name, errors, batch_lines)
    last_progress = time.monotonic()
    try:
        load.start()
        for line_no, raw in enumerate(lines, start=1):
            load.read(line_no, raw)
            while len(load.waves) >= window_lines:
                load.send_a_wave()
            load.decided()
            if progress is not None and time.monotonic() - last_progress >= progress_every:
                progress(load.report)
                last_progress = time.monotonic()
        while load.waves:
            load.send_a_wave()
            load.decided()
        load.finish()
    except _Stop as stop:
        load.stopped(stop.reason)
    except KeyboardInterrupt:
        load.stopped("interrupted")
    return load.report


class _Load:
    def __init__(self, system: System, name: str, errors: TextIO, batch_lines: int) -> None:
        self.system = system
        self.name = name
        self.errors = errors
        self.report = ImportReport()
        self.dependencies = Dependencies({})
        self.waves = Waves(self.dependencies, batch_lines)
        self.line_no = 0  # the last line read
        self.failed_line_of: dict[str, int] = {}  # person -> their first line that failed
        self.written: dict[str, int] = {}  # service -> the highest position written since the last catch-up
        self.written_unknown = False  # lines applied whose positions are not known: catching up is settling
        self.in_flight: list[Pending] = []  # the wave being sent
        self.to_say: list[tuple[int, int, str]] = []  # (line, order said, text): said in line order
        self.said = itertools.count()
        self.first_unknown: int | None = None  # the first line sent whose outcome no one could tell

    def start(self) -> None:
        upstreams = _stopping_on_outage(lambda: upstream_closure(self.system))
        self.dependencies = Dependencies(upstreams, _stopping_on_outage(self.system.commands_across_people))
        self.waves = Waves(self.dependencies, self.waves.batch_lines)
        # A previous load may have stopped (or been killed) before its reactions were
        # processed: catch up first, so that its skipped lines' effects are there.
        self.settle()

    def finish(self) -> None:
        self.say_in_order()
        self.report.sent_all = True
        self.catch_up()

    def stopped(self, reason: str) -> None:
        not_sent = [item.line_no for item in (*self.in_flight, *self.waves.pending)]
        self.report.stopped_because = reason
        self.report.not_sent = len(not_sent)
        if self.report.sent_all:
            self.report.stopped_at = self.line_no
            self.say(f"{self.name}: {reason}; after the last line")
        elif not_sent or self.line_no:
            unknown = [] if self.first_unknown is None else [self.first_unknown]
            self.report.stopped_at = min([*not_sent, *unknown], default=self.line_no + 1)
            where = f"{self.name}:{self.report.stopped_at}"
            self.say(f"{where}: {reason}; stopped here, {_later_not_sent(len(not_sent))}")
        else:
            self.report.stopped_at = 0
            self.say(f"{self.name}: {reason}; stopped before the first line")

    def say(self, text: str) -> None:
        """Say it now: what the load as a whole meets (the lines' own messages wait for their turn)."""
        self.say_in_order()
        self.report.errors.append(text)
        print(text, file=self.errors)

    def say_of(self, line_no: int, text: str) -> None:
        """Say this of a line, in line order: after what is said of the lines before it, once theirs is known."""
        heapq.heappush(self.to_say, (line_no, next(self.said), text))

    def say_in_order(self, before: int | None = None) -> None:
        """Say what was held back to keep line order, of the lines before `before` (all of it by default)."""
        while self.to_say and (before is None or self.to_say[0][0] < before):
            text = heapq.heappop(self.to_say)[2]
            self.report.errors.append(text)
            print(text, file=self.errors)

    def undecided_from(self) -> int:
        """The first line whose outcome is not known yet (every line before it is decided)."""
        return min((item.line_no for item in (*self.in_flight, *self.waves.pending)), default=self.line_no + 1)

    def settle(self) -> None:
        self.report.dead_letters += getattr(_stopping_on_outage(self.system.settle), "dead_lettered", 0)

    def catch_up(self) -> None:
        """Wait for every reaction to what was written since the last wait (and for nothing else)."""
        if self.written_unknown:
            self.settle()
        elif self.written:
            written = dict(self.written)
            caught = _stopping_on_outage(lambda: self.system.catch_up(written))
            self.report.dead_letters += getattr(caught, "dead_lettered", 0)
        self.written.clear()
        self.written_unknown = False
        self.dependencies.settled()

    def fail(self, line_no: int, person: str | None, *messages: str, holds_back: bool = False) -> None:
        self.report.failed += 1
        self.report.failed_lines.append(line_no)
        for message in messages:
            self.say_of(line_no, f"{self.name}:{line_no}: {message}")
        if holds_back and person is not None:
            self.failed_line_of.setdefault(self.dependencies.canonical(person), line_no)

    # --- reading

    def read(self, line_no: int, raw: str | bytes) -> None:
        self.line_no = line_no
        text = decoded(raw)
        if text is not None and (not text.strip() or text.lstrip().startswith("#")):
            return  # blank lines and comments
        self.report.lines += 1
        if text is None:
            self.fail(line_no, None, "not valid UTF-8")
            return
        data: Any = None
        try:
            loaded = json_object(text)
            data = loaded.get("data")
            line: ImportLine = validate(ImportLine, loaded)
        except InvalidInput as invalid:
            self.fail(line_no, self.dependencies.person_key(data), *(str(problem) for problem in invalid.problems))
            return
        self.waves.add(line_no, line)

    def decided(self) -> None:
        self.say_in_order(before=self.undecided_from())

    # --- sending

    def send_a_wave(self) -> None:
        wave = self.waves.next_wave(self.held_back)
        if not wave:  # everything left waits for reactions to what was sent
            self.report.waits += 1
            self.catch_up()
            wave = self.waves.next_wave(self.held_back)
            if not wave and self.waves:  # nothing is left to wait for, so this cannot be: a bug
                raise _Stop(f"internal error (no line of {len(self.waves)} could go after waiting)")
        self.in_flight = sorted((item for batch in wave.values() for item in batch), key=lambda item: item.line_no)
        for service, batch in wave.items():
            self.send(service, batch)
        self.in_flight = []

    def held_back(self, item: Pending) -> bool:
        failed = self.failed_line_of.get(self.dependencies.canonical(item.person)) if item.person else None
        if failed is None:
            return False
        self.report.held_back += 1
        self.say_of(item.line_no, f"{self.name}:{item.line_no}: held back: line {failed} of the same person failed")
        return True

    def send(self, service: str, batch: list[Pending]) -> None:
        lines = [BatchLine(item.line.command, _with_command_id(item.line), group=item.person) for item in batch]
        try:
            outcomes = self.system.execute_batch(service, lines)
        except (Unanswered, Crashed) as lost:
            outcomes = self.after_lost_reply(service, batch, lines, lost.reason)
        except PathwayError as refused:  # the batch refused whole: every line of it refused so
            outcomes = [LineOutcome(error=refused)] * len(batch)
        except Exception as bug:  # in the same process: a bug, whose receipts still tell the outcome
            log.debug("%s: a batch to %s failed", self.name, service, exc_info=bug)
            crash = f"internal error in {service} ({type(bug).__name__})"
            outcomes = self.after_lost_reply(service, batch, lines, crash)
        self.sent(batch)
        for item, outcome in zip(batch, outcomes, strict=True):
            self.count(service, item, outcome)

    def count(self, service: str, item: Pending, outcome: LineOutcome) -> None:
        if outcome.result is not None:
            if outcome.result.status == "applied":
                self.report.applied += 1
                self.dependencies.learned(item.line.data, outcome.result.result)
                if outcome.position:
                    self.written[service] = max(self.written.get(service, 0), outcome.position)
                else:
                    self.written_unknown = True  # known applied from its receipt
            else:
                self.report.skipped += 1
            return
        error = outcome.error
        assert error is not None
        if isinstance(error, HeldBack):
            self.report.held_back += 1
            first = self.failed_line_of.get(self.dependencies.canonical(item.person)) if item.person else None
            self.say_of(item.line_no, f"{self.name}:{item.line_no}: held back: line {first} of the same person failed")
            return
        problems = [str(p) for p in error.problems] if isinstance(error, InvalidInput) else [error.reason]
        self.fail(item.line_no, item.person, *problems, holds_back=error.status >= 500)

    def after_lost_reply(
        self, service: str, batch: list[Pending], lines: list[BatchLine], problem: str
    ) -> list[LineOutcome]:
        """The batch's outcomes from its lines' receipts (one transaction: its applied lines have them all, or
        none has); stops the load when no one can say whether its lines were applied."""
        outcomes: list[LineOutcome] = []
        for item, line in zip(batch, lines, strict=True):
            try:
                receipt = self.system.command_receipt(service, str(line.data["command_id"]))
            except Exception as error:  # noqa: BLE001 - whatever keeps the answer away, the outcome is unknown
                reason = error.reason if isinstance(error, PathwayError) else type(error).__name__
                self.unknown(batch[len(outcomes) :])
                raise _Stop(f"{problem}; whether {_lines_of(batch)} were applied is unknown ({reason})") from None
            if receipt is None:
                self.unknown(batch[len(outcomes) :])
                raise _Stop(f"{problem}; no receipt of line {item.line_no} yet, so whether it was applied is unknown")
            outcomes.append(LineOutcome(_applied(receipt)))
        return outcomes

    def unknown(self, items: list[Pending]) -> None:
        self.report.unknown += len(items)
        self.first_unknown = min([self.first_unknown or items[0].line_no, items[0].line_no])
        self.sent(items)

    def sent(self, items: list[Pending]) -> None:
        gone = {item.line_no for item in items}
        self.in_flight = [item for item in self.in_flight if item.line_no not in gone]


def _applied(receipt: Mapping[str, Any]) -> CommandResult:
    return CommandResult("applied", dict(receipt["result"]))


def _lines_of(batch: list[Pending]) -> str:
    first, last = batch[0].line_no, batch[-1].line_no
    return f"line {first}" if first == last else f"lines {first} to {last}"


def _with_command_id(line: ImportLine) -> dict[str, Any]:
    return {**line.data, "command_id": line.data.get("command_id") or line_id(line)}


def _stopping_on_outage(ask: Callable[[], Any]) -> Any:
    """Ask the system; what makes the load stop becomes a _Stop with its reason."""
    try:
        return ask()
    except PathwayError as outage:  # Unanswered, NotSettled, Crashed among them
        raise _Stop(outage.reason) from None
    except Exception as error:  # the load stops with a summary, the trace at debug level
        log.debug("the system failed", exc_info=error)
        raise _Stop(f"internal error ({type(error).__name__})") from None
