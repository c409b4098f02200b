"""Tamper evidence on both stores: the relay seals what it publishes, verify finds what was changed since.

Each test changes a store the way someone with write access to its database could, with plain
SQL behind the application's back, and expects `verify` to name the range that no longer matches.
"""

from __future__ import annotations

from typing import Any

import pytest
from eventsourcing.persistence import Notification

from pathway.embedded import EmbeddedSystem
from shared.eventstore.application import PathwayApplication
from shared.eventstore.reading import _is_sqlite, head
from shared.eventstore.seals import (
    Seal,
    Sealer,
    SealMismatchError,
    VerifyReport,
    notifications_between,
    read_seals,
    seals_table,
)
from shared.messaging.relay import Relay, verify_seals
from tests import examples as ex
from tests.embedded.helpers import load
from tests.stores import BOTH_STORES

pytestmark = BOTH_STORES


class Tables:
    """One service's events and seals tables, written to directly."""

    def __init__(self, app: PathwayApplication) -> None:
        self.app = app
        self.sqlite = _is_sqlite(app)
        self.names = {
            "events": app.recorder.events_table_name,  # type: ignore[attr-defined]
            "id": "rowid" if self.sqlite else "notification_id",
            "seals": seals_table(app),
        }

    def execute(self, sql: str, *params: Any) -> None:
        statement = sql.format(**self.names)
        if self.sqlite:
            statement = statement.replace("%s", "?")
        with self.app.recorder.datastore.transaction(commit=True) as cursor:  # type: ignore[attr-defined]
            cursor.execute(statement, params)

    def originator(self, notification: Notification) -> Any:
        return notification.originator_id.hex if self.sqlite else notification.originator_id  # type: ignore[union-attr]


def notifications(app: PathwayApplication) -> list[Notification]:
    return list(notifications_between(app, None, None))


def seal_covering(app: PathwayApplication, notification_id: int) -> tuple[int, int]:
    """The range of notification ids the seal covering `notification_id` vouches for."""
    previous = 0
    for seal in read_seals(app):
        if seal.up_to >= notification_id:
            return previous + 1, seal.up_to
        previous = seal.up_to
    raise AssertionError(f"notification {notification_id} is not sealed")


def altered_range(report: VerifyReport) -> tuple[int, int]:
    assert report.altered is not None, report
    return report.altered.first, report.altered.last


@pytest.fixture
def intake(system: EmbeddedSystem) -> PathwayApplication:
    """Intake's store after two people's pathways, loaded in turn so that it holds several seals."""
    load(system, ex.catalogue() + ex.custodial_pathway("A1"))
    load(system, ex.non_custodial_pathway("B1"))
    app = system.apps["intake"]
    assert len(read_seals(app)) >= 2
    return app


def a_middle_event(app: PathwayApplication) -> Notification:
    sealed = notifications(app)
    return sealed[len(sealed) // 2]


def test_a_settled_system_verifies_with_every_event_sealed(system: EmbeddedSystem, intake: PathwayApplication) -> None:
    for name, app in system.apps.items():
        report = verify_seals(app)

        assert report.intact, (name, report)
        assert report.events_checked == len(notifications(app)) == head(app) > 0
        assert report.seals_checked == len(read_seals(app)) > 0
        assert (report.sealed_up_to, report.not_yet_sealed) == (head(app), 0)
        assert report.head is not None
        assert report.head.up_to == head(app)
        assert report.head == read_seals(app)[-1]  # the last seal is the head of the whole log


def test_an_event_changed_in_place_is_reported_with_the_range_of_its_seal(intake: PathwayApplication) -> None:
    target = a_middle_event(intake)

    Tables(intake).execute("UPDATE {events} SET state = %s WHERE {id} = %s", target.state + b" ", target.id)

    report = verify_seals(intake)
    assert not report.intact
    assert altered_range(report) == seal_covering(intake, target.id)
    assert "changed, removed or added since it was sealed" in report.altered.reason  # type: ignore[union-attr]
    assert report.head is None


def test_a_deleted_event_is_reported(intake: PathwayApplication) -> None:
    target = a_middle_event(intake)

    Tables(intake).execute("DELETE FROM {events} WHERE {id} = %s", target.id)

    assert altered_range(verify_seals(intake)) == seal_covering(intake, target.id)


def test_a_forged_event_inserted_among_sealed_ones_is_reported(intake: PathwayApplication) -> None:
    model = a_middle_event(intake)  # a further event in a real person's history, below every sealed id
    tables = Tables(intake)

    tables.execute(
        "INSERT INTO {events} ({id}, originator_id, originator_version, topic, state) VALUES (%s, %s, %s, %s, %s)",
        0,
        tables.originator(model),
        model.originator_version + 1000,
        model.topic,
        model.state,
    )

    assert altered_range(verify_seals(intake)) == seal_covering(intake, 1)


def test_a_tampered_seal_is_reported(intake: PathwayApplication) -> None:
    first, second = read_seals(intake)[:2]

    Tables(intake).execute("UPDATE {seals} SET chain = %s WHERE up_to = %s", "0" * 64, second.up_to)

    assert altered_range(verify_seals(intake)) == (first.up_to + 1, second.up_to)


def test_removed_seals_are_reported_since_everything_published_was_sealed(intake: PathwayApplication) -> None:
    last = read_seals(intake)[-1]

    Tables(intake).execute("DELETE FROM {seals} WHERE up_to = %s", last.up_to)

    report = verify_seals(intake)
    assert altered_range(report) == (report.sealed_up_to + 1, last.up_to)
    assert "seals were removed" in report.altered.reason  # type: ignore[union-attr]


def test_a_kept_head_catches_a_rewrite_that_recomputed_every_seal(intake: PathwayApplication) -> None:
    kept = verify_seals(intake).head
    assert kept is not None
    target = a_middle_event(intake)
    tables = Tables(intake)

    tables.execute("UPDATE {events} SET state = %s WHERE {id} = %s", target.state + b" ", target.id)
    tables.execute("DELETE FROM {seals}")
    Sealer(intake).seal(head(intake))  # whoever can write the tables can seal them again

    assert verify_seals(intake).intact  # the seals alone cannot tell
    report = verify_seals(intake, [kept])
    assert altered_range(report) == (1, kept.up_to)
    assert "the head kept up to notification" in report.altered.reason  # type: ignore[union-attr]


def test_the_right_kept_head_verifies_and_a_wrong_one_is_reported(intake: PathwayApplication) -> None:
    kept = verify_seals(intake).head
    assert kept is not None
    earlier = read_seals(intake)[0]

    matching = verify_seals(intake, [kept, earlier])
    wrong = verify_seals(intake, [Seal(kept.up_to, "f" * 64)])

    assert matching.intact
    assert matching.expectations_checked == 2
    assert altered_range(wrong) == (1, kept.up_to)


def test_events_recorded_after_the_last_seal_are_not_yet_sealed_not_altered(
    system: EmbeddedSystem, intake: PathwayApplication
) -> None:
    kept = verify_seals(intake).head
    assert kept is not None
    for line in [ex.register_person("C1"), ex.custodial_sentence("C1")]:
        system.execute(line["service"], line["command"], line["data"])  # recorded, not yet published

    before = verify_seals(intake, [kept])
    system.settle()
    after = verify_seals(intake, [kept])

    assert before.intact
    assert before.sealed_up_to == kept.up_to
    assert before.not_yet_sealed == head(intake) - kept.up_to > 0
    assert after.intact
    assert (after.sealed_up_to, after.not_yet_sealed) == (head(intake), 0)
    assert after.expectations_checked == 1  # what an auditor kept still holds as the log grows


def test_sealing_again_what_is_sealed_is_a_no_op_unless_the_store_changed(intake: PathwayApplication) -> None:
    sealed = read_seals(intake)
    sealer = Sealer(intake)

    assert sealer.seal(sealed[1].up_to) == sealed[1]  # e.g. a relay restarted between its seal and its position
    assert read_seals(intake) == sealed

    target = notifications(intake)[sealed[0].up_to]  # the first event after the first seal
    Tables(intake).execute("DELETE FROM {events} WHERE {id} = %s", target.id)
    with pytest.raises(SealMismatchError, match=f"seal up to notification {sealed[1].up_to} no longer matches"):
        Sealer(intake).seal(sealed[1].up_to)


def test_the_relay_seals_from_the_batch_it_read_without_reading_again(
    system: EmbeddedSystem, monkeypatch: pytest.MonkeyPatch
) -> None:
    load(system, ex.catalogue())
    relay = system.relays["intake"]
    relay.sealer.last()  # the seal table is found once, then the last seal kept in memory
    system.execute("intake", "register_person", ex.register_person("A1")["data"])

    def no_second_read(*_: Any) -> Any:
        raise AssertionError("read the store again")

    monkeypatch.setattr("shared.eventstore.seals.notifications_between", no_second_read)
    assert relay.pump_once() > 0
    monkeypatch.undo()

    assert relay.sealer.last().up_to == relay.position() == head(relay.app)
    assert verify_seals(relay.app).intact


def test_a_store_published_before_sealing_is_sealed_when_its_relay_next_runs(
    system: EmbeddedSystem, intake: PathwayApplication
) -> None:
    Tables(intake).execute("DELETE FROM {seals}")
    assert not verify_seals(intake).intact  # published but not sealed

    restarted = Relay(intake, system.relays["intake"].translate, system.bus)
    assert restarted.pump() == 0  # nothing to publish, but its published log gets sealed

    report = verify_seals(intake)
    assert report.intact
    assert (report.sealed_up_to, report.seals_checked) == (head(intake), 1)
