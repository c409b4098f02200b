"""The intake nameko service: RPC and HTTP entrypoints, thin, over the same application as the embedded mode."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from nameko.rpc import rpc
from nameko.web.handlers import http
from werkzeug.wrappers import Request, Response

from services.intake import bootstrap, translators
from shared.errors import InvalidInput
from shared.eventstore.application import PathwayApplication
from shared.eventstore.settings import postgres_env
from shared.nameko_edge import ApplicationProvider, PathwayService, json_response
from shared.query_params import report_date, report_days


def build_application() -> PathwayApplication:
    return bootstrap.build(postgres_env("intake", os.environ))


class IntakeService(PathwayService):
    name = "intake"
    application = ApplicationProvider(build_application, translators.translate)

    @rpc  # type: ignore[misc]
    def occupancy(self, on: str) -> list[dict[str, Any]]:
        """Per facility on a date: capacity, occupancy, rate, pre-trial count, share and average days."""
        figures = self.application.app.occupancy(report_date("on", on))  # type: ignore[attr-defined]
        return [{**f.as_dict(), "average_pretrial_days": f.average_pretrial_days} for f in figures]

    @rpc  # type: ignore[misc]
    def occupancy_trend(self, start: str, end: str, every: int | str = 7) -> list[dict[str, Any]]:
        """Occupancy per facility on every `every`-th day from `start` to `end` (dates as YYYY-MM-DD)."""
        problems, days, step = [], [], 7
        for name, value in (("from", start), ("to", end)):
            try:
                days.append(report_date(name, value))
            except InvalidInput as error:
                problems += error.problems
        try:
            step = report_days("every", every, least=1)
        except InvalidInput as error:
            problems += error.problems
        if problems:
            raise InvalidInput(problems)
        return self.application.app.occupancy_trend(*days, step)  # type: ignore[attr-defined, no-any-return]

    @http("GET", "/reports/occupancy-trend")  # type: ignore[misc]
    def http_occupancy_trend(self, request: Request) -> Response:
        args = request.args
        return _report(lambda: self.occupancy_trend(args.get("from", ""), args.get("to", ""), args.get("every", "7")))

    @rpc  # type: ignore[misc]
    def pretrial_alerts(self, on: str) -> list[dict[str, Any]]:
        return self.application.app.pretrial_alerts(report_date("on", on))  # type: ignore[attr-defined, no-any-return]

    @http("GET", "/reports/pretrial")  # type: ignore[misc]
    def http_pretrial(self, request: Request) -> Response:
        return _report(lambda: self.pretrial_alerts(request.args.get("on", "")))

    @http("GET", "/reports/occupancy")  # type: ignore[misc]
    def http_occupancy(self, request: Request) -> Response:
        return _report(lambda: self.occupancy(request.args.get("on", "")))

    @rpc  # type: ignore[misc]
    def overdue_reviews(self, on: str) -> list[dict[str, Any]]:
        """People in custody whose classification was due for review before a date (Mandela 93, 94)."""
        rows = self.application.app.overdue_classification_reviews(report_date("on", on))  # type: ignore[attr-defined]
        return [row.as_dict() for row in rows]

    @http("GET", "/reports/classification-reviews")  # type: ignore[misc]
    def http_classification_reviews(self, request: Request) -> Response:
        return _report(lambda: self.overdue_reviews(request.args.get("on", "")))


def _report(answer: Callable[[], Any]) -> Response:
    """A report's figures (200), or its parameters' problems (422)."""
    try:
        return json_response(200, answer())
    except InvalidInput as error:
        return json_response(422, {"errors": [{"field": p.field, "problem": p.problem} for p in error.problems]})
