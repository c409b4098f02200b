"""`pathway status` for operators: backlogs and dead letters per service, read without moving anything;
and the services' `/health` and `/status`, which say whether a service can serve."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

from nameko.testing.services import worker_factory
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from pathway.cli import main
from pathway.embedded import EmbeddedSystem
from pathway.status import embedded_statuses, remote_statuses, status_table, with_processes
from services.intake import translators
from services.intake.service import IntakeService
from shared.eventstore.reading import head
from shared.messaging.queues import QueueState
from shared.nameko_edge import ServiceHandle
from shared.service_health import ServiceFacts, problems_of
from tests import examples as ex
from tests.embedded.helpers import load
from tests.stores import BOTH_STORES

pytestmark = BOTH_STORES


def by_service(system: EmbeddedSystem) -> dict[str, dict[str, Any]]:
    return {status.service: status.as_dict() for status in embedded_statuses(system)}


def test_a_settled_system_has_no_backlog_and_counts_every_event(system: EmbeddedSystem) -> None:
    assert load(system, ex.catalogue() + ex.custodial_pathway("S1")).ok

    statuses = by_service(system)

    assert {
        name: (s["unpublished"], s["unhandled"], s["dead_letters"]) for name, s in statuses.items()
    } == dict.fromkeys(("intake", "programmes", "release"), (0, 0, 0))
    assert {name: s["head"] for name, s in statuses.items()} == {n: head(a) for n, a in system.apps.items()}


def test_backlogs_show_each_stage_a_change_waits_at(system: EmbeddedSystem) -> None:
    assert load(system, [ex.register_person("S2")]).ok
    published_before = head(system.apps["intake"])
    system.execute("intake", "record_court_decision", ex.custodial_sentence("S2")["data"])

    recorded = by_service(system)
    assert recorded["intake"]["unpublished"] == head(system.apps["intake"]) - published_before > 0
    assert recorded["release"]["unhandled"] == 0

    system.relays["intake"].pump()
    published = by_service(system)
    assert published["intake"]["unpublished"] == 0
    assert published["release"]["unhandled"] >= 1  # on the bus, waiting in release's queue

    system.settle()
    assert by_service(system)["release"]["unhandled"] == 0


def test_a_dead_letter_is_counted_where_it_waits(system: EmbeddedSystem) -> None:
    assert load(system, [ex.register_person("S3")]).ok
    release = system.consumers["release"]
    release.policies = {**release.policies, "intake.court-decision.recorded": _fails}
    system.execute("intake", "record_court_decision", ex.custodial_sentence("S3")["data"])
    system.settle()

    assert by_service(system)["release"]["dead_letters"] == 1
    assert by_service(system)["intake"]["dead_letters"] == 0


def _fails(envelope: Any, event: Any) -> Any:
    raise RuntimeError("rules table missing")


def test_the_command_line_reports_the_stores_in_a_data_folder(tmp_path: Path) -> None:
    with EmbeddedSystem(tmp_path) as system:
        assert load(system, ex.catalogue() + ex.custodial_pathway("S4")).ok
    out, err = io.StringIO(), io.StringIO()

    assert main(["status", "--data", str(tmp_path), "--format", "json"], out, err) == 0
    answer = json.loads(out.getvalue())
    rows = answer["services"]
    assert answer["rejected_commands"] is None  # no command inbox in the embedded mode
    assert all(row["commands_waiting"] is None for row in rows)
    assert [row["service"] for row in rows] == ["intake", "programmes", "release"]
    assert all(row["reachable"] and row["unpublished"] == 0 and row["head"] > 0 for row in rows)

    out = io.StringIO()
    assert main(["status", "--data", str(tmp_path)], out, err) == 0
    assert out.getvalue().splitlines()[0].split() == [
        "service",
        "events",
        "unpublished",
        "unhandled",
        "dead",
        "letters",
    ]


def test_the_command_line_refuses_a_folder_without_stores(tmp_path: Path) -> None:
    err = io.StringIO()
    assert main(["status", "--data", str(tmp_path / "none")], io.StringIO(), err) == 1
    assert "--data: no stores in" in err.getvalue()


def test_each_missing_process_is_named_with_its_queue_or_lock() -> None:
    facts = ServiceFacts(
        service="release",
        reacts=True,
        relay_running=False,
        events=QueueState(messages=7, consumers=0),
        commands=QueueState(messages=3, consumers=0),
    )

    assert problems_of(facts) == [
        "release: no relay holds its store (is `pathway relay release` running?)",
        "release: queue pathway.release has no consumer with 7 messages waiting "
        "(is `pathway consume release` running?)",
        "release: queue pathway.release.commands has 3 commands waiting and no consumer "
        "(is `pathway inbox release` running?)",
    ]
    working = ServiceFacts("release", True, True, QueueState(0, 1), QueueState(0, 0))  # an idle inbox may be absent
    assert problems_of(working) == []


def test_status_fails_naming_what_is_missing() -> None:
    answers: dict[str, dict[str, Any] | None] = {
        "intake": {"head": 4, "relay_position": 4, "upstreams": ["release"], "watermarks": {"release": 2},
                   "dead_letters": 0, "relay_running": True},
        "programmes": None,
        "release": {"head": 2, "relay_position": 2, "upstreams": ["intake"], "watermarks": {"intake": 4},
                    "dead_letters": 0, "relay_running": True},
    }  # fmt: skip
    queues = {
        "intake": QueueState(0, 1),
        "intake.commands": None,
        "programmes": QueueState(0, 1),
        "release": QueueState(5, 0),
        "release.commands": QueueState(0, 1),
    }

    statuses = {s.service: s for s in with_processes(remote_statuses(answers), answers, queues)}

    assert statuses["intake"].healthy
    assert statuses["programmes"].problems == ("programmes: did not answer (is `pathway serve programmes` running?)",)
    assert "queue pathway.release has no consumer" in statuses["release"].problems[0]
    table = status_table(list(statuses.values()))
    assert "problem: release: queue pathway.release has no consumer with 5 messages waiting" in table


def test_over_rpc_a_consumer_behind_its_upstream_and_a_silent_service_are_reported() -> None:
    answers: dict[str, dict[str, Any] | None] = {
        "intake": {"head": 40, "relay_position": 38, "watermarks": {"release": 10}, "dead_letters": 0},
        "programmes": None,  # did not answer in time
        "release": {"head": 12, "relay_position": 12, "watermarks": {"intake": 30, "programmes": 5}, "dead_letters": 2},
    }

    statuses = {s.service: s for s in remote_statuses(answers)}

    assert (statuses["intake"].unpublished, statuses["intake"].unhandled) == (2, 2)
    assert (statuses["release"].unhandled, statuses["release"].dead_letters) == (8, 2)  # programmes' backlog unknown
    assert not statuses["programmes"].reachable
    table = status_table(list(statuses.values()))
    assert "programmes   did not answer" in table
    assert "dead letters waiting in: release" in table


def test_liveness_says_whether_the_store_answers(system: EmbeddedSystem) -> None:
    service = worker_factory(IntakeService, application=ServiceHandle(system.apps["intake"], translators.translate))
    request = Request(EnvironBuilder(method="GET").get_environ())

    assert service.http_live(request).status_code == 200
    status = json.loads(service.http_status(request).get_data(as_text=True))
    assert (status["service"], status["head"], status["dead_letters"]) == ("intake", head(system.apps["intake"]), 0)

    broken = worker_factory(IntakeService, application=ServiceHandle(_StoreGone(), translators.translate))
    for check in (broken.http_live, broken.http_health):
        response = check(request)
        answer = json.loads(response.get_data(as_text=True))
        assert (response.status_code, answer["status"]) == (503, "store unavailable")


class _StoreGone:
    """An application whose database went away: every read fails."""

    @property
    def recorder(self) -> Any:
        raise ConnectionError("database unavailable")
