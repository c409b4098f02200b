"""A batch of commands applied in one transaction: each line decided on its own, all of them saved together.

What a bulk load sends: a store's speed comes from saving many events per transaction, and a command costs
mostly its transaction when it is saved alone. Each line is validated and decided as if it came alone, after
the lines before it (it sees their effects, through one unit of work), keeps its own receipt, and gets its own
outcome; a line refused leaves no trace, and the lines around it are saved.

Events are saved in the order of the lines that caused them, so the notification log (and the bus after it)
holds a person's events in the order they would have had one command at a time.

A refused line that changed something before it was refused (a rule checked late) would leave those changes
in aggregates the later lines use: the unit of work is then made again from the store, and the lines decided
so far are decided again in it (their outcomes cannot differ: the same lines on the same state). A line that
fails with a bug is treated the same way, reported as an internal error by type only, and logged.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from eventsourcing.persistence import IntegrityError, PersistenceError

from shared.errors import FieldProblem, InvalidInput, PathwayError
from shared.eventstore.application import CONFLICT_RETRIES, CommandResult, ConcurrencyError, PathwayApplication
from shared.eventstore.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)

# More lines than this in one call are refused: a transaction that large holds the store's insert lock for long,
# and one malformed client must not be able to hold it for everyone.
MAX_BATCH_LINES = 1000


@dataclass(frozen=True)
class BatchLine:
    """One command of a batch: its name, its data as sent, and who entered it when its actor recorded it first."""

    command: str
    data: Any
    entered_by: str | None = None
    # Lines of one group (one person's, say) after a line of it failed for a reason that may not last (our own
    # bug) are held back: applied after it on a later try, they would be applied out of order.
    group: str | None = None


@dataclass(frozen=True)
class LineOutcome:
    """What became of one line: applied or skipped (with the result), or refused (with the error). `position`:
    the notification id of the last event the line stored here, 0 when it stored none."""

    result: CommandResult | None = None
    error: PathwayError | None = None
    position: int = 0

    @property
    def ok(self) -> bool:
        return self.error is None


class InternalError(PathwayError):
    """A line our own code failed on: reported by type only (the log has the trace), never with its data."""

    status = 500


class HeldBack(PathwayError):
    """Not decided: an earlier line of the same group failed in this batch (HTTP 424, failed dependency)."""

    status = 424


class _LinesWork(UnitOfWork):
    """A unit of work that remembers which line caused each pending event, in the order they were caused."""

    def __init__(self, store: PathwayApplication) -> None:
        super().__init__(store)
        self._seen: dict[UUID, int] = {}  # aggregate id -> how many of its pending events are already placed
        self.events_of_line: list[list[Any]] = []

    def changed_since_line_began(self) -> bool:
        return any(len(a.pending_events) > self._seen.get(a.id, 0) for a in self.changed())

    def end_line(self) -> None:
        caused = []
        for aggregate in self.changed():
            placed = self._seen.get(aggregate.id, 0)
            caused.extend(aggregate.pending_events[placed:])
            self._seen[aggregate.id] = len(aggregate.pending_events)
        self.events_of_line.append(caused)


def execute_batch(app: PathwayApplication, lines: Sequence[BatchLine]) -> list[LineOutcome]:
    """Decide every line in order and save what they changed in one transaction; an outcome for each line."""
    if len(lines) > MAX_BATCH_LINES:
        raise InvalidInput([FieldProblem("lines", f"at most {MAX_BATCH_LINES} lines in one batch")])
    for _ in range(CONFLICT_RETRIES):
        try:
            return _execute_once(app, lines)
        except IntegrityError:
            continue  # another writer got there first: every line is decided again on fresh state
    raise ConcurrencyError("batch: too many concurrent changes, try again")


def _execute_once(app: PathwayApplication, lines: Sequence[BatchLine]) -> list[LineOutcome]:
    work = _LinesWork(app)
    outcomes: list[LineOutcome] = []
    failed_groups: set[str] = set()
    for line in lines:
        if line.group is not None and line.group in failed_groups:
            work.end_line()
            outcomes.append(LineOutcome(error=HeldBack("held back: an earlier line of the same group failed")))
            continue
        outcome = _decide(app, work, line)
        if outcome.error is not None and outcome.error.status >= 500 and line.group is not None:
            failed_groups.add(line.group)
        if outcome.ok or not work.changed_since_line_began():
            work.end_line()
            outcomes.append(outcome)
            continue
        work = _decided_again(app, lines[: len(outcomes)], outcomes)
        work.end_line()  # the refused line, with nothing of its own
        outcomes.append(outcome)
    return _saved(app, work, outcomes)


def _decide(app: PathwayApplication, work: UnitOfWork, line: BatchLine) -> LineOutcome:
    try:
        return LineOutcome(result=app.apply_in(work, app.command_of(line.command, line.data), line.entered_by))
    except PathwayError as refused:
        return LineOutcome(error=refused)
    except PersistenceError:
        raise  # the store's trouble (or a lost race), not the line's: the batch is decided again or fails whole
    except Exception as bug:  # one line's bug must not cost the other lines their outcome
        log.warning("%s: a batch line's %s failed (%s)", app.service, line.command, type(bug).__name__, exc_info=bug)
        return LineOutcome(error=InternalError(f"internal error in {app.service} ({type(bug).__name__})"))


def _decided_again(app: PathwayApplication, lines: Sequence[BatchLine], outcomes: list[LineOutcome]) -> _LinesWork:
    """A fresh unit of work with these lines decided in it again (their outcomes kept as first decided)."""
    work = _LinesWork(app)
    for line, outcome in zip(lines, outcomes, strict=True):
        if outcome.ok:  # refused and held-back lines left nothing
            _decide(app, work, line)
        work.end_line()
    return work


def _saved(app: PathwayApplication, work: _LinesWork, outcomes: list[LineOutcome]) -> list[LineOutcome]:
    events = [event for caused in work.events_of_line for event in caused]
    if not events:
        return outcomes
    for aggregate in work.changed():
        aggregate.collect_events()
    recordings = app.save(*events)
    positions = iter(recording.notification.id for recording in recordings)
    placed = []
    for outcome, caused in zip(outcomes, work.events_of_line, strict=True):
        position = 0
        for _ in caused:
            position = next(positions)
        placed.append(LineOutcome(outcome.result, outcome.error, position))
    return placed
