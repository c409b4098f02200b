"""The three services as the composition sees them: how to build each, its translator, queries and handlers."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass

from services.intake import bootstrap as intake_bootstrap
from services.intake import translators as intake_translators
from services.intake.handlers import HANDLERS as INTAKE_HANDLERS
from services.intake.queries import QUERIES as INTAKE_QUERIES
from services.programmes import bootstrap as programmes_bootstrap
from services.programmes import translators as programmes_translators
from services.programmes.handlers import HANDLERS as PROGRAMMES_HANDLERS
from services.programmes.queries import QUERIES as PROGRAMMES_QUERIES
from services.release import bootstrap as release_bootstrap
from services.release import translators as release_translators
from services.release.handlers import HANDLERS as RELEASE_HANDLERS
from services.release.queries import QUERIES as RELEASE_QUERIES
from shared.eventstore.application import PathwayApplication
from shared.messaging.translation import Translator
from shared.registry.commands import CommandHandlers
from shared.registry.queries import Queries


@dataclass(frozen=True)
class ServiceParts:
    build: Callable[[Mapping[str, str]], PathwayApplication]
    translate: Translator
    queries: Queries
    handlers: CommandHandlers


SERVICES: dict[str, ServiceParts] = {
    "intake": ServiceParts(intake_bootstrap.build, intake_translators.translate, INTAKE_QUERIES, INTAKE_HANDLERS),
    "programmes": ServiceParts(
        programmes_bootstrap.build, programmes_translators.translate, PROGRAMMES_QUERIES, PROGRAMMES_HANDLERS
    ),
    "release": ServiceParts(release_bootstrap.build, release_translators.translate, RELEASE_QUERIES, RELEASE_HANDLERS),
}


@contextmanager
def all_opened(open_one: Callable[[str], PathwayApplication]) -> Iterator[dict[str, PathwayApplication]]:
    """Every service's application, opened by `open_one` and all closed after, even when one fails to open."""
    opened: dict[str, PathwayApplication] = {}
    try:
        for name in SERVICES:
            opened[name] = open_one(name)
        yield opened
    finally:
        for app in opened.values():
            app.close()
