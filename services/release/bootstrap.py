"""The release application, and the one place it is built from settings (embedded runner, nameko service, tests)."""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Mapping
from pathlib import Path
from uuid import UUID

from services.release.domain.compliance import Compliance
from services.release.domain.resettlement import Resettlement
from services.release.domain.rules import ReleaseRules, ReleaseRulesError
from services.release.domain.supervision import SupervisionFile
from services.release.handlers import HANDLERS
from services.release.queries import QUERIES
from services.release.reactions import REACTIONS
from shared.eventstore.application import PathwayApplication

# Tokyo 12.3 sets no number of days: a jurisdiction's own (RELEASE_EXPLAIN_CONDITIONS_DAYS).
DEFAULT_EXPLAIN_WITHIN_DAYS = 7


class Release(PathwayApplication):
    """Release, supervision, resettlement and outcomes; dates and supervision from intake's court decisions."""

    service = "release"
    handlers = HANDLERS
    reactions = REACTIONS
    queries = QUERIES

    def __init__(
        self,
        env: Mapping[str, str] | None = None,
        rules: ReleaseRules | None = None,
        explain_within_days: int = DEFAULT_EXPLAIN_WITHIN_DAYS,
    ) -> None:
        super().__init__(env=dict(env or {}))
        self.rules = rules or ReleaseRules()
        self.explain_within_days = explain_within_days

    def own_streams(self, person_id: UUID) -> list[UUID]:
        """The person's release case, compliance record, supervision file and resettlement record."""
        records = (Compliance, SupervisionFile, Resettlement)
        return [person_id, *(record.id_for(person_id) for record in records)]


# The rules shipped with the code; RELEASE_RULES_FILE names another jurisdiction's.
DEFAULT_RULES_FILE = Path(__file__).resolve().parent / "rules" / "spine-1.json"


def load_rules(path: Path | str) -> ReleaseRules:
    """A jurisdiction's rules from its JSON file; a bad file stops the start with what is wrong and where."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as error:
        raise ReleaseRulesError(f"release rules file {path}: cannot be read ({error.strerror})") from None
    except ValueError as error:
        raise ReleaseRulesError(f"release rules file {path}: not valid JSON ({error})") from None
    try:
        return ReleaseRules.from_data(data)
    except ReleaseRulesError as error:
        raise ReleaseRulesError(f"release rules file {path}: {error}") from None


def rules_from(environ: Mapping[str, str]) -> ReleaseRules:
    """The rules in RELEASE_RULES_FILE (spine-1 by default).

    RELEASE_CONDITIONAL_FRACTION and RELEASE_RULES_VERSION, where set and not empty, override
    the file's fraction and version, as they set the whole rule before rules were files.
    """
    rules = load_rules(environ.get("RELEASE_RULES_FILE") or DEFAULT_RULES_FILE)
    fraction = environ.get("RELEASE_CONDITIONAL_FRACTION") or None
    version = environ.get("RELEASE_RULES_VERSION") or None
    if fraction is None and version is None:
        return rules
    try:
        parsed = ReleaseRules.parse(fraction or str(rules.conditional_release_fraction), version or rules.version)
    except ReleaseRulesError as error:
        raise ReleaseRulesError(f"RELEASE_CONDITIONAL_FRACTION / RELEASE_RULES_VERSION: {error}") from None
    return dataclasses.replace(
        rules, conditional_release_fraction=parsed.conditional_release_fraction, version=parsed.version
    )


def explain_within_days_from(environ: Mapping[str, str]) -> int:
    """RELEASE_EXPLAIN_CONDITIONS_DAYS: days after a supervision starts to explain its conditions (default 7)."""
    value = environ.get("RELEASE_EXPLAIN_CONDITIONS_DAYS") or str(DEFAULT_EXPLAIN_WITHIN_DAYS)
    if not value.isdigit():
        raise ReleaseRulesError("RELEASE_EXPLAIN_CONDITIONS_DAYS: must be a whole number of days")
    return int(value)


def build(env: Mapping[str, str], environ: Mapping[str, str] | None = None) -> Release:
    settings = os.environ if environ is None else environ
    return Release(env=env, rules=rules_from(settings), explain_within_days=explain_within_days_from(settings))
