"""The programmes nameko service: the shared edge (commands, queries, feed, operators) over programmes' application."""

from __future__ import annotations

import os

from services.programmes import bootstrap, translators
from shared.eventstore.application import PathwayApplication
from shared.eventstore.opening import opened_for_serving
from shared.eventstore.settings import postgres_env
from shared.nameko_edge import ApplicationProvider, PathwayService


def build_application() -> PathwayApplication:
    """Programmes' store for a `serve` process, waited for while PostgreSQL refuses (PATHWAY_START_TIMEOUT)."""
    return opened_for_serving("programmes", postgres_env("programmes", os.environ, process="serve"), bootstrap.build)


class ProgrammesService(PathwayService):
    name = "programmes"
    application = ApplicationProvider(build_application, translators.translate)
