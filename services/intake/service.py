"""The intake nameko service: RPC and HTTP entrypoints, thin, over the same application as the embedded mode."""

from __future__ import annotations

import os
from datetime import date
from typing import Any

from nameko.rpc import rpc
from nameko.web.handlers import http
from werkzeug.wrappers import Request, Response

from services.intake import bootstrap, translators
from shared.errors import FieldProblem, InvalidInput
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

    @rpc  # type: ignore[misc]
    def occupancy_trend(self, start: str, end: str, every: int = 7) -> list[dict[str, Any]]:
        """Occupancy per facility on every `every`-th day from `start` to `end` (dates as YYYY-MM-DD)."""
        days = [_day(name, value) for name, value in (("from", start), ("to", end))]
        return self.application.app.occupancy_trend(*days, every)  # type: ignore[attr-defined, no-any-return]

    @http("GET", "/reports/occupancy-trend")  # type: ignore[misc]
    def http_occupancy_trend(self, request: Request) -> Response:
        every = request.args.get("every", "7")
        if not every.isdigit():
            return json_response(422, {"errors": [{"field": "every", "problem": "must be a number of days"}]})
        try:
            rows = self.occupancy_trend(request.args.get("from", ""), request.args.get("to", ""), int(every))
        except InvalidInput as error:
            return json_response(422, {"errors": [{"field": p.field, "problem": p.problem} for p in error.problems]})
        return json_response(200, rows)

    @rpc  # type: ignore[misc]
    def pretrial_alerts(self, on: str) -> list[dict[str, Any]]:
        return self.application.app.pretrial_alerts(date.fromisoformat(on))  # type: ignore[attr-defined, no-any-return]

    @http("GET", "/reports/pretrial")  # type: ignore[misc]
    def http_pretrial(self, request: Request) -> Response:
        try:
            on = date.fromisoformat(request.args.get("on", ""))
        except ValueError:
            return json_response(422, {"errors": [{"field": "on", "problem": "must be a date (YYYY-MM-DD)"}]})
        return json_response(200, self.pretrial_alerts(on.isoformat()))

    @http("GET", "/reports/occupancy")  # type: ignore[misc]
    def http_occupancy(self, request: Request) -> Response:
        try:
            on = date.fromisoformat(request.args.get("on", ""))
        except ValueError:
            return json_response(422, {"errors": [{"field": "on", "problem": "must be a date (YYYY-MM-DD)"}]})
        return json_response(200, self.occupancy(on.isoformat()))

    @rpc  # type: ignore[misc]
    def overdue_reviews(self, on: str) -> list[dict[str, Any]]:
        """People in custody whose classification was due for review before a date (Mandela 93, 94)."""
        try:
            day = date.fromisoformat(on)
        except (TypeError, ValueError):
            raise InvalidInput([FieldProblem("on", "must be a date (YYYY-MM-DD)")]) from None
        rows = self.application.app.overdue_classification_reviews(day)  # type: ignore[attr-defined]
        return [row.as_dict() for row in rows]

    @http("GET", "/reports/classification-reviews")  # type: ignore[misc]
    def http_classification_reviews(self, request: Request) -> Response:
        try:
            on = date.fromisoformat(request.args.get("on", ""))
        except ValueError:
            return json_response(422, {"errors": [{"field": "on", "problem": "must be a date (YYYY-MM-DD)"}]})
        return json_response(200, self.overdue_reviews(on.isoformat()))


def _day(field: str, value: str) -> date:
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise InvalidInput([FieldProblem(field, "must be a date (YYYY-MM-DD)")]) from None
