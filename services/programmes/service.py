"""The programmes nameko service: the shared edge (commands, queries, feed, operators) over programmes' application."""

from __future__ import annotations

import os

from services.programmes import bootstrap, translators
from shared.eventstore.application import PathwayApplication
from shared.eventstore.settings import postgres_env
from shared.nameko_edge import ApplicationProvider, PathwayService


def build_application() -> PathwayApplication:
    return bootstrap.build(postgres_env("programmes", os.environ))


class ProgrammesService(PathwayService):
    name = "programmes"
    application = ApplicationProvider(build_application, translators.translate)
