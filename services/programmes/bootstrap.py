"""Programmes' application and the one place it is built from settings (embedded runner, nameko service, tests)."""

from __future__ import annotations

from collections.abc import Mapping

from services.programmes.handlers import HANDLERS
from services.programmes.queries import QUERIES
from services.programmes.reactions import REACTIONS
from shared.eventstore.application import PathwayApplication


class Programmes(PathwayApplication):
    """The catalogue, needs and plans, referrals and places, cohorts and outcomes; follow intake's custody and
    classification and release's releases, recalls and supervision."""

    service = "programmes"
    handlers = HANDLERS
    reactions = REACTIONS
    queries = QUERIES


def build(env: Mapping[str, str]) -> Programmes:
    return Programmes(env=dict(env))
