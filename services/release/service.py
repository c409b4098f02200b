"""The release nameko service: the shared edge (commands, queries, feeds, operators) over release's application."""

from __future__ import annotations

import os

from services.release import bootstrap, translators
from shared.eventstore.application import PathwayApplication
from shared.eventstore.settings import postgres_env
from shared.nameko_edge import ApplicationProvider, PathwayService


def build_application() -> PathwayApplication:
    return bootstrap.build(postgres_env("release", os.environ))


class ReleaseService(PathwayService):
    name = "release"
    application = ApplicationProvider(build_application, translators.translate)
