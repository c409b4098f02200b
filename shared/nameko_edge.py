"""The nameko edge every service shares: RPC and HTTP entrypoints over the application, thin.

nameko and eventlet stay here and in each service's `service.py`: the domain,
the applications, the relay and the consumer never import them, so a service
can leave nameko without touching its logic (docs/STACK.md, "Leaving nameko later").
"""

from __future__ import annotations

import inspect
import logging
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar
from uuid import UUID

from nameko.dependency_providers import Config
from nameko.extensions import DependencyProvider
from nameko.rpc import rpc
from nameko.web.handlers import HttpRequestHandler, http
from werkzeug.exceptions import HTTPException
from werkzeug.exceptions import NotFound as NoSuchPath
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from shared.auth.agencies import AgencyPermissions
from shared.auth.errors import InvalidToken, www_authenticate
from shared.auth.gate import Forbidden, Gate, allow_command, gate_from
from shared.auth.principal import Principal
from shared.errors import FieldProblem, InvalidInput, NotFound, PathwayError, error_reply
from shared.eventstore.application import PathwayApplication
from shared.eventstore.batch import BatchLine, LineOutcome, execute_batch
from shared.eventstore.read_log import case_reads_in, read_recorded, record_reads
from shared.eventstore.reading import reachable
from shared.eventstore.receipts import CommandReceipt
from shared.eventstore.seals import Seal
from shared.identifiers import KnownIdentifier
from shared.json_body import parse_json_body
from shared.messaging import feed
from shared.messaging.catching_up import LONGEST_WAIT, caught_up
from shared.messaging.consumer import Operator, TrackedConsumer
from shared.messaging.history import person_history
from shared.messaging.relay import verify_seals
from shared.messaging.translation import Translator
from shared.nameko_http import HttpEdge, is_json_content_type, json_from_routing, json_response
from shared.reader import HEADERS as READER_HEADERS
from shared.reader import Reader, decide_reader, header_reader
from shared.registry.queries import Queries, Query, ask
from shared.registry.roles import (
    AGENCY_CLIENT,
    CASE_READERS,
    DEAD_LETTER_HANDLERS,
    FEED_READERS,
    IMPORTER,
    PERSON_RESOLVERS,
    ROLES,
    STATUS_READERS,
    STORE_VERIFIERS,
)
from shared.restriction import hidden_in, may_see, without_restricted
from shared.service_health import problems_of, progress_of, service_facts

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True)
class ServiceHandle:
    """What a worker is given: the service's application, its translator, the gate at its edge, and what each
    agency's system is granted here."""

    app: PathwayApplication
    translate: Translator
    gate: Gate = field(default_factory=Gate)
    agencies: AgencyPermissions = field(default_factory=AgencyPermissions)


class ApplicationProvider(DependencyProvider):  # type: ignore[misc]
    """Builds the service's application once per container, from its composition root."""

    def __init__(self, build: Callable[[], PathwayApplication], translate: Translator) -> None:
        self.build = build
        self.translate = translate
        self.handle: ServiceHandle | None = None

    def setup(self) -> None:
        app = self.build()
        gate = gate_from(os.environ, app.service)
        self.handle = ServiceHandle(app, self.translate, gate, AgencyPermissions.from_environ(os.environ))

    def stop(self) -> None:
        if self.handle is not None:
            self.handle.app.close()

    def get_dependency(self, worker_ctx: Any) -> ServiceHandle:
        assert self.handle is not None, "used before the container started"
        return self.handle


# The RPC context key (AMQP header `nameko.authorization`) a caller's `Bearer <token>` travels under.
AUTHORIZATION = "authorization"


class CallerToken(DependencyProvider):  # type: ignore[misc]
    """The `Authorization` value an RPC call carries in its context; None when it carries none."""

    def get_dependency(self, worker_ctx: Any) -> str | None:
        value = worker_ctx.data.get(AUTHORIZATION)
        return value if isinstance(value, str) else None


QUERY_ROUTE = "/<path:path>"
# What a read of a case answers for a person this service does not know, and so, word for word, for a restricted
# case its reader may not see: its existence is not revealed.
UNKNOWN_PERSON = "person_id: unknown person"
OTHER_ROUTE = "(another route)"
_ROUTES: dict[tuple[type, int], Map] = {}


def query_routes(queries: Queries, service: type | None = None) -> Map:
    """The werkzeug routes of a service's queries, each rule's endpoint the query's name (made once). With the
    nameko service class, its other HTTP routes too, so that a path one of them takes by another method is told
    apart (405 and the methods it takes) from a path no route takes (404)."""
    key = (service or object, id(queries))
    routes = _ROUTES.get(key)
    if routes is None:
        rules = [Rule(query.http_route, endpoint=name, methods=["GET"]) for name, query in queries.items()]
        for _, member in inspect.getmembers(service or object):
            for entrypoint in getattr(member, "nameko_entrypoints", ()):
                if isinstance(entrypoint, HttpRequestHandler) and entrypoint.url != QUERY_ROUTE:
                    rules.append(Rule(entrypoint.url, endpoint=OTHER_ROUTE, methods=entrypoint.method.split(",")))
        routes = _ROUTES.setdefault(key, Map(rules))
    return routes


def _reader_fields(reader: Any) -> dict[str, Any]:
    """The reader an RPC call states, its fields as given (shared/reader.py decides what is kept)."""
    if reader is None:
        return {"stated": None}
    if not isinstance(reader, Mapping):
        raise InvalidInput([FieldProblem("reader", "must be an object: reader, purpose, agency, role")])
    fields = {key: reader.get(key) for key in ("purpose", "agency", "role")}
    if any(value is not None and not isinstance(value, str) for value in (reader.get("reader"), *fields.values())):
        raise InvalidInput([FieldProblem("reader", "reader, purpose, agency and role must be text")])
    return {"stated": reader.get("reader"), **fields}


def acting_as(principal: Principal | None, data: Any) -> Any:
    """The command's data with its actor taken from the token: the caller is who entered the record.

    A body actor that names someone else (another id or agency) is refused (403). The importer, migrating an
    agency's history, keeps each record's own officer (never a system actor: only the services act as those), and
    is kept as who entered it (`entered_by`). Through an open edge the body's actor stands as given.
    """
    if principal is None or not isinstance(data, dict):
        return data
    given = data.get("actor")
    if IMPORTER in principal.roles:
        if isinstance(given, dict) and given.get("role") == "system":
            raise Forbidden("actor: only the services themselves act as system actors")
        return data
    if isinstance(given, dict) and (given.get("id"), given.get("agency")) != (principal.subject, principal.agency):
        raise Forbidden("actor: names someone other than the token's subject and agency")
    token_actor = {"id": principal.subject, "role": ",".join(sorted(principal.roles)), "agency": principal.agency}
    return {**data, "actor": token_actor}


def principal_reader(principal: Principal, purpose: str | None, purpose_field: str) -> Reader:
    """The reader of a case a token names, with the purpose stated for this read: required, as nobody reads a
    person's case without a reason an auditor can later weigh."""
    reader = decide_reader(principal.subject, purpose, principal.agency, ",".join(sorted(principal.roles)))
    if reader.purpose is None:
        raise InvalidInput([FieldProblem(purpose_field, "required: say why this person's case is read")])
    return reader


def _operator_of(principal: Principal | None, stated: Any) -> Any:
    """The operator an act on dead letters is recorded under: the token's, else as stated (an open gate)."""
    if principal is None:
        return stated
    return {"id": principal.subject, "agency": principal.agency or "unknown"}


def entered_by(principal: Principal | None) -> str | None:
    """Who entered a record whose body names its original officer: the importer's subject (None otherwise, as
    every other caller is the record's actor)."""
    return principal.subject if principal is not None and IMPORTER in principal.roles else None


def _line_outcome(outcome: LineOutcome) -> dict[str, Any]:
    if outcome.error is not None:
        return _error_outcome(outcome.error)
    assert outcome.result is not None
    return {"ok": True, **outcome.result.as_dict(), "position": outcome.position}


def _error_outcome(error: PathwayError) -> dict[str, Any]:
    return {"ok": False, **error_reply(error)}


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


class PathwayService:
    """Entrypoints shared by the three nameko services; each sets `name` and `application`."""

    name: str
    application: ServiceHandle
    # Puts every HTTP route of the service, its own report routes too, behind the edge's limits.
    http_edge = HttpEdge()
    config = Config()
    caller = CallerToken()

    def let_in(
        self, request: Request, roles: Iterable[str], operation: str
    ) -> tuple[Principal | None, Response | None]:
        """Who asks (None through an open gate), or the 401, 403 or 503 that keeps the request out (JSON, naming
        the reason)."""
        gate = self.application.gate
        try:
            principal = gate.principal(request.headers.get("Authorization"))
            gate.allow(principal, roles, operation)
        except InvalidToken as unknown:
            challenge = www_authenticate(unknown if request.headers.get("Authorization") else None)
            body = {"error": f"authentication: {unknown.reason}"}
            return None, json_response(401, body, headers={"WWW-Authenticate": challenge})
        except PathwayError as refusal:  # Forbidden, or the provider's keys could not be had
            return None, json_response(refusal.status, {"error": refusal.reason})
        return principal, None

    def refused(self, request: Request, roles: Iterable[str], operation: str) -> Response | None:
        return self.let_in(request, roles, operation)[1]

    def rpc_caller(self, roles: Iterable[str], operation: str) -> Principal | None:
        """Who makes this RPC call (None through an open gate); InvalidToken (401), Forbidden (403) or
        IdentityProviderUnavailable (503) otherwise, as over HTTP."""
        gate = self.application.gate
        principal = gate.principal(self.caller)
        gate.allow(principal, roles, operation)
        return principal

    def admit_command(self, principal: Principal | None, command: str) -> None:
        """Forbidden unless the principal may send this command here (its roles, its agency's grant)."""
        handle = self.application
        roles = handle.app.handlers.roles(handle.app.commands[command])
        allow_command(principal, roles, handle.agencies, handle.app.service, command)

    def rpc_reader(self, principal: Principal | None, stated: Reader) -> Reader:
        """Who reads a case over RPC: the token's principal with the purpose stated (required); else as stated."""
        if principal is None:
            return stated
        return principal_reader(principal, stated.purpose, "reader.purpose")

    @staticmethod
    def reader_of(request: Request, principal: Principal | None) -> Reader:
        """Who reads a case: the token's subject, agency and roles where there is one, with the purpose the
        request must state in X-Pathway-Purpose (InvalidInput without one); else, through an open gate, as the
        request states it."""
        if principal is None:
            return header_reader(request.headers)
        return principal_reader(principal, request.headers.get(READER_HEADERS["purpose"]), READER_HEADERS["purpose"])

    # --- commands ---------------------------------------------------------

    @rpc  # type: ignore[misc]
    def execute(self, command: str, data: Any) -> dict[str, Any]:
        """Apply a command: {"ok": true, "result": ...} or {"ok": false, "status", "error(s)"}; the caller's token
        decides whether it may, and who entered the record."""
        try:
            principal = self.application.gate.principal(self.caller)
            if isinstance(command, str) and command in self.application.app.commands:
                self.admit_command(principal, command)
            data = acting_as(principal, data)
        except PathwayError as refused:
            return {"ok": False, **error_reply(refused)}
        return self.apply(command, data, entered_by(principal))

    def apply(self, command: Any, data: Any, by: str | None = None) -> dict[str, Any]:
        """The command applied, its caller already let in; `by` entered a record its body's actor recorded."""
        try:
            result = self.application.app.handle(command, data, by)
        except PathwayError as refused:
            return {"ok": False, **error_reply(refused)}
        return {"ok": True, "result": result.as_dict()}

    @rpc  # type: ignore[misc]
    def execute_batch(self, lines: Any) -> dict[str, Any]:
        """Apply a batch of commands in one transaction (shared/eventstore/batch.py): {"ok": true, "outcomes": [one
        per line, in order]}, each as `execute` replies plus the line's `position` in this store. The caller's
        token is checked once for the batch, and for each line as `execute` checks it."""
        app = self.application.app
        principal = self.rpc_caller(app.handlers.senders(), "a batch of commands")
        if not isinstance(lines, list) or not all(isinstance(line, dict) for line in lines):
            raise InvalidInput([FieldProblem("lines", "must be a list of objects with command and data")])
        refused: dict[int, PathwayError] = {}
        admitted: list[tuple[int, BatchLine]] = []
        for index, line in enumerate(lines):
            try:
                admitted.append((index, self.admitted_line(principal, line)))
            except PathwayError as refusal:
                refused[index] = refusal
        outcomes = dict(zip((i for i, _ in admitted), execute_batch(app, [line for _, line in admitted]), strict=True))
        return {
            "ok": True,
            "outcomes": [
                _error_outcome(refused[i]) if i in refused else _line_outcome(outcomes[i]) for i in range(len(lines))
            ],
        }

    def admitted_line(self, principal: Principal | None, line: Mapping[str, Any]) -> BatchLine:
        """A batch's line as the caller may send it (Forbidden otherwise), its actor taken from the token."""
        command, group = line.get("command"), line.get("group")
        if not isinstance(command, str):
            raise InvalidInput([FieldProblem("command", "must be the name of a command")])
        if group is not None and (not isinstance(group, str) or not 0 < len(group) <= 200):
            raise InvalidInput([FieldProblem("group", "must be a string of 1 to 200 characters")])
        if command in self.application.app.commands:
            self.admit_command(principal, command)
        return BatchLine(command, acting_as(principal, line.get("data")), entered_by(principal), group)

    @rpc  # type: ignore[misc]
    def caught_up(self, after: Any, timeout: Any = LONGEST_WAIT) -> dict[str, Any]:
        """Wait until this service has handled its upstreams' events up to the positions in `after` (or `timeout`
        seconds pass): shared/messaging/catching_up.py."""
        app = self.application.app
        self.rpc_caller(app.handlers.senders() | STATUS_READERS, "whether reactions caught up")
        return caught_up(app, after, timeout)

    @rpc  # type: ignore[misc]
    def command_receipt(self, command_id: Any) -> dict[str, Any] | None:
        """{"command", "result"} of the command applied here with this command_id, or None: how a caller
        whose reply was lost learns whether the command was applied (the receipt is saved with its effects)."""
        app = self.application.app
        self.rpc_caller(app.handlers.senders(), "a command's receipt")
        if not isinstance(command_id, str) or not 0 < len(command_id) <= 200:
            raise InvalidInput([FieldProblem("command_id", "must be a command id, 1 to 200 characters")])
        receipt = app.get_or_none(CommandReceipt.id_for(app.service, command_id))
        return None if receipt is None else {"command": receipt.command, "result": dict(receipt.result)}

    @http("POST", "/commands/<string:command>")  # type: ignore[misc]
    def http_command(self, request: Request, command: str) -> Response:
        app = self.application.app
        if command not in app.commands:
            return json_response(404, {"error": f"unknown command for {self.name}"})
        principal, kept_out = self.let_in(request, app.handlers.roles(app.commands[command]), command)
        if kept_out is not None:
            return kept_out
        try:
            self.admit_command(principal, command)
        except Forbidden as refused:
            return json_response(403, {"error": refused.reason})
        if not is_json_content_type(request.headers.get("Content-Type")):
            return json_response(415, {"error": "commands are accepted only as application/json (UTF-8)"})
        try:
            data = acting_as(principal, parse_json_body(request.get_data()))
        except InvalidInput as refused:
            return json_response(422, {"errors": error_reply(refused)["errors"]})
        except Forbidden as refused:
            return json_response(403, {"error": refused.reason})
        try:
            reply = self.apply(command, data, entered_by(principal))
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
    def person_events(
        self,
        person_id: str,
        reader: str | None = None,
        purpose: str | None = None,
        agency: str | None = None,
        role: str | None = None,
    ) -> list[dict[str, Any]]:
        """The person's events here, once this read of their case is recorded (reader and purpose as stated); none,
        and no read recorded, for a case the caller may not see, as for a person unknown here."""
        principal = self.rpc_caller(CASE_READERS, "a person's events")
        person = UUID(person_id)
        stated = self.rpc_reader(principal, decide_reader(reader, purpose, agency, role))
        app = self.application.app
        return self.read_known_case(
            person, principal, stated, "replay", lambda person: person_history(app, self.application.translate, person)
        )

    @rpc  # type: ignore[misc]
    def case_reads(
        self,
        person_id: str,
        reader: str | None = None,
        purpose: str | None = None,
        agency: str | None = None,
        role: str | None = None,
    ) -> list[dict[str, Any]]:
        """Who read the person's case here; listing them is itself a read, recorded after (as "reads"); none, and no
        read recorded, for a case the caller may not see, as for a person unknown here."""
        principal = self.rpc_caller(CASE_READERS, "who read a case")
        person = UUID(person_id)
        stated = self.rpc_reader(principal, decide_reader(reader, purpose, agency, role))
        app = self.application.app
        reads = self.read_known_case(person, principal, stated, "reads", lambda person: case_reads_in(app, person))
        return [read.as_dict() for read in reads]

    def read_case(self, person: UUID, reader: Reader, what: str, how: str, read: Callable[[UUID], T]) -> T:
        """Every read of a case goes through here: answered only once recorded in this service's read log."""
        return read_recorded(self.application.app, person, reader, what, how, lambda: read(person))

    def read_known_case(
        self, person: UUID, principal: Principal | None, reader: Reader, what: str, read: Callable[[UUID], list[T]]
    ) -> list[T]:
        """A read of a case over RPC: nothing, and nothing recorded, for a case the caller may not see, and alike for
        a person this service holds nothing of (no record, and nothing the read would give), so that the read log
        cannot tell the two apart either; else as `read_case`."""
        app = self.application.app
        if not may_see(app, person, principal):
            return []
        answer = read(person)
        if not answer and app.get_or_none(person) is None:
            return []
        return self.read_case(person, reader, what, "rpc", lambda _: answer)

    def check_case_visible(self, query: Query, params: Any, principal: Principal | None) -> None:
        """NotFound, as an unknown person's read of a case is answered, when the case a query reads is one the
        caller may not see; raised before the read is recorded. Parameters the query would refuse are left to it,
        so that they are refused alike whoever the person is."""
        if not query.reads_case:
            return
        try:
            person = query.parse(params).person_id
        except InvalidInput:
            return
        if not may_see(self.application.app, person, principal):
            raise NotFound(UNKNOWN_PERSON)

    @rpc  # type: ignore[misc]
    def resolve_person(self, issuer: str, value: str) -> str | None:
        """The person id a national id names here, or None; None too for a restricted case the caller may not see
        (the importer, which links the lines it migrates and reads no case, is told)."""
        principal = self.rpc_caller(PERSON_RESOLVERS, "which record a national id belongs to")
        app = self.application.app
        known = app.get_or_none(KnownIdentifier.id_for("national_id", issuer, value))
        if known is None:
            return None
        importer = principal is not None and IMPORTER in principal.roles
        return str(known.person_id) if importer or may_see(app, known.person_id, principal) else None

    @http("GET", "/persons/<string:person_id>/events")  # type: ignore[misc]
    def http_person_events(self, request: Request, person_id: str) -> Response:
        principal, kept_out = self.let_in(request, CASE_READERS, "a person's events")
        if kept_out is not None:
            return kept_out
        try:
            reference = UUID(person_id)
        except ValueError:
            return json_response(422, {"errors": [{"field": "person_id", "problem": "must be a UUID"}]})
        app = self.application.app
        if app.get_or_none(reference) is None or not may_see(app, reference, principal):
            return json_response(404, {"error": UNKNOWN_PERSON})
        try:
            reader = self.reader_of(request, principal)
        except InvalidInput as refused:
            return json_response(422, {"errors": error_reply(refused)["errors"]})
        history = self.read_case(
            reference, reader, "replay", "http", lambda person: person_history(app, self.application.translate, person)
        )
        return json_response(200, history)

    # --- the service's queries: one RPC and one route shape, from its registry ------

    @rpc  # type: ignore[misc]
    def query(self, name: Any, params: Any = None, reader: Any = None) -> dict[str, Any]:
        """Answer one of the service's queries (shared/registry/queries.py): {"ok": true, "answer": ...} or
        {"ok": false, "status", "error(s)"}. `reader` ({reader, purpose, agency, role}) states who reads a case."""
        app = self.application.app
        try:
            principal = self.application.gate.principal(self.caller)
            query = app.queries.named(name)
            self.application.gate.allow(principal, query.roles, query.name)
            stated = self.rpc_reader(principal, decide_reader(**_reader_fields(reader))) if query.reads_case else None
            self.check_case_visible(query, params, principal)
            roles = principal.roles if principal is not None else None
            answer = ask(app, query, params, stated, "rpc", roles)
            return {"ok": True, "answer": answer if query.reads_case else without_restricted(app, answer, principal)}
        except PathwayError as refused:
            return {"ok": False, **error_reply(refused)}

    @http("GET,POST,PUT,PATCH,DELETE", QUERY_ROUTE)  # type: ignore[misc]
    def http_query(self, request: Request, path: str) -> Response:
        """Every query's route (a report's /reports/NAME by default); any other path a JSON 404, or a JSON 405
        naming the methods the path takes."""
        app = self.application.app
        try:
            name, values = query_routes(app.queries, type(self)).bind_to_environ(request.environ).match()
        except HTTPException as unmatched:
            return json_from_routing(unmatched, request.environ)
        if name == OTHER_ROUTE:  # that route's own entrypoint answers it; reached only if nameko did not
            return json_from_routing(NoSuchPath(), request.environ)
        query = app.queries[name]
        principal, kept_out = self.let_in(request, query.roles, name)
        if kept_out is not None:
            return kept_out
        params = {**request.args.to_dict(), **values}
        try:
            reader = self.reader_of(request, principal) if query.reads_case else None
            self.check_case_visible(query, params, principal)
            roles = principal.roles if principal is not None else None
            answer = ask(app, query, params, reader, "http", roles)
            return json_response(200, answer if query.reads_case else without_restricted(app, answer, principal))
        except InvalidInput as refused:
            return json_response(422, {"errors": error_reply(refused)["errors"]})
        except PathwayError as refused:
            reply = error_reply(refused)
            return json_response(reply.pop("status"), reply)

    # --- agencies: the public events so far, for those that subscribe late ----

    @rpc  # type: ignore[misc]
    def public_events(self, after: Any = 0, limit: Any = None, types: Any = None) -> dict[str, Any]:
        """{"events": [envelope...], "next_after", "head"}; bad paging raises InvalidInput."""
        principal = self.rpc_caller(FEED_READERS, "the public events")
        return self.feed_page(principal, after, limit, types, "rpc")

    def feed_page(self, principal: Principal | None, after: Any, limit: Any, types: Any, how: str) -> dict[str, Any]:
        """A page of the public events, as much of it as the caller is entitled to; each person whose events it
        holds has the read recorded under the caller (a bulk read, "feed"), before the page is given."""
        handle = self.application
        query = feed.FeedQuery.parse(after, limit, types)
        entitled = None
        if principal is not None and principal.roles & FEED_READERS == {AGENCY_CLIENT}:
            agency = principal.agency
            entitled = lambda event_type: handle.agencies.may_read(agency, event_type)  # noqa: E731
        page = feed.public_events(handle.app, handle.translate, query, entitled)
        if principal is None:
            return page.as_dict()
        # A restricted case's events are passed over as the entitled types are: its existence is not told.
        hidden = hidden_in(handle.app, principal, {str(e.subject) for e in page.events if e.subject is not None})
        page = replace(page, events=[e for e in page.events if str(e.subject) not in hidden])
        reader = decide_reader(principal.subject, None, principal.agency, ",".join(sorted(principal.roles)))
        people = {envelope.subject for envelope in page.events if envelope.subject is not None}
        record_reads(handle.app, sorted(people, key=str), reader, "feed", how)
        return page.as_dict()

    @http("GET", "/events")  # type: ignore[misc]
    def http_public_events(self, request: Request) -> Response:
        principal, kept_out = self.let_in(request, FEED_READERS, "the public events")
        if kept_out is not None:
            return kept_out
        args = request.args
        try:
            page = self.feed_page(principal, args.get("after"), args.get("limit"), args.get("types"), "http")
        except InvalidInput as refused:
            return json_response(422, {"errors": error_reply(refused)["errors"]})
        return json_response(200, page)

    # --- operators -----------------------------------------------------------

    @rpc  # type: ignore[misc]
    def ping(self) -> str:
        return "pong"

    @http("GET", "/health/live")  # type: ignore[misc]
    def http_live(self, request: Request) -> Response:
        """This process can serve: its store answers. What a liveness or container health check should ask, so
        that an orchestrator restarts this process, not it for another process's trouble."""
        if not self._store_answers():
            return json_response(503, {"service": self.name, "status": "store unavailable"})
        return json_response(200, {"service": self.name, "status": "ok"})

    @http("GET", "/health")  # type: ignore[misc]
    def http_health(self, request: Request) -> Response:
        """The service as a whole does its work: its store answers, a relay publishes from it, a consumer reads its
        events queue, and commands waiting for it have an inbox. 503 names each part missing."""
        if not self._store_answers():
            return json_response(503, {"service": self.name, "status": "store unavailable"})
        problems = self._service_problems()
        if problems:
            return json_response(503, {"service": self.name, "status": "degraded", "problems": problems})
        return json_response(200, {"service": self.name, "status": "ok"})

    def _store_answers(self) -> bool:
        try:
            reachable(self.application.app)
        except Exception:  # noqa: BLE001 - any failure to read the store is "unhealthy", logged without data
            log.warning("%s: health check could not read the store", self.name)
            return False
        return True

    def _service_problems(self) -> list[str]:
        app = self.application.app
        uri = self.config.get("AMQP_URI") if hasattr(self.config, "get") else None
        if not isinstance(uri, str):
            return [f"{self.name}: no broker configured (AMQP_URI)"]
        try:
            facts = service_facts(app, uri, reacts=bool(TrackedConsumer(app).upstreams()))
        except Exception:  # the broker or the lock table unreadable: reported, not raised
            log.warning("%s: health check could not ask the broker", self.name, exc_info=True)
            return [f"{self.name}: the broker did not answer"]
        return problems_of(facts)

    @http("GET", "/status")  # type: ignore[misc]
    def http_status(self, request: Request) -> Response:
        kept_out = self.refused(request, STATUS_READERS, "status")
        if kept_out is not None:
            return kept_out
        return json_response(200, {"service": self.name, **self.progress()})

    @rpc  # type: ignore[misc]
    def status(self) -> dict[str, Any]:
        """How far this service has got: what settling waits on, and what was set aside."""
        self.rpc_caller(STATUS_READERS, "status")
        return self.progress()

    def progress(self) -> dict[str, Any]:
        return progress_of(self.application.app)

    @rpc  # type: ignore[misc]
    def reactions(self) -> dict[str, list[str]]:
        """Public event type this service reacts to -> types its reaction may publish."""
        self.rpc_caller(ROLES, "the service's reactions")
        return {t: sorted(out) for t, out in self.application.app.reaction_outputs.items()}

    @rpc  # type: ignore[misc]
    def commands_across_people(self) -> list[str]:
        """The commands whose outcome can depend on reactions about other people (shared/registry/commands.py)."""
        self.rpc_caller(ROLES, "the commands across people")
        return sorted(self.application.app.commands_across_people())

    @rpc  # type: ignore[misc]
    def dead_letters(self) -> list[dict[str, Any]]:
        self.rpc_caller(DEAD_LETTER_HANDLERS, "dead letters")
        return [letter.as_dict() for letter in TrackedConsumer(self.application.app).dead_letters()]

    @rpc  # type: ignore[misc]
    def replay_dead_letters(self, operator: Any = None) -> dict[str, int]:
        """Apply the set-aside messages again; `operator` ({id, agency}) is recorded with each one applied (the
        token's subject and agency, when there is a token)."""
        principal = self.rpc_caller(DEAD_LETTER_HANDLERS, "replaying dead letters")
        operator = _operator_of(principal, operator)
        by = Operator.from_dict(operator) if operator is not None else None
        return TrackedConsumer(self.application.app).replay_dead_letters(by).as_dict()

    @rpc  # type: ignore[misc]
    def discard_dead_letter(self, event_id: Any, reason: Any, operator: Any) -> dict[str, int]:
        """Set one dead letter aside for good, with who and why; the subject's held messages then flow."""
        operator = _operator_of(self.rpc_caller(DEAD_LETTER_HANDLERS, "discarding a dead letter"), operator)
        problems = []
        if not isinstance(event_id, str) or not 0 < len(event_id) <= 200:
            problems.append(FieldProblem("event_id", "must be a dead letter's id, as listed"))
        if not isinstance(reason, str) or not 0 < len(reason.strip()) <= 500:
            problems.append(FieldProblem("reason", "must say why, in 1 to 500 characters"))
        if problems:
            raise InvalidInput(problems)
        consumer = TrackedConsumer(self.application.app)
        return consumer.discard(event_id, reason.strip(), Operator.from_dict(operator)).as_dict()

    # --- auditors ----------------------------------------------------------------

    @rpc  # type: ignore[misc]
    def verify_store(self, expected: list[list[Any]] | None = None) -> dict[str, Any]:
        """This store checked against its seals and the [notification id, chain] heads an auditor kept."""
        self.rpc_caller(STORE_VERIFIERS, "verifying the store")
        kept = [Seal(int(up_to), str(chain)) for up_to, chain in expected or []]
        return verify_seals(self.application.app, kept).as_dict()
