"""The jurisdiction's release rules, as a handler or a reaction reaches them.

The rules are a setting of the running application (its rules file, read once by bootstrap.py), not a fact in
its store: handlers and reactions are given them with their context or cause.
"""

from __future__ import annotations

from typing import Any

from services.release.domain.rules import ReleaseRules


def rules_of(given: Any) -> ReleaseRules:
    """The rules a handler's context or a reaction's cause carries (release always has some)."""
    rules = given.rules
    assert isinstance(rules, ReleaseRules), "release is built with its rules (bootstrap.build)"
    return rules
