"""What the fuzz suite tried, per kind of input, for the lines printed at the end of the session.

The figures are kept even when a test fails, so a failing run still says how far it got.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Tally:
    """One kind of input: how many examples were tried and what went wrong with them."""

    name: str
    examples: int = 0
    server_errors: int = 0  # 5xx over HTTP, "internal error" over the bus
    crashes: int = 0  # processes found exited
    unnamed_rejections: int = 0  # a refusal that did not name the field and the problem
    outcomes: dict[str, int] = field(default_factory=dict)

    def tried(self, outcome: str) -> None:
        self.examples += 1
        self.outcomes[outcome] = self.outcomes.get(outcome, 0) + 1

    def line(self) -> str:
        seen = ", ".join(f"{name} {count}" for name, count in sorted(self.outcomes.items()))
        return (
            f"fuzz: {self.name}: {self.examples} examples, {self.server_errors} server errors, "
            f"{self.crashes} crashes, {self.unnamed_rejections} rejections not naming field and problem"
            + (f" ({seen})" if seen else "")
        )


TALLIES: dict[str, Tally] = {}


def tally(name: str) -> Tally:
    """The session's tally for one kind of input, created on first use and printed in that order."""
    return TALLIES.setdefault(name, Tally(name))
