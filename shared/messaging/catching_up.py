"""Has this service reacted to its upstreams' events up to given positions? Waited for here, beside the store.

A bulk load asks it of the services that react to what a batch wrote: "have you handled intake's events up
to notification 5,120?". A consumer keeps, per upstream, the watermark its relay sent after each batch it
published (shared/messaging/relay.py), and handling a watermark means every event before it was handled: so
the answer is the kept watermark, read by key, watched until it arrives or the wait's time is up. The reply
says how far this service's own store has got, so the asker can wait in turn for the reactions to those.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any

from shared.errors import FieldProblem, InvalidInput
from shared.eventstore.application import PathwayApplication
from shared.eventstore.positions import kept_positions
from shared.eventstore.reading import head
from shared.messaging.consumer import TrackedConsumer, watermark_name

# A wait is bounded: the asker asks again, and looks meanwhile for a process that is missing.
LONGEST_WAIT = 10.0
FIRST_PAUSE = 0.002
LONGEST_PAUSE = 0.05


def caught_up(
    app: PathwayApplication, after: Any, timeout: Any = LONGEST_WAIT, sleep: Callable[[float], None] = time.sleep
) -> dict[str, Any]:
    """Wait until this service's watermark of each upstream in `after` reaches its position, or `timeout` seconds
    pass. {"caught": whether all did, "watermarks": each upstream's, "head": this store's last notification id,
    "dead_letters": subjects with messages set aside here}."""
    consumer = TrackedConsumer(app)
    targets = _targets(after, consumer.upstreams())
    seconds = _seconds(timeout)
    deadline = time.monotonic() + seconds
    pause = FIRST_PAUSE
    names = {source: watermark_name(source) for source in consumer.upstreams()}
    while True:
        positions = kept_positions(app, list(names.values()))
        watermarks = {source: positions[name] for source, name in names.items()}
        caught = all(watermarks[source] >= position for source, position in targets.items())
        if caught or time.monotonic() >= deadline:
            return {
                "caught": caught,
                "watermarks": watermarks,
                "head": head(app),
                "dead_letters": consumer.dead_letter_count(),
            }
        sleep(pause)
        pause = min(pause * 1.5, LONGEST_PAUSE)


def _targets(after: Any, upstreams: list[str]) -> dict[str, int]:
    if not isinstance(after, Mapping):
        raise InvalidInput([FieldProblem("after", "must be an object: upstream service -> notification id")])
    problems = [
        FieldProblem(f"after.{str(source)[:64]}", f"not a service this one reacts to ({', '.join(upstreams)})")
        for source in after
        if source not in upstreams
    ]
    problems += [
        FieldProblem(f"after.{source}", "must be a whole number from 0")
        for source, position in after.items()
        if source in upstreams and (isinstance(position, bool) or not isinstance(position, int) or position < 0)
    ]
    if problems:
        raise InvalidInput(problems)
    return dict(after)


def _seconds(timeout: Any) -> float:
    if isinstance(timeout, bool) or not isinstance(timeout, int | float) or not 0 <= timeout <= LONGEST_WAIT:
        raise InvalidInput([FieldProblem("timeout", f"must be a number of seconds from 0 to {LONGEST_WAIT:g}")])
    return float(timeout)
