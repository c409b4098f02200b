"""Who is asking, over HTTP: running services behind a real OpenID provider (npm's oidc-provider).

Every request carries a bearer token from the provider, fetched by the client-credentials grant for one role.
Without a token, or with a bad one, a request is refused (401, with a challenge) and nothing is recorded; with a
role the operation does not name, 403. The whole role x operation matrix is walked and printed.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import http.client
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from werkzeug.routing import Map, Rule

from pathway.remote import RemoteSystem
from pathway.roles import operations
from pathway.services import SERVICES
from shared.auth.client import GivenToken
from shared.auth.errors import InvalidToken
from shared.auth.gate import Forbidden
from shared.errors import PathwayError
from shared.registry.roles import ROLE_ORDER
from tests import examples as ex
from tests.identity.provider import OTHER_RESOURCE, IdentityProvider
from tests.integration.cluster import Cluster, free_ports, require_servers
from tests.integration.helpers import cli


class Guarded(Cluster):
    """The three `serve` processes, each verifying tokens from the tests' identity provider."""

    def __init__(self, workdir: Path, provider: IdentityProvider) -> None:
        super().__init__(workdir, free_ports(3))
        self.provider = provider

    def env(self) -> dict[str, str]:
        # No leeway on expiry, so that a token one second old is already expired here.
        return {
            **super().env(),
            "PATHWAY_OIDC_ISSUER": self.provider.issuer,
            "PATHWAY_OIDC_AUDIENCE": "pathway",
            "PATHWAY_OIDC_LEEWAY_SECONDS": "0",
            "PATHWAY_AGENCIES_FILE": str(self.agencies_file()),
            "PATHWAY_AUTHENTICATION": "",
        }

    def agencies_file(self) -> Path:
        """agency-a (the agency client's) may send every command its role allows and read every event; agency-b
        (agency-client-other's) may only record a person's release and read release's events."""
        path = self.workdir / "agencies.toml"
        path.write_text(
            '[agencies.agency-a]\ncommands = ["#"]\nevents = ["#"]\n\n'
            '[agencies.agency-b]\ncommands = ["release.record_release"]\nevents = ["release.#"]\n'
        )
        return path


@pytest.fixture(scope="module")
def guarded(tmp_path_factory: pytest.TempPathFactory, identity_provider: IdentityProvider) -> Iterator[Guarded]:
    require_servers()
    cluster = Guarded(Path(tmp_path_factory.mktemp("guarded")), identity_provider)
    cluster.create()
    try:
        for service in SERVICES:
            cluster.start("serve", service)
        wait_serving(cluster)
        yield cluster
    finally:
        cluster.destroy()


def wait_serving(cluster: Cluster, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    for service in SERVICES:
        while True:
            try:
                if request(cluster, service, "GET", "/health/live")[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"{service} did not start:\n{cluster.logs('serve', service)}")
            time.sleep(0.2)


def request(
    cluster: Cluster,
    service: str,
    method: str,
    path: str,
    body: Any = None,
    token: str | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, str], Any]:
    connection = http.client.HTTPConnection("127.0.0.1", cluster.ports[service], timeout=60)
    sent = {**(headers or {})}
    if token is not None:
        sent["Authorization"] = f"Bearer {token}"
    if body is not None:
        sent["Content-Type"] = "application/json"
    try:
        connection.request(method, path, body=None if body is None else json.dumps(body), headers=sent)
        response = connection.getresponse()
        raw = response.read()
        answer = json.loads(raw) if raw else None
        return response.status, {k.lower(): v for k, v in response.getheaders()}, answer
    finally:
        connection.close()


def head_of(cluster: Guarded, service: str) -> int:
    status, _, body = request(cluster, service, "GET", "/status", token=cluster.provider.token("operator"))
    assert status == 200, body
    return int(body["head"])


# --- no token, bad tokens ----------------------------------------------------------------------------------


def test_without_a_token_every_way_in_answers_401_with_a_challenge(guarded: Guarded) -> None:
    for method, path, body in [
        ("POST", "/commands/register_person", ex.register_person("N1")["data"]),
        ("GET", "/events", None),
        ("GET", "/reports/occupancy?on=2025-01-01", None),
        ("GET", "/status", None),
    ]:
        status, headers, answer = request(guarded, "intake", method, path, body)
        assert status == 401, (path, answer)
        assert headers["content-type"] == "application/json"
        assert headers["www-authenticate"] == 'Bearer realm="pathway"'
        assert answer == {"error": "authentication: a bearer token is required"}
    assert request(guarded, "intake", "GET", "/health/live")[0] == 200  # what an orchestrator asks stays open


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unsigned(token: str) -> str:
    """The same claims under `alg: none`, with no signature."""
    _, payload, _ = token.split(".")
    return f"{b64(json.dumps({'alg': 'none', 'typ': 'JWT'}).encode())}.{payload}."


def hs256_with_the_public_key(token: str, provider: IdentityProvider) -> str:
    """The same claims signed with HMAC, the provider's public key (PEM) as the secret: the classic confusion."""
    header = jwt.get_unverified_header(token)
    key = next(k for k in provider.jwks()["keys"] if k["kid"] == header["kid"])
    public = jwt.PyJWK(key).key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    _, payload, _ = token.split(".")
    signing_input = f"{b64(json.dumps({'alg': 'HS256', 'typ': 'JWT', 'kid': header['kid']}).encode())}.{payload}"
    signature = hmac.new(public, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64(signature)}"


def signed_elsewhere(token: str) -> str:
    """The same claims signed by a key the provider never published."""
    claims = jwt.decode(token, options={"verify_signature": False})
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": "not-the-providers"})


def tampered(token: str) -> str:
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["roles"] = ["records-officer", "classification-approver"]
    return f"{header}.{b64(json.dumps(claims).encode())}.{signature}"


def test_each_bad_token_is_refused_and_nothing_is_recorded(guarded: Guarded) -> None:
    provider = guarded.provider
    officer = provider.token("records-officer")
    expiring = provider.token("records-officer", ttl=1)
    bad = {
        "not yet valid": provider.token("records-officer", not_before_in=600),
        "wrong audience": provider.token("records-officer", resource=OTHER_RESOURCE),
        "alg none": unsigned(officer),
        "HS256 with the public key": hs256_with_the_public_key(officer, provider),
        "unknown kid": signed_elsewhere(officer),
        "tampered payload": tampered(officer),
        "not a token": "not-a-token",
    }
    time.sleep(2.1)
    bad["expired"] = expiring
    before = head_of(guarded, "intake")

    for kind, token in bad.items():
        status, headers, answer = request(
            guarded,
            "intake",
            "POST",
            "/commands/register_person",
            ex.register_person(f"BAD-{len(kind)}")["data"],
            token,
        )
        assert status == 401, (kind, answer)
        assert headers["www-authenticate"].startswith('Bearer realm="pathway", error="invalid_token"'), kind
        assert answer["error"].startswith("authentication: "), kind

    assert head_of(guarded, "intake") == before  # nothing recorded


# --- the matrix ------------------------------------------------------------------------------------------------


def filled(rule: str) -> str:
    adapter = Map([Rule(rule, endpoint="q")]).bind("localhost")
    variables = next(iter(adapter.map.iter_rules())).arguments
    return str(adapter.build("q", {name: f"X-{name}" for name in variables}))


def test_every_role_against_every_command_and_query_over_http(
    guarded: Guarded, capsys: pytest.CaptureFixture[str]
) -> None:
    """A role an operation names gets past the gate (a command without its fields is then 422; a query answers or
    refuses its parameters); any other role gets 403. Printed as the matrix `pathway roles` declares."""
    tokens = {role: guarded.provider.token(role) for role in ROLE_ORDER}
    lines, wrong = [], []
    for op in operations():
        cells = []
        for role in ROLE_ORDER:
            if op.kind == "command":
                status = request(guarded, op.service, "POST", f"/commands/{op.name}", {}, tokens[role])[0]
            else:
                path = filled(SERVICES[op.service].queries[op.name].http_route)
                status = request(guarded, op.service, "GET", path, token=tokens[role])[0]
            let_in = status not in (401, 403)
            if let_in != (role in op.roles) or status >= 500:
                wrong.append(f"{op.service} {op.kind} {op.name} as {role}: {status}")
            cells.append(f"{status:>4}")
        lines.append(f"{op.service:<10} {op.kind:<7} {op.name:<32} {' '.join(cells)}")
    with capsys.disabled():
        print("\nrole x operation over HTTP (status per role: " + ", ".join(ROLE_ORDER) + ")")
        print("\n".join(lines))
    assert not wrong, "\n".join(wrong)


def without_actor(line: dict[str, Any]) -> dict[str, Any]:
    """A command's data as a member of staff sends it: the token says who they are."""
    return {k: v for k, v in line["data"].items() if k != "actor"}


# --- who read, from the token ----------------------------------------------------------------------------------


def test_a_read_of_a_case_is_logged_under_the_tokens_subject_not_a_claimed_name(guarded: Guarded) -> None:
    provider = guarded.provider
    status, _, reply = request(
        guarded, "intake", "POST", "/commands/register_person", without_actor(ex.register_person("R1")),
        provider.token("records-officer"),
    )  # fmt: skip
    assert status == 200, reply
    person = reply["result"]["person_id"]

    claimed = {"X-Pathway-Reader": "Chief Inspector Jane Smith", "X-Pathway-Purpose": "inspection 2026-12"}
    status, _, events = request(
        guarded, "intake", "GET", f"/persons/{person}/events", token=provider.token("auditor"), headers=claimed
    )
    assert status == 200, events
    assert request(guarded, "intake", "GET", f"/persons/{person}/events", token=provider.token("operator"))[0] == 403

    code, out, err = cli(
        "reads",
        person,
        "--amqp-uri",
        guarded.amqp_uri,
        "--format",
        "json",
        "--purpose",
        "audit",
        "--token",
        provider.token("auditor"),
    )
    assert code == 0, err
    by_http = [read for read in json.loads(out) if read["how"] == "http"]
    assert [(r["reader"], r["agency"], r["role"], r["purpose"]) for r in by_http] == [
        ("auditor", "ministry-of-justice", "auditor", "inspection 2026-12")
    ]


# --- the actor is the principal --------------------------------------------------------------------------------


def registration_actor(guarded: Guarded, person: str) -> dict[str, str]:
    status, _, events = request(
        guarded, "intake", "GET", f"/persons/{person}/events", token=guarded.provider.token("auditor"),
        headers={"X-Pathway-Purpose": "checking who entered the record"},
    )  # fmt: skip
    assert status == 200, events
    (registered,) = [event for event in events if event["type"] == "intake.person.registered"]
    return dict(registered["actor"])


def test_the_token_not_the_body_says_who_entered_a_record(guarded: Guarded) -> None:
    provider = guarded.provider
    body = without_actor(ex.register_person("T1"))
    status, _, reply = request(
        guarded, "intake", "POST", "/commands/register_person", body, provider.token("records-officer")
    )
    assert status == 200, reply

    assert registration_actor(guarded, reply["result"]["person_id"]) == {
        "id": "records-officer",
        "role": "records-officer",
        "agency": "ministry-of-justice",
    }


def test_a_body_actor_naming_someone_else_is_refused_and_nothing_is_recorded(guarded: Guarded) -> None:
    provider = guarded.provider
    before = head_of(guarded, "intake")
    body = ex.register_person("T2")["data"]
    body["actor"] = {"id": "release-service", "role": "system", "agency": "ministry-of-justice"}

    status, _, reply = request(
        guarded, "intake", "POST", "/commands/register_person", body, provider.token("records-officer")
    )

    assert (status, reply) == (403, {"error": "actor: names someone other than the token's subject and agency"})
    assert head_of(guarded, "intake") == before


def test_the_importer_keeps_each_historic_records_own_officer(guarded: Guarded) -> None:
    line = ex.register_person("T3")
    status, _, reply = request(
        guarded, "intake", "POST", "/commands/register_person", line["data"], guarded.provider.token("importer")
    )
    assert status == 200, reply

    assert registration_actor(guarded, reply["result"]["person_id"]) == {
        **line["data"]["actor"],
        "entered_by": "importer",
    }

    system_line = ex.register_person("T4")
    system_line["data"]["actor"] = {"id": "release-service", "role": "system", "agency": "pathway"}
    status, _, reply = request(
        guarded, "intake", "POST", "/commands/register_person", system_line["data"], guarded.provider.token("importer")
    )
    assert (status, reply) == (403, {"error": "actor: only the services themselves act as system actors"})


# --- another agency's token ---------------------------------------------------------------------------------------


def test_another_agencys_token_is_refused_a_command_its_agency_was_not_granted(guarded: Guarded) -> None:
    provider = guarded.provider
    before = head_of(guarded, "intake")
    body = without_actor(ex.register_person("AG1"))

    status, _, reply = request(
        guarded, "intake", "POST", "/commands/register_person", body, provider.token("agency-client-other")
    )

    assert (status, reply) == (403, {"error": "register_person: agency agency-b is not granted it here"})
    assert head_of(guarded, "intake") == before
    status, _, reply = request(
        guarded, "intake", "POST", "/commands/register_person", body, provider.token("agency-client")
    )
    assert status == 200, reply


def test_an_agency_reads_only_the_events_it_is_entitled_to_and_each_read_is_logged(guarded: Guarded) -> None:
    provider = guarded.provider
    status, _, reply = request(
        guarded, "intake", "POST", "/commands/register_person", without_actor(ex.register_person("AG2")),
        provider.token("records-officer"),
    )  # fmt: skip
    assert status == 200, reply
    person = reply["result"]["person_id"]

    status, _, page = request(guarded, "intake", "GET", "/events?limit=1000", token=provider.token("agency-client"))
    assert status == 200, page
    assert person in {event["subject"] for event in page["events"]}
    status, _, page = request(
        guarded, "intake", "GET", "/events?limit=1000", token=provider.token("agency-client-other")
    )
    assert (status, page["events"]) == (200, [])  # agency-b may read release's events only

    code, out, err = cli(
        "reads",
        person,
        "--amqp-uri",
        guarded.amqp_uri,
        "--format",
        "json",
        "--purpose",
        "audit",
        "--token",
        provider.token("auditor"),
    )
    assert code == 0, err
    feed_reads = [(r["reader"], r["agency"], r["what"]) for r in json.loads(out) if r["what"] == "feed"]
    assert ("agency-client", "agency-a", "feed") in feed_reads


# --- over RPC, and from the command line ---------------------------------------------------------------------------


def rpc_status(remote: RemoteSystem, op_service: str, kind: str, name: str) -> int:
    """The status an RPC call of the operation ends in: a refusal's, or 200 when it got past the gate."""
    proxy = remote.service(op_service)
    reply = proxy.execute(name, {}) if kind == "command" else proxy.query(name, {}, {"purpose": "the matrix"})
    return 200 if reply["ok"] else int(reply["status"])


def test_every_role_against_every_command_and_query_over_rpc(
    guarded: Guarded, capsys: pytest.CaptureFixture[str]
) -> None:
    """As over HTTP: the token travels with each call, and the service lets in exactly the roles declared."""
    lines, wrong = [], []
    remotes = {
        role: RemoteSystem(guarded.amqp_uri, token=GivenToken(guarded.provider.token(role))) for role in ROLE_ORDER
    }
    try:
        for op in operations():
            cells = []
            for role in ROLE_ORDER:
                status = rpc_status(remotes[role], op.service, op.kind, op.name)
                let_in = status not in (401, 403)
                if let_in != (role in op.roles) or status >= 500:
                    wrong.append(f"{op.service} {op.kind} {op.name} as {role}: {status}")
                cells.append(f"{status:>4}")
            lines.append(f"{op.service:<10} {op.kind:<7} {op.name:<32} {' '.join(cells)}")
    finally:
        for remote in remotes.values():
            remote.close()
    with capsys.disabled():
        print("\nrole x operation over RPC (status per role: " + ", ".join(ROLE_ORDER) + ")")
        print("\n".join(lines))
    assert not wrong, "\n".join(wrong)


def test_over_rpc_without_a_token_every_call_is_refused(guarded: Guarded) -> None:
    with RemoteSystem(guarded.amqp_uri) as anonymous:
        intake = anonymous.service("intake")
        reply = intake.execute("register_person", ex.register_person("RPC1")["data"])
        assert (reply["ok"], reply["status"], reply["error"]) == (False, 401, "a bearer token is required")
        assert intake.query("occupancy", {"on": "2025-01-01"})["status"] == 401
        with pytest.raises(InvalidToken, match="a bearer token is required"), anonymous.answering("intake", "status"):
            intake.status()
        assert intake.ping() == "pong"  # liveness stays open, as /health/live does

    staff = RemoteSystem(guarded.amqp_uri, token=GivenToken(guarded.provider.token("programme-officer")))
    refused = pytest.raises(Forbidden, match="dead letters: needs one of the roles operator")
    with staff, refused, staff.answering("intake", "dead letters"):
        staff.service("intake").dead_letters()


def test_the_command_line_asks_the_provider_for_a_token_by_the_client_credentials_grant(
    guarded: Guarded, monkeypatch: pytest.MonkeyPatch
) -> None:
    provider = guarded.provider
    status, _, reply = request(
        guarded, "intake", "POST", "/commands/register_person", without_actor(ex.register_person("CC1")),
        provider.token("records-officer"),
    )  # fmt: skip
    assert status == 200, reply
    person = reply["result"]["person_id"]

    code, _, err = cli("reads", person, "--amqp-uri", guarded.amqp_uri)
    assert (code, err.strip()) == (1, "pathway reads: a bearer token is required")

    monkeypatch.setenv("PATHWAY_OIDC_ISSUER", provider.issuer)
    monkeypatch.setenv("PATHWAY_CLIENT_ID", "auditor")
    monkeypatch.setenv("PATHWAY_CLIENT_SECRET", provider.secret("auditor"))
    monkeypatch.setenv("PATHWAY_CLIENT_SCOPE", "pathway")
    for _ in range(2):  # listing the reads is itself recorded, after the list: the second lists the first
        code, out, err = cli("reads", person, "--amqp-uri", guarded.amqp_uri, "--format", "json", "--purpose", "review")
        assert code == 0, err
    (read,) = {r["sequence"]: r for r in json.loads(out) if r["what"] == "reads" and r["service"] == "intake"}.values()
    assert (read["reader"], read["agency"], read["role"], read["purpose"]) == (
        "auditor", "ministry-of-justice", "auditor", "review"
    )  # fmt: skip

    monkeypatch.setenv("PATHWAY_CLIENT_SECRET", "not-the-secret")
    code, _, err = cli("reads", person, "--amqp-uri", guarded.amqp_uri)
    assert code == 1
    assert "the identity provider refused the client (invalid_client)" in err


def test_a_case_is_read_only_with_a_stated_purpose(guarded: Guarded) -> None:
    provider = guarded.provider
    status, _, reply = request(
        guarded, "intake", "POST", "/commands/register_person", without_actor(ex.register_person("PU1")),
        provider.token("records-officer"),
    )  # fmt: skip
    assert status == 200, reply
    path = f"/persons/{reply['result']['person_id']}/events"

    status, _, answer = request(guarded, "intake", "GET", path, token=provider.token("auditor"))

    assert (status, answer) == (
        422, {"errors": [{"field": "X-Pathway-Purpose", "problem": "required: say why this person's case is read"}]}
    )  # fmt: skip
    auditor = RemoteSystem(guarded.amqp_uri, token=GivenToken(provider.token("auditor")))
    with auditor, pytest.raises(PathwayError, match=r"reader\.purpose: required"):
        auditor.service("intake").person_events(reply["result"]["person_id"])


def test_one_identity_cannot_both_propose_and_approve_a_classification(guarded: Guarded) -> None:
    """The second-person check compares the token's subjects: holding both roles does not make one person two."""
    provider = guarded.provider
    officer, both = provider.token("records-officer"), provider.token("officer-and-approver")
    for line in (ex.register_person("CL1"), ex.custodial_sentence("CL1"), ex.admit("CL1")):
        status, _, reply = request(
            guarded, "intake", "POST", f"/commands/{line['command']}", without_actor(line), officer
        )
        assert status == 200, reply
    proposal = ex.propose_classification("CL1")
    status, _, reply = request(
        guarded, "intake", "POST", "/commands/propose_classification", without_actor(proposal), both
    )
    assert status == 200, reply
    before = head_of(guarded, "intake")

    decision = without_actor(ex.decide_classification("CL1"))
    status, _, reply = request(guarded, "intake", "POST", "/commands/decide_classification", decision, both)

    assert status == 409, reply
    assert reply["error"].startswith("decision refused: a second person decides")
    assert head_of(guarded, "intake") == before
    status, _, reply = request(
        guarded,
        "intake",
        "POST",
        "/commands/decide_classification",
        decision,
        provider.token("classification-approver"),
    )
    assert status == 200, reply
