"""The intake nameko service: RPC and HTTP entrypoints, thin, over the same application as the embedded mode."""

from __future__ import annotations

import os

from services.intake import bootstrap, translators
from shared.eventstore.application import PathwayApplication
from shared.eventstore.settings import postgres_env
from shared.nameko_edge import ApplicationProvider, PathwayService


def build_application() -> PathwayApplication:
    return bootstrap.build(postgres_env("intake", os.environ))


class IntakeService(PathwayService):
    name = "intake"
    application = ApplicationProvider(build_application, translators.translate)
