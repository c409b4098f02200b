"""The one place programmes is built from settings (embedded runner, nameko service, tests)."""

from __future__ import annotations

from collections.abc import Mapping

from services.programmes.application import Programmes


def build(env: Mapping[str, str]) -> Programmes:
    return Programmes(env=dict(env))
