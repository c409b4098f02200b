"""Restricted cases between running services, behind the real identity provider (npm's oidc-provider).

Intake marks the case; relays and consumers carry the restriction to programmes and release. A member of staff the
restriction does not name gets, in every service, exactly the answer an unknown person gets, and no read of theirs
is recorded; the one it names reads the case; lifting the restriction opens the case again everywhere.
"""

from __future__ import annotations

import http.client
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest

from pathway.remote import RemoteSystem
from pathway.services import SERVICES
from shared.auth.client import GivenToken
from tests import examples as ex
from tests.identity.provider import IdentityProvider
from tests.integration.cluster import require_servers
from tests.integration.test_authentication import Guarded, request, without_actor

NAMED = "auditor"  # the principal the restriction names (each staff client's subject is its client id)
OTHER = "probation-officer"  # reads cases by role, and is not named
PURPOSE = {"X-Pathway-Purpose": "checking the supervision file"}


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory, identity_provider: IdentityProvider) -> Iterator[Guarded]:
    """The three services with their relays and consumers, each verifying tokens from the provider."""
    require_servers()
    cluster = Guarded(Path(tmp_path_factory.mktemp("restricted")), identity_provider)
    cluster.create()
    try:
        cluster.start_all()
        yield cluster
    finally:
        cluster.destroy()


def raw_get(cluster: Guarded, service: str, path: str, caller: str) -> tuple[int, list[tuple[str, str]], bytes]:
    """Status, headers (but the date) and body bytes, as a client receives them."""
    connection = http.client.HTTPConnection("127.0.0.1", cluster.ports[service], timeout=60)
    headers = {"Authorization": f"Bearer {cluster.provider.token(caller)}", **PURPOSE}
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        kept = sorted((k.lower(), v) for k, v in response.getheaders() if k.lower() != "date")
        return response.status, kept, response.read()
    finally:
        connection.close()


def send(cluster: Guarded, command: str, data: dict[str, Any]) -> dict[str, Any]:
    token = cluster.provider.token("records-officer")
    status, _, reply = request(cluster, "intake", "POST", f"/commands/{command}", data, token)
    assert status == 200, reply
    return reply  # type: ignore[no-any-return]


def events_as(cluster: Guarded, service: str, person: str, caller: str) -> list[dict[str, Any]]:
    token = cluster.provider.token(caller)
    status, _, events = request(cluster, service, "GET", f"/persons/{person}/events", None, token, PURPOSE)
    assert status == 200, events
    return events  # type: ignore[no-any-return]


def settle(cluster: Guarded, timeout: float = 120.0) -> None:
    """Until every relay is at its store's head and every consumer past its upstreams' relays, seen twice alike
    (as `pathway status` decides it), asked over HTTP as the operator."""
    token = cluster.provider.token("operator")
    deadline = time.monotonic() + timeout
    previous = None
    while True:
        statuses = {service: request(cluster, service, "GET", "/status", token=token)[2] for service in SERVICES}
        if RemoteSystem.is_settled(statuses) and statuses == previous:
            return
        previous = statuses if RemoteSystem.is_settled(statuses) else None
        assert time.monotonic() < deadline, f"not settled: {statuses}"
        time.sleep(0.1)


def reads_by(cluster: Guarded, person: str, reader: str) -> dict[str, int]:
    """How many reads of the person's case each service recorded under `reader` (asked as the named auditor)."""
    with RemoteSystem(cluster.amqp_uri, token=GivenToken(cluster.provider.token(NAMED))) as auditor:
        return {
            service: sum(
                1
                for read in auditor.service(service).case_reads(person, purpose="who tried to read it")
                if read["reader"] == reader
            )
            for service in SERVICES
        }


def feed_subjects(cluster: Guarded) -> set[str]:
    """Whose events intake's public feed gives an agency's system (granted every event type)."""
    token = cluster.provider.token("agency-client")
    status, _, page = request(cluster, "intake", "GET", "/events?limit=1000", token=token)
    assert status == 200, page
    return {event["subject"] for event in page["events"]}


def test_a_restricted_case_is_an_unknown_person_to_all_but_those_named_in_every_service(running: Guarded) -> None:
    person = send(running, "register_person", without_actor(ex.register_person("RC1")))["result"]["person_id"]
    settle(running)
    for service in SERVICES:  # before: the case is read by role
        assert raw_get(running, service, f"/persons/{person}/events", OTHER)[0] == 200, service

    restriction = {"person_id": person, "grounds": "protected_identity", "may_see": [NAMED]}
    send(running, "restrict_case", restriction)
    settle(running)

    before = reads_by(running, person, OTHER)
    for service in SERVICES:
        refused = raw_get(running, service, f"/persons/{person}/events", OTHER)
        unknown = raw_get(running, service, f"/persons/{uuid4()}/events", OTHER)
        assert refused == unknown, service
        assert refused[0] == 404
        assert refused[2] == b'{"error": "person_id: unknown person"}'
        events_as(running, service, person, NAMED)  # 200 (programmes and release publish nothing of a registration)
    learning = [raw_get(running, "programmes", f"/persons/{p}/learning-record", OTHER) for p in (person, uuid4())]
    assert learning[0] == learning[1]
    assert learning[0][0] == 404
    with RemoteSystem(running.amqp_uri, token=GivenToken(running.provider.token(OTHER))) as probation:
        for service in SERVICES:
            assert probation.service(service).person_events(person, purpose="a check") == [], service
        assert probation.service("intake").resolve_person(ex.ISSUER, "RC1") is None
    assert reads_by(running, person, OTHER) == before  # no refused read is recorded
    assert person not in feed_subjects(running)  # nor does an agency's system see it in the feed

    (marked,) = [
        entry for entry in events_as(running, "intake", person, NAMED) if entry["type"] == "intake.case.restricted"
    ]
    assert marked["data"]["may_see"] == [NAMED, "records-officer"]  # whoever marks it may see it
    assert marked["actor"]["id"] == "records-officer"

    send(running, "lift_case_restriction", {"person_id": person, "reason": "the threat has passed"})
    settle(running)

    for service in SERVICES:
        assert raw_get(running, service, f"/persons/{person}/events", OTHER)[0] == 200, service
    assert person in feed_subjects(running)
    assert reads_by(running, person, OTHER) == {service: count + 1 for service, count in before.items()}
