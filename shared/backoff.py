"""Pauses between attempts at something a server must answer: doubling, capped, and cut short by a stop."""

from __future__ import annotations

import threading


class Backoff:
    """Pauses between attempts that double from `first` up to `longest`, so that a long outage is
    not hammered and a short one is not waited out for long; `stop` cuts a pause short."""

    def __init__(self, stop: threading.Event, first: float = 1.0, longest: float = 15.0) -> None:
        self.stop = stop
        self.first = first
        self.longest = longest
        self.next = first

    def pause(self, at_most: float | None = None) -> float:
        """Wait the next pause (no longer than `at_most`: a deadline may come first); returns how long."""
        delay = self.next if at_most is None else max(0.0, min(self.next, at_most))
        self.next = min(self.next * 2, self.longest)
        self.stop.wait(delay)
        return delay

    def reset(self) -> None:
        self.next = self.first
