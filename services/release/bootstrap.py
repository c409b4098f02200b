"""The one place release is built from settings (embedded runner, nameko service, tests)."""

from __future__ import annotations

import os
from collections.abc import Mapping

from services.release.application import Release
from services.release.domain.rules import ReleaseRules


def rules_from(environ: Mapping[str, str]) -> ReleaseRules:
    """The jurisdiction's release rules, from RELEASE_CONDITIONAL_FRACTION and RELEASE_RULES_VERSION."""
    return ReleaseRules.parse(
        environ.get("RELEASE_CONDITIONAL_FRACTION", "2/3"), environ.get("RELEASE_RULES_VERSION", "spine-1")
    )


def build(env: Mapping[str, str], environ: Mapping[str, str] | None = None) -> Release:
    return Release(env=env, rules=rules_from(os.environ if environ is None else environ))
