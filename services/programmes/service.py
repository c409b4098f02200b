"""The programmes nameko service: RPC and HTTP entrypoints, thin, over the same application as the embedded mode."""

from __future__ import annotations

import os
from typing import Any
from uuid import UUID

from nameko.rpc import rpc
from nameko.web.handlers import http
from werkzeug.wrappers import Request, Response

from services.programmes import bootstrap, translators
from shared.errors import FieldProblem, InvalidInput, PathwayError
from shared.eventstore.application import PathwayApplication
from shared.eventstore.settings import postgres_env
from shared.nameko_edge import ApplicationProvider, PathwayService, error_reply, json_response
from shared.reader import Reader, decide_reader, header_reader

# A read of one person's case -> the key its RPC reply carries the answer under.
ANSWER_KEYS = {"learning-record": "record", "plan-proposals": "proposals"}


def build_application() -> PathwayApplication:
    return bootstrap.build(postgres_env("programmes", os.environ))


class ProgrammesService(PathwayService):
    name = "programmes"
    application = ApplicationProvider(build_application, translators.translate)

    @rpc  # type: ignore[misc]
    def programmes_report(self) -> list[dict[str, Any]]:
        """Per programme: capacity, places in use, waiting, completed, dropped out, completion rate."""
        return [row.as_dict() for row in self.application.app.programmes_report()]  # type: ignore[attr-defined]

    @http("GET", "/reports/programmes")  # type: ignore[misc]
    def http_programmes_report(self, request: Request) -> Response:
        return json_response(200, self.programmes_report())

    @rpc  # type: ignore[misc]
    def waiting_list(self, programme_id: str) -> dict[str, Any]:
        """A programme's waiting list in the order places will be offered, or the error."""
        try:
            return {"waiting": self.application.app.waiting_list(programme_id)}  # type: ignore[attr-defined]
        except PathwayError as error:
            return error_reply(error)

    @http("GET", "/programmes/<string:programme_id>/waiting-list")  # type: ignore[misc]
    def http_waiting_list(self, request: Request, programme_id: str) -> Response:
        reply = self.waiting_list(programme_id)
        if "waiting" not in reply:
            return json_response(int(reply["status"]), {"error": reply["error"]})
        return json_response(200, reply["waiting"])

    @rpc  # type: ignore[misc]
    def learning_record(
        self,
        person_id: str,
        reader: str | None = None,
        purpose: str | None = None,
        agency: str | None = None,
        role: str | None = None,
    ) -> dict[str, Any]:
        """What the person attended and achieved, across transfers, once this read is recorded; or the error."""
        return self.about_person(person_id, decide_reader(reader, purpose, agency, role), "rpc", "learning-record")

    @http("GET", "/persons/<string:person_id>/learning-record")  # type: ignore[misc]
    def http_learning_record(self, request: Request, person_id: str) -> Response:
        reply = self.about_person(person_id, header_reader(request.headers), "http", "learning-record")
        if "record" not in reply:
            return json_response(int(reply["status"]), {k: v for k, v in reply.items() if k != "status"})
        return json_response(200, reply["record"])

    @rpc  # type: ignore[misc]
    def plan_proposals(
        self,
        person_id: str,
        reader: str | None = None,
        purpose: str | None = None,
        agency: str | None = None,
        role: str | None = None,
    ) -> dict[str, Any]:
        """For an individual plan: the open programmes meeting the person's assessed needs that they are eligible
        for, and the plans drawn up, once this read is recorded; or the error."""
        return self.about_person(person_id, decide_reader(reader, purpose, agency, role), "rpc", "plan-proposals")

    def about_person(self, person_id: str, reader: Reader, how: str, what: str) -> dict[str, Any]:
        """{"record" or "proposals": the answer} once the read of the case is recorded, or the error."""
        try:
            try:
                person = UUID(person_id)
            except ValueError:
                raise InvalidInput([FieldProblem("person_id", "must be a person id (a UUID)")]) from None
            query = getattr(self.application.app, what.replace("-", "_"))
            return {ANSWER_KEYS[what]: self.read_case(person, reader, what, how, query)}
        except PathwayError as error:
            return error_reply(error)

    @http("GET", "/persons/<string:person_id>/plan-proposals")  # type: ignore[misc]
    def http_plan_proposals(self, request: Request, person_id: str) -> Response:
        reply = self.about_person(person_id, header_reader(request.headers), "http", "plan-proposals")
        if "proposals" not in reply:
            return json_response(int(reply["status"]), {k: v for k, v in reply.items() if k != "status"})
        return json_response(200, reply["proposals"])
