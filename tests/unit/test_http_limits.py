"""The HTTP edge's settings and content-type rule, apart from a running server."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from werkzeug.routing import Map, Rule
from werkzeug.test import Client
from werkzeug.wrappers import Request, Response

from shared.nameko_http import DEFAULT_MAX_BODY, MAX_BODY_VARIABLE, GatedWsgiApp, is_json_content_type, max_body_bytes


@pytest.mark.parametrize(
    "content_type", ["application/json", "application/json; charset=utf-8", "Application/JSON; charset=UTF-8"]
)
def test_json_in_utf_8_is_accepted(content_type: str) -> None:
    assert is_json_content_type(content_type)


@pytest.mark.parametrize(
    "content_type",
    [
        None,
        "",
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "application/problem+json",
        "application/json; charset=latin-1",
        "application/jsonp",
    ],
)
def test_anything_else_is_refused(content_type: str | None) -> None:
    assert not is_json_content_type(content_type)


def test_the_body_limit_defaults_to_one_mebibyte_and_can_be_set() -> None:
    assert max_body_bytes({}) == DEFAULT_MAX_BODY == 1_048_576
    assert max_body_bytes({MAX_BODY_VARIABLE: " 65536 "}) == 65536


@pytest.mark.parametrize("configured", ["1MB", "-1", "0", "1e6"])
def test_a_body_limit_that_is_not_a_number_of_bytes_stops_the_start(configured: str) -> None:
    with pytest.raises(ValueError, match=MAX_BODY_VARIABLE):
        max_body_bytes({MAX_BODY_VARIABLE: configured})


class Route:
    """Stands for a bound nameko `http` entrypoint: what the gate calls once a path matches."""

    def __init__(self, respond: Callable[[Request], Response]) -> None:
        self.respond = respond

    def handle_request(self, request: Request) -> Response:
        return self.respond(request)


class Server:
    def __init__(self, routes: dict[str, Route]) -> None:
        self.routes = routes

    def make_url_map(self) -> Map:
        url_map = Map()
        for path, route in self.routes.items():
            rule = Rule(path, methods=["GET"])
            rule.endpoint = route  # type: ignore[assignment]
            url_map.add(rule)
        return url_map


def _failing(request: Request) -> Response:
    raise RuntimeError("a bug")


def gate() -> Client:
    routes = {
        # What nameko's handler answers when an entrypoint raises: text naming the exception.
        "/plain-500": Route(lambda request: Response("Error: RecursionError: maximum recursion depth\n", status=500)),
        "/plain-400": Route(lambda request: Response("Error: IncorrectSignature: x\n", status=400)),
        "/raises": Route(_failing),
        "/ok": Route(lambda request: Response("fine", status=200)),
    }
    return Client(GatedWsgiApp(Server(routes), max_body=10))


@pytest.mark.parametrize(
    ("path", "status", "reason"),
    [("/plain-500", 500, "internal error"), ("/raises", 500, "internal error"), ("/plain-400", 400, "bad request")],
)
def test_an_error_reply_that_is_not_json_becomes_json_naming_no_exception(path: str, status: int, reason: str) -> None:
    response = gate().get(path)
    assert (response.status_code, response.mimetype, response.json) == (status, "application/json", {"error": reason})


def test_a_reply_that_is_not_an_error_is_left_alone() -> None:
    assert gate().get("/ok").text == "fine"


def test_a_declared_body_over_the_limit_is_a_413() -> None:
    response = gate().get("/ok", data=b"x" * 11)
    assert (response.status_code, response.json) == (413, {"error": "request body larger than 10 bytes"})
