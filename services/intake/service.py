"""The intake nameko service: RPC and HTTP entrypoints, thin, over the same application as the embedded mode."""

from __future__ import annotations

import os
from datetime import date
from typing import Any

from nameko.rpc import rpc
from nameko.web.handlers import http
from werkzeug.wrappers import Request, Response

from services.intake import bootstrap, translators
from shared.eventstore.application import PathwayApplication
from shared.eventstore.settings import postgres_env
from shared.nameko_edge import ApplicationProvider, PathwayService, json_response


def build_application() -> PathwayApplication:
    return bootstrap.build(postgres_env("intake", os.environ))


class IntakeService(PathwayService):
    name = "intake"
    application = ApplicationProvider(build_application, translators.translate)

    @rpc  # type: ignore[misc]
    def occupancy(self, on: str) -> list[dict[str, Any]]:
        """Per facility on a date: capacity, occupancy, rate, pre-trial count, share and average days."""
        figures = self.application.app.occupancy(date.fromisoformat(on))  # type: ignore[attr-defined]
        return [{**f.as_dict(), "average_pretrial_days": f.average_pretrial_days} for f in figures]

    @http("GET", "/reports/occupancy")  # type: ignore[misc]
    def http_occupancy(self, request: Request) -> Response:
        try:
            on = date.fromisoformat(request.args.get("on", ""))
        except ValueError:
            return json_response(422, {"errors": [{"field": "on", "problem": "must be a date (YYYY-MM-DD)"}]})
        return json_response(200, self.occupancy(on.isoformat()))
