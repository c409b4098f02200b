"""The HTTP server every service's nameko entrypoints share, with the limits an open port needs.

nameko's own WebServer reads a body of any size, answers an unknown path or method with
werkzeug's HTML page and an entrypoint's unexpected exception with a plain-text 500 naming it.
`PathwayWebServer` puts one gate in front of every route instead, whoever declared it:

- a body larger than PATHWAY_HTTP_MAX_BODY bytes is refused with 413, before it is read;
- an unknown path is a JSON 404, a method the path does not take a JSON 405 with `Allow`;
- any error reply that is not JSON (an entrypoint's exception, a bad call) becomes a JSON one
  that names no exception: the trace stays in the log, where nameko's container writes it.
"""

from __future__ import annotations

import io
import json
import logging
import os
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from nameko.extensions import DependencyProvider
from nameko.web.server import WebServer, WsgiApp
from werkzeug.exceptions import HTTPException, MethodNotAllowed
from werkzeug.http import HTTP_STATUS_CODES, parse_options_header
from werkzeug.wrappers import Request, Response

log = logging.getLogger(__name__)

MAX_BODY_VARIABLE = "PATHWAY_HTTP_MAX_BODY"
DEFAULT_MAX_BODY = 1024 * 1024

JSON = "application/json"
StartResponse = Callable[..., Any]


def json_response(status: int, payload: Any, headers: Mapping[str, str] | None = None) -> Response:
    return Response(json.dumps(payload), status=status, headers=dict(headers or {}), mimetype=JSON)


def json_error(status: int, reason: str, headers: Mapping[str, str] | None = None) -> Response:
    return json_response(status, {"error": reason}, headers)


def max_body_bytes(environment: Mapping[str, str]) -> int:
    """The largest request body accepted, from PATHWAY_HTTP_MAX_BODY (bytes) or the default of 1 MiB."""
    configured = environment.get(MAX_BODY_VARIABLE, "").strip()
    if not configured:
        return DEFAULT_MAX_BODY
    if not configured.isdigit() or int(configured) < 1:
        # Refused at start: a typo must not leave a service without a limit, or refusing every body.
        raise ValueError(f"{MAX_BODY_VARIABLE} must be a whole number of bytes above 0")
    return int(configured)


class PathwayWebServer(WebServer):  # type: ignore[misc]
    """nameko's WebServer with the gate above; shared under WebServer's own key (see `HttpEdge`)."""

    max_body = DEFAULT_MAX_BODY

    @property
    def sharing_key(self) -> type:
        return WebServer

    def setup(self) -> None:
        self.max_body = max_body_bytes(os.environ)
        super().setup()

    def get_wsgi_app(self) -> GatedWsgiApp:
        return GatedWsgiApp(self, self.max_body)


class HttpEdge(DependencyProvider):  # type: ignore[misc]
    """Declared on a service so that every `http` entrypoint on it is served by PathwayWebServer.

    nameko's `http` entrypoints each ask for a WebServer, bound once per container under the key
    WebServer. A container binds its dependencies before its entrypoints, so the server bound here,
    under that same key, is the one they all find, including those declared with nameko's own
    `http` decorator in each service's module.
    """

    server = PathwayWebServer()

    def setup(self) -> None:
        if not isinstance(self.server, PathwayWebServer):
            raise RuntimeError("a plain nameko WebServer was bound before the HTTP edge: its limits would not apply")

    def get_dependency(self, worker_ctx: Any) -> None:
        return None


class GatedWsgiApp(WsgiApp):  # type: ignore[misc]
    def __init__(self, server: WebServer, max_body: int) -> None:
        super().__init__(server)
        self.max_body = max_body

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        try:
            response = self.respond(environ)
        except Exception:  # a bug in the gate itself: logged with its trace, answered without one
            log.exception("HTTP request failed before reaching an entrypoint")
            response = json_error(500, "internal error")
        return response(environ, start_response)  # type: ignore[no-any-return]

    def respond(self, environ: dict[str, Any]) -> Response:
        refused = self.limit_body(environ)
        if refused is not None:
            return refused
        request = Request(environ, shallow=True)
        adapter = self.url_map.bind_to_environ(environ)
        try:
            provider, values = adapter.match()
        except HTTPException as unmatched:
            return json_from_routing(unmatched, environ)
        request.path_values = values  # type: ignore[attr-defined]  # where nameko's handlers look for them
        return json_if_error(provider.handle_request(request))

    def limit_body(self, environ: dict[str, Any]) -> Response | None:
        """413 for a body over the limit, judged on Content-Length before reading, or while reading a
        chunked one (at most limit + 1 bytes are read; the rest is drained by eventlet in small
        pieces so that the client still reads the reply, and kept nowhere)."""
        too_large = json_error(413, f"request body larger than {self.max_body} bytes")
        declared = environ.get("CONTENT_LENGTH")
        if declared:
            try:
                length = int(declared)
            except ValueError:
                return json_error(400, "Content-Length is not a number")
            return too_large if length > self.max_body else None
        if environ.get("HTTP_TRANSFER_ENCODING", "").lower() != "chunked":
            return None
        body = read_at_most(environ["wsgi.input"], self.max_body + 1)
        if len(body) > self.max_body:
            return too_large
        # From here on the body is an ordinary one of known length, which werkzeug reads as such.
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        del environ["HTTP_TRANSFER_ENCODING"]
        return None


def is_json_content_type(content_type: str | None) -> bool:
    """Whether a request's Content-Type is application/json in UTF-8 (no charset means UTF-8).

    Exactly application/json: a form or text/plain body is what a web page can make a browser send
    to another site without asking, so refusing them keeps a page a member of staff visits from
    submitting commands. Structured-suffix types (application/*+json) are refused too: each names
    a format of its own (problem details, merge patches) that commands are not.
    """
    mimetype, options = parse_options_header(content_type or "")
    return mimetype.lower() == JSON and options.get("charset", "utf-8").lower() in ("utf-8", "utf8")


def read_at_most(stream: Any, limit: int) -> bytes:
    pieces: list[bytes] = []
    remaining = limit
    while remaining > 0:
        piece = stream.read(min(remaining, 64 * 1024))
        if not piece:
            break
        pieces.append(piece)
        remaining -= len(piece)
    return b"".join(pieces)


def json_from_routing(unmatched: HTTPException, environ: dict[str, Any]) -> Response:
    """werkzeug's answer for a path or method no route takes, its headers kept (Allow), as JSON."""
    response = unmatched.get_response(environ)
    reason = "no such path" if response.status_code == 404 else _status_phrase(response.status_code)
    if isinstance(unmatched, MethodNotAllowed) and unmatched.valid_methods:
        reason = f"method not allowed here (allowed: {', '.join(sorted(unmatched.valid_methods))})"
    response.set_data(json.dumps({"error": reason}))
    response.mimetype = JSON
    return response  # type: ignore[no-any-return]


def json_if_error(response: Response) -> Response:
    """An error reply an entrypoint did not write itself (nameko's plain-text one) replaced by JSON."""
    if response.status_code < 400 or response.mimetype == JSON:
        return response
    if response.status_code >= 500:
        return json_error(response.status_code, "internal error")
    return json_error(response.status_code, _status_phrase(response.status_code))


def _status_phrase(status: int) -> str:
    return HTTP_STATUS_CODES.get(status, "error").lower()
