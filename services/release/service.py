"""The release nameko service: RPC and HTTP entrypoints, thin, over the same application as the embedded mode."""

from __future__ import annotations

import os
from typing import Any

from nameko.rpc import rpc
from nameko.web.handlers import http
from werkzeug.wrappers import Request, Response

from services.release import bootstrap, translators
from services.release.followup_register import DEFAULT_WITHIN_DAYS
from services.release.supervision_register import DEFAULT_DAYS_AHEAD, RELEASE_REPORTS
from shared.errors import FieldProblem, InvalidInput
from shared.eventstore.application import PathwayApplication
from shared.eventstore.settings import postgres_env
from shared.nameko_edge import ApplicationProvider, PathwayService, json_response
from shared.query_params import report_date, report_days


def build_application() -> PathwayApplication:
    return bootstrap.build(postgres_env("release", os.environ))


class ReleaseService(PathwayService):
    name = "release"
    application = ApplicationProvider(build_application, translators.translate)

    @rpc  # type: ignore[misc]
    def supervision_report(self, report: str, on: str, days: int | str | None = None) -> list[dict[str, Any]]:
        """One of release's reports on a date (see RELEASE_REPORTS), from release's events."""
        query = RELEASE_REPORTS.get(report)
        if query is None:
            raise InvalidInput([FieldProblem("report", f"unknown report (known: {', '.join(RELEASE_REPORTS)})")])
        app = self.application.app
        day = report_date("on", on)
        if report == "releases-due":
            ahead = DEFAULT_DAYS_AHEAD if days is None else report_days("days", days)
            return app.releases_due(day, ahead)  # type: ignore[no-any-return]
        return getattr(app, query)(day)  # type: ignore[no-any-return]

    @rpc  # type: ignore[misc]
    def reoffending(self, on: str) -> dict[str, Any]:
        """Reoffending within 12 and 24 months of windows ended by `on` (services/release/reoffending_register.py)."""
        return self.application.app.reoffending(report_date("on", on))  # type: ignore[no-any-return]

    @rpc  # type: ignore[misc]
    def followups_due(self, on: str, within: int | str | None = None) -> list[dict[str, Any]]:
        """Follow-ups due by `on` plus `within` days (default 30), each answered or not (followup_register.py)."""
        days = DEFAULT_WITHIN_DAYS if within is None else report_days("within", within)
        return self.application.app.followups_due(report_date("on", on), days)  # type: ignore[no-any-return]

    @http("GET", "/reports/<string:report>")  # type: ignore[misc]
    def http_supervision_report(self, request: Request, report: str) -> Response:
        if report not in (*RELEASE_REPORTS, "reoffending", "followups-due"):
            return json_response(404, {"error": "unknown report"})
        days, within = request.args.get("days"), request.args.get("within")
        on = request.args.get("on", "")
        try:
            if report == "reoffending":
                return json_response(200, self.reoffending(on))
            if report == "followups-due":
                return json_response(200, self.followups_due(on, within))
            return json_response(200, self.supervision_report(report, on, days))
        except InvalidInput as error:
            problems = [{"field": p.field, "problem": p.problem} for p in error.problems]
            return json_response(422, {"errors": problems})
