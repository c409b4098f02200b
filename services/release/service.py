"""The release nameko service: the shared edge (commands, queries, feeds, operators) over release's application."""

from __future__ import annotations

import os

from services.release import bootstrap, translators
from shared.eventstore.application import PathwayApplication
from shared.eventstore.opening import opened_for_serving
from shared.eventstore.settings import postgres_env
from shared.nameko_edge import ApplicationProvider, PathwayService


def build_application() -> PathwayApplication:
    """Release's store for a `serve` process, waited for while PostgreSQL refuses (PATHWAY_START_TIMEOUT)."""
    return opened_for_serving("release", postgres_env("release", os.environ, process="serve"), bootstrap.build)


class ReleaseService(PathwayService):
    name = "release"
    application = ApplicationProvider(build_application, translators.translate)
