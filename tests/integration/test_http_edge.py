"""The limits at the HTTP edge, against a running `pathway serve intake` on the real servers.

Every refusal is JSON with a bounded body, and the service still answers afterwards.
"""

from __future__ import annotations

import http.client
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests import examples as ex
from tests.integration.cluster import Cluster, free_ports, require_servers

MAX_BODY = 256 * 1024  # set lower than the default, to show the setting is read
BOUNDED_REPLY = 4096


class IntakeOnly(Cluster):
    """Only `serve intake`: the edge needs no relay or consumer."""

    def env(self) -> dict[str, str]:
        return {**super().env(), "PATHWAY_HTTP_MAX_BODY": str(MAX_BODY)}

    def wait_serving(self, timeout: float = 120.0) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                if request(self, "GET", "/health/live")[0] == 200:
                    return
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"intake did not start:\n{self.logs('serve', 'intake')}")
            time.sleep(0.2)


@pytest.fixture(scope="module")
def intake(tmp_path_factory: pytest.TempPathFactory) -> Iterator[IntakeOnly]:
    require_servers()
    running = IntakeOnly(Path(tmp_path_factory.mktemp("http-edge")), free_ports(3))
    running.create()
    try:
        running.start("serve", "intake")
        running.wait_serving()
        yield running
    finally:
        running.destroy()


def request(
    cluster: Cluster, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], bytes]:
    """(status, headers, raw body); `body` may be bytes, or an iterable of chunks sent chunked."""
    connection = http.client.HTTPConnection("127.0.0.1", cluster.ports["intake"], timeout=60)
    try:
        chunked = body is not None and not isinstance(body, bytes)
        connection.request(method, path, body=body, headers=headers or {}, encode_chunked=chunked)
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def post_command(cluster: Cluster, body: Any, content_type: str | None = "application/json") -> tuple[int, Any]:
    headers = {"Content-Type": content_type} if content_type else {}
    status, replied, raw = request(cluster, "POST", "/commands/register_person", body, headers)
    assert replied["content-type"] == "application/json"
    return status, json.loads(raw)


def test_a_body_over_the_limit_is_refused_before_it_is_read(intake: IntakeOnly) -> None:
    for size in (MAX_BODY + 1, 8 * 1024 * 1024):
        status, reply = post_command(intake, b" " * size)
        assert status == 413
        assert reply == {"error": f"request body larger than {MAX_BODY} bytes"}


def test_a_chunked_body_over_the_limit_is_refused_while_reading(intake: IntakeOnly) -> None:
    chunks = (b" " * 64 * 1024 for _ in range(MAX_BODY // (64 * 1024) + 2))
    status, reply = post_command(intake, chunks)
    assert status == 413
    assert reply == {"error": f"request body larger than {MAX_BODY} bytes"}


def test_a_body_within_the_limit_is_read_with_or_without_a_length(intake: IntakeOnly) -> None:
    registration = json.dumps(ex.register_person("EDGE-1")["data"]).encode()
    padded = registration + b" " * (MAX_BODY - len(registration))
    assert post_command(intake, padded)[0] == 200
    status, reply = post_command(intake, iter([registration[:10], registration[10:]]))
    assert (status, reply["status"]) == (200, "skipped")


def test_deep_nesting_is_a_422_naming_the_body(intake: IntakeOnly) -> None:
    status, reply = post_command(intake, b"[" * 5000 + b"]" * 5000)
    assert status == 422
    assert reply == {"errors": [{"field": "(body)", "problem": "nested deeper than 64 levels"}]}
    status, reply = post_command(intake, b'{"actor": ' * 5000 + b"1" + b"}" * 5000)
    assert status == 422


def test_invalid_utf8_is_a_422(intake: IntakeOnly) -> None:
    assert post_command(intake, b'{"given_name": "\xff"}') == (
        422,
        {"errors": [{"field": "(body)", "problem": "not valid UTF-8"}]},
    )


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", None],
)
def test_a_command_that_is_not_declared_json_is_a_415(intake: IntakeOnly, content_type: str | None) -> None:
    body = json.dumps(ex.register_person("EDGE-2")["data"]).encode()
    status, reply = post_command(intake, body, content_type)
    assert status == 415
    assert "application/json" in reply["error"]


def test_thousands_of_problems_give_a_bounded_reply_that_echoes_no_key(intake: IntakeOnly) -> None:
    long_key = "k" * 100_000
    data: dict[str, Any] = {long_key: 1, **{f"unknown_{n}": n for n in range(3000)}}
    data["identifiers"] = [{"issuer": n} for n in range(2000)]
    body = json.dumps(data).encode()
    assert 100_000 < len(body) <= MAX_BODY

    status, _, raw = request(intake, "POST", "/commands/register_person", body, {"Content-Type": "application/json"})
    assert status == 422
    assert len(raw) < BOUNDED_REPLY
    assert b"kkkk" not in raw
    assert b"unknown_" not in raw
    errors = json.loads(raw)["errors"]
    assert len(errors) == 20
    assert errors[-1]["field"] == "(more)"
    assert errors[-1]["problem"].endswith("more problems)")


def test_an_unknown_path_is_a_json_404(intake: IntakeOnly) -> None:
    status, headers, raw = request(intake, "GET", "/no/such/path/<b>here</b>")
    assert (status, headers["content-type"]) == (404, "application/json")
    assert json.loads(raw) == {"error": "no such path"}


def test_a_method_the_path_does_not_take_is_a_json_405_with_allow(intake: IntakeOnly) -> None:
    status, headers, raw = request(intake, "GET", "/commands/register_person")
    assert (status, headers["content-type"], headers["allow"]) == (405, "application/json", "POST")
    assert json.loads(raw) == {"error": "method not allowed here (allowed: POST)"}

    status, headers, raw = request(intake, "DELETE", "/health")
    assert (status, headers["content-type"]) == (405, "application/json")
    assert "GET" in headers["allow"]
    assert "<" not in raw.decode()


def test_an_unknown_command_is_a_404_that_does_not_repeat_its_name(intake: IntakeOnly) -> None:
    status, _, raw = request(intake, "POST", "/commands/" + "x" * 2000, b"{}", {"Content-Type": "application/json"})
    assert status == 404
    assert json.loads(raw) == {"error": "unknown command for intake"}


def test_the_service_still_answers_after_all_of_it(intake: IntakeOnly) -> None:
    process = intake.processes[("serve", "intake", 0)]
    assert process.poll() is None
    assert request(intake, "GET", "/health/live")[0] == 200
    # Without its relay and consumer the service is not healthy (503), but it answers, in JSON.
    status, headers, raw = request(intake, "GET", "/health")
    assert status in (200, 503)
    assert headers["content-type"] == "application/json"
    assert json.loads(raw)["service"] == "intake"
    assert "RecursionError" not in intake.logs("serve", "intake")
