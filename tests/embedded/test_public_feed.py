"""The feed of public events for agencies that subscribe late: paging a service's store gives exactly the
envelopes its relay put on the bus, in the same order, none twice, none missing, past private events."""

from __future__ import annotations

import json
from typing import Any

import pytest
from nameko.testing.services import worker_factory
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from pathway.embedded import EmbeddedSystem
from pathway.services import SERVICES
from services.intake.service import IntakeService
from services.programmes.service import ProgrammesService
from services.release.service import ReleaseService
from shared.errors import InvalidInput
from shared.eventstore.reading import head
from shared.messaging.feed import MAX_LIMIT, FeedQuery, public_events
from shared.nameko_edge import ServiceHandle
from tests import examples as ex
from tests.embedded.bus_recording import as_json, record_publishing
from tests.embedded.helpers import load
from tests.stores import BOTH_STORES

pytestmark = BOTH_STORES

SERVICE_CLASSES = {"intake": IntakeService, "programmes": ProgrammesService, "release": ReleaseService}


@pytest.fixture
def carried(system: EmbeddedSystem, monkeypatch: pytest.MonkeyPatch) -> dict[str, list[dict[str, Any]]]:
    """Every envelope the relays put on the in-process bus, per source service, as the JSON of its body."""
    bodies = record_publishing(system, monkeypatch)
    lines = ex.catalogue() + ex.custodial_pathway("F1") + ex.non_custodial_pathway("F2") + ex.left_early_pathway("F3")
    assert load(system, lines).ok
    assert all(bodies.values()), "every service published something"
    return as_json(bodies)


def feed_worker(system: EmbeddedSystem, service: str) -> Any:
    """The service's nameko class on the embedded application: its entrypoints called as plain methods."""
    handle = ServiceHandle(system.apps[service], SERVICES[service].translate)
    return worker_factory(SERVICE_CLASSES[service], application=handle)


def page_through(system: EmbeddedSystem, service: str, limit: int, types: str | None = None) -> list[dict[str, Any]]:
    """The feed's pages from the start to the head, each as the HTTP entrypoint answers it."""
    worker = feed_worker(system, service)
    pages, after = [], 0
    while True:
        query = {"after": str(after), "limit": str(limit), **({"types": types} if types else {})}
        response = worker.http_public_events(Request(EnvironBuilder(method="GET", query_string=query).get_environ()))
        assert response.status_code == 200
        page = json.loads(response.get_data(as_text=True))
        pages.append(page)
        if page["next_after"] == page["head"]:
            return pages
        assert page["next_after"] > after, "the cursor always moves while short of the head"
        after = page["next_after"]


def events_of(pages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [envelope for page in pages for envelope in page["events"]]


@pytest.mark.parametrize("limit", [1, 7, MAX_LIMIT])
def test_paging_the_feed_gives_exactly_what_the_bus_carried_in_the_same_order(
    system: EmbeddedSystem, carried: dict[str, list[dict[str, Any]]], limit: int
) -> None:
    for service in SERVICES:
        fed = events_of(page_through(system, service, limit))

        assert fed == carried[service], service  # same envelopes, same ids, same order: nothing missing, no extra
        ids = [envelope["event_id"] for envelope in fed]
        assert len(set(ids)) == len(ids), f"{service}: no event twice"
        positions = [envelope["notification_id"] for envelope in fed]
        assert positions == sorted(positions), f"{service}: in the store's order"


def test_the_cursor_moves_past_private_events(system: EmbeddedSystem, carried: dict[str, list[dict[str, Any]]]) -> None:
    for service in SERVICES:
        app = system.apps[service]
        private = head(app) - len(carried[service])
        assert private > 0, f"{service} stores events with no public form (the case under test)"

        pages = page_through(system, service, limit=1)

        assert len(pages) == head(app)  # one notification a page, public or not: never stalls
        assert [page["next_after"] for page in pages] == list(range(1, head(app) + 1))
        assert sum(1 for page in pages if not page["events"]) == private
        assert events_of(pages) == carried[service]


def test_a_type_filter_keeps_the_matching_events_and_still_reaches_the_head(
    system: EmbeddedSystem, carried: dict[str, list[dict[str, Any]]]
) -> None:
    wanted = "release.supervision.*,release.person.released"
    pages = page_through(system, "release", limit=5, types=wanted)

    kept = [e for e in carried["release"] if e["type"].startswith("release.supervision.")]
    kept += [e for e in carried["release"] if e["type"] == "release.person.released"]
    assert kept, "the filter has something to keep"
    assert events_of(pages) == sorted(kept, key=lambda e: e["notification_id"])
    assert pages[-1]["next_after"] == head(system.apps["release"])


def test_reading_past_the_head_gives_an_empty_page_that_stays_put(
    system: EmbeddedSystem, carried: dict[str, list[dict[str, Any]]]
) -> None:
    app = system.apps["intake"]
    top = head(app)

    page = public_events(app, SERVICES["intake"].translate, FeedQuery(after=top + 50))

    assert (page.events, page.next_after, page.head) == ([], top + 50, top)


@pytest.mark.parametrize(
    ("query", "fields"),
    [
        ({"after": "abc"}, ["after"]),
        ({"after": "-1"}, ["after"]),
        ({"after": "1.5"}, ["after"]),
        ({"limit": "0"}, ["limit"]),
        ({"limit": str(MAX_LIMIT + 1)}, ["limit"]),
        ({"limit": "ten"}, ["limit"]),
        ({"types": "release..released"}, ["types"]),
        ({"after": "x9secret", "limit": "-5"}, ["after", "limit"]),
    ],
)
def test_bad_paging_is_refused_naming_the_field(
    system: EmbeddedSystem, query: dict[str, str], fields: list[str]
) -> None:
    worker = feed_worker(system, "intake")

    response = worker.http_public_events(Request(EnvironBuilder(method="GET", query_string=query).get_environ()))

    body = json.loads(response.get_data(as_text=True))
    assert response.status_code == 422
    assert [problem["field"] for problem in body["errors"]] == fields
    assert "secret" not in json.dumps(body)  # the input is never echoed
    with pytest.raises(InvalidInput):  # the same refusal over RPC
        worker.public_events(query.get("after"), query.get("limit"), query.get("types"))


@pytest.mark.parametrize(
    ("after", "limit", "expected"),
    [(None, None, FeedQuery(0, 100)), (5, 1000, FeedQuery(5, 1000)), ("12", "3", FeedQuery(12, 3))],
)
def test_paging_defaults_and_numbers_from_rpc_or_query_strings(after: Any, limit: Any, expected: FeedQuery) -> None:
    assert FeedQuery.parse(after, limit) == expected


def test_rpc_refuses_a_boolean_or_a_list_as_a_number() -> None:
    with pytest.raises(InvalidInput) as refused:
        FeedQuery.parse(True, [3])
    assert [p.field for p in refused.value.problems] == ["after", "limit"]
