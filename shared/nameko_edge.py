"""The nameko edge every service shares: RPC and HTTP entrypoints over the application, thin.

nameko and eventlet stay here and in each service's `service.py`: the domain,
the applications, the relay and the consumer never import them, so a service
can leave nameko without touching its logic (STACK.md, "Leaving nameko later").
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from nameko.extensions import DependencyProvider
from nameko.rpc import rpc
from nameko.web.handlers import http
from werkzeug.wrappers import Request, Response

from shared.errors import FieldProblem, InvalidInput, NotFound, PathwayError
from shared.eventstore.application import PathwayApplication
from shared.eventstore.reading import head, tracking_maxima
from shared.identifiers import KnownIdentifier
from shared.messaging.consumer import TrackedConsumer, watermark_name
from shared.messaging.history import person_history
from shared.messaging.relay import RELAY_TRACKING_NAME
from shared.messaging.translation import Translator

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ServiceHandle:
    """What a worker is given: the service's application and its translator."""

    app: PathwayApplication
    translate: Translator


class ApplicationProvider(DependencyProvider):  # type: ignore[misc]
    """Builds the service's application once per container, from its composition root."""

    def __init__(self, build: Callable[[], PathwayApplication], translate: Translator) -> None:
        self.build = build
        self.translate = translate
        self.handle: ServiceHandle | None = None

    def setup(self) -> None:
        self.handle = ServiceHandle(self.build(), self.translate)

    def stop(self) -> None:
        if self.handle is not None:
            self.handle.app.close()

    def get_dependency(self, worker_ctx: Any) -> ServiceHandle:
        assert self.handle is not None, "used before the container started"
        return self.handle


def error_reply(error: PathwayError) -> dict[str, Any]:
    """A refusal as data: the same shape over RPC and in HTTP bodies."""
    if isinstance(error, InvalidInput):
        problems = [{"field": p.field, "problem": p.problem} for p in error.problems]
        return {"status": error.status, "errors": problems}
    return {"status": error.status, "error": error.reason}


def raise_reply(reply: Mapping[str, Any]) -> None:
    """The client side of `error_reply`: turn a refusal back into the error it was."""
    status = reply.get("status")
    if "errors" in reply:
        raise InvalidInput([FieldProblem(p["field"], p["problem"]) for p in reply["errors"]])
    if status == 404:
        raise NotFound(reply["error"])
    error = PathwayError(reply["error"])
    error.status = int(status or 400)
    raise error


def json_response(status: int, payload: Any) -> Response:
    return Response(json.dumps(payload), status=status, mimetype="application/json")


class PathwayService:
    """Entrypoints shared by the three nameko services; each sets `name` and `application`."""

    name: str
    application: ServiceHandle

    # --- commands ---------------------------------------------------------

    @rpc  # type: ignore[misc]
    def execute(self, command: str, data: Any) -> dict[str, Any]:
        """Apply a command: {"ok": true, "result": ...} or {"ok": false, "status", "error(s)"}."""
        try:
            result = self.application.app.handle(command, data)
        except PathwayError as refused:
            return {"ok": False, **error_reply(refused)}
        return {"ok": True, "result": result.as_dict()}

    @http("POST", "/commands/<string:command>")  # type: ignore[misc]
    def http_command(self, request: Request, command: str) -> Response:
        if command not in self.application.app.commands:
            return json_response(404, {"error": f"unknown command for {self.name}: {command}"})
        try:
            data = json.loads(request.get_data(as_text=True) or "null")
        except ValueError:
            return json_response(422, {"errors": [{"field": "(body)", "problem": "not valid JSON"}]})
        try:
            reply = self.execute(command, data)
        except Exception:  # a bug: logged with its trace, reported without one
            log.exception("%s: command %s failed", self.name, command)
            return json_response(500, {"error": "internal error"})
        if reply["ok"]:
            return json_response(200, reply["result"])
        status = reply.pop("status")
        reply.pop("ok")
        return json_response(status, reply)

    # --- queries: a person's part of the pathway ---------------------------

    @rpc  # type: ignore[misc]
    def person_events(self, person_id: str) -> list[dict[str, Any]]:
        return person_history(self.application.app, self.application.translate, UUID(person_id))

    @rpc  # type: ignore[misc]
    def resolve_person(self, issuer: str, value: str) -> str | None:
        known = self.application.app.get_or_none(KnownIdentifier.id_for("national_id", issuer, value))
        return str(known.person_id) if known is not None else None

    @http("GET", "/persons/<string:person_id>/events")  # type: ignore[misc]
    def http_person_events(self, request: Request, person_id: str) -> Response:
        try:
            reference = UUID(person_id)
        except ValueError:
            return json_response(422, {"errors": [{"field": "person_id", "problem": "must be a UUID"}]})
        app = self.application.app
        if app.get_or_none(reference) is None:
            return json_response(404, {"error": "person_id: unknown person"})
        return json_response(200, self.person_events(str(reference)))

    # --- operators -----------------------------------------------------------

    @rpc  # type: ignore[misc]
    def ping(self) -> str:
        return "pong"

    @http("GET", "/health")  # type: ignore[misc]
    def http_health(self, request: Request) -> Response:
        return json_response(200, {"service": self.name, "status": "ok"})

    @rpc  # type: ignore[misc]
    def status(self) -> dict[str, Any]:
        """How far this service has got: what settling waits on, and what was set aside."""
        app = self.application.app
        consumer = TrackedConsumer(app)
        upstreams = consumer.upstreams()
        positions = tracking_maxima(app, [RELAY_TRACKING_NAME, *(watermark_name(u) for u in upstreams)])
        return {
            "head": head(app),
            "relay_position": positions[RELAY_TRACKING_NAME],
            "upstreams": upstreams,
            "watermarks": {u: positions[watermark_name(u)] for u in upstreams},
            "dead_letters": consumer.dead_letter_count(),
        }

    @rpc  # type: ignore[misc]
    def reactions(self) -> dict[str, list[str]]:
        """Public event type this service reacts to -> types its reaction may publish."""
        return {t: sorted(out) for t, out in self.application.app.reaction_outputs.items()}

    @rpc  # type: ignore[misc]
    def dead_letters(self) -> list[dict[str, Any]]:
        return [letter.as_dict() for letter in TrackedConsumer(self.application.app).dead_letters()]

    @rpc  # type: ignore[misc]
    def replay_dead_letters(self) -> dict[str, int]:
        report = TrackedConsumer(self.application.app).replay_dead_letters()
        return {"applied": report.applied, "still_failing": report.still_failing}
