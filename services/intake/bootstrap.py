"""The one place intake is built from settings (embedded runner, nameko service, tests)."""

from __future__ import annotations

from collections.abc import Mapping

from services.intake.application import Intake


def build(env: Mapping[str, str]) -> Intake:
    return Intake(env=dict(env))
