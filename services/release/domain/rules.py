"""Release-date rules: data per jurisdiction, not code. Each calculation records which rules it used."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction


@dataclass(frozen=True)
class ReleaseRules:
    conditional_release_fraction: Fraction = Fraction(2, 3)
    version: str = "spine-1"

    @classmethod
    def parse(cls, fraction: str, version: str) -> ReleaseRules:
        value = Fraction(fraction)
        if not 0 < value <= 1:
            raise ValueError("conditional-release fraction must be in (0, 1]")
        return cls(value, version)

    def calculate(self, decided_on: date, sentence_days: int) -> dict[str, date]:
        """Sentence end and conditional-release eligibility, counted in calendar days from the decision."""
        eligible_after = math.ceil(self.conditional_release_fraction * sentence_days)
        return {
            "sentence_start": decided_on,
            "sentence_end": decided_on + timedelta(days=sentence_days),
            "conditional_release_eligibility": decided_on + timedelta(days=eligible_after),
        }
