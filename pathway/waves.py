"""Which lines of an import go now: a wave, one batch per service, sent together.

Lines are taken in file order. A line goes in the wave unless it must wait: for an earlier line of the same
person that has not gone, for reactions to lines already sent and not yet caught up with (pathway/dependencies.py),
or for room in its service's batch. A line that waits keeps its person's later lines waiting too, so each person's
lines are applied in file order; other people's lines go on past it, which is where a bulk load gets its speed.
A line about no one person (a programme published, say) goes only when nothing before it waits, and when it
waits, everything after it waits. A line whose command decides for other people too (`across_people`: who
gets a freed place) waits for every earlier line of a service it depends on, sent or left behind, and when it
waits, it keeps every later line of its own service waiting, so that they see what it decides.

Within a service's batch, lines are in file order and each sees the effects of those before it; batches of
different services in one wave hold no line that depends on another's (such a line would have had to wait).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pathway.dependencies import Dependencies
from pathway.lines import ImportLine


@dataclass(frozen=True)
class Pending:
    """A line read and valid, not yet sent."""

    line_no: int
    line: ImportLine
    person: str | None  # the person key it is held back by and reported under


class Waves:
    def __init__(self, dependencies: Dependencies, batch_lines: int) -> None:
        self.dependencies = dependencies
        self.batch_lines = batch_lines
        self.pending: list[Pending] = []

    def __len__(self) -> int:
        return len(self.pending)

    def add(self, line_no: int, line: ImportLine) -> None:
        self.pending.append(Pending(line_no, line, self.dependencies.person_key(line.data)))

    def next_wave(self, held_back: Callable[[Pending], bool]) -> dict[str, list[Pending]]:
        """The lines that go now, by service, each batch in file order; they leave the pending lines, and so do
        the lines `held_back` takes (a line of a person whose earlier line failed), whose turn it was."""
        deps = self.dependencies
        wave: dict[str, list[Pending]] = {}
        waiting: set[str] = set()  # people with a line left behind
        closed: set[str] = set()  # services with a line left behind that decides for other people too
        ahead: set[tuple[str, str | None]] = set()  # what the lines left behind will write
        left: list[Pending] = []
        for index, item in enumerate(self.pending):
            service, command, data = item.line.service, item.line.command, item.line.data
            keys = deps.keys(data)
            if not (keys & waiting) and service not in closed and held_back(item):
                continue
            batch = wave.setdefault(service, [])
            goes = (
                not (keys & waiting)
                and (keys or not waiting)
                and service not in closed
                and len(batch) < self.batch_lines
                and not deps.must_wait(service, command, data, ahead)
            )
            if goes:
                batch.append(item)
                deps.wrote(service, data)
                continue
            if not keys:  # about no one person: nothing after it may go before it
                left.extend(self.pending[index:])
                break
            if command in deps.across_people:  # what it decides for others, later lines of its service see
                closed.add(service)
            waiting |= keys
            ahead |= deps.writes(service, data)
            left.append(item)
        self.pending = left
        return {service: batch for service, batch in wave.items() if batch}
