"""Every consumer, for every event type it reacts to: handled, ignored when it comes again, and rejected to a
dead letter naming the field when its payload is bad (one test per handler outcome). The events
are the real ones a cohort publishes, with the corrections, merges and transfers it lacks added."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from uuid import uuid4

import pytest

from pathway.cohort import demo_cohort
from pathway.embedded import EmbeddedSystem
from shared.contracts.envelope import Envelope
from shared.eventstore.reading import head
from shared.messaging.consumer import Handled
from tests import examples as ex
from tests.embedded.helpers import load
from tests.embedded.test_admission_record import in_error as admission_in_error
from tests.embedded.test_custody_rules import transfer
from tests.embedded.test_identity import add_identifier, merge
from tests.embedded.test_release_in_error import in_error as release_in_error
from tests.embedded.test_reliability import published_envelopes
from tests.embedded.test_temporary_absence import absence, back
from tests.stores import STORES, PostgresStores

REACTIONS = [
    (consumer, event_type)
    for consumer, types in {
        "intake": ["release.person.released", "release.recall.executed", "release.release.recorded-in-error"],
        "programmes": [
            "intake.person.registered", "intake.person.admitted", "intake.person.transferred",
            "intake.admission.recorded-in-error", "intake.classification.decided", "intake.identifier.added",
            "intake.temporary-absence.started", "intake.temporary-absence.ended",
            "intake.persons.merged", "intake.persons.unmerged", "release.person.released", "release.recall.executed",
            "release.release-dates.calculated", "release.supervision.started", "release.supervision.completed",
            "intake.case.restricted", "intake.case.restriction-lifted",
        ],
        "release": [
            "intake.person.registered", "intake.court-decision.recorded", "intake.person.admitted",
            "intake.sentence-adjustment.recorded", "intake.admission.recorded-in-error", "intake.identifier.added",
            "intake.persons.merged", "intake.persons.unmerged", "programmes.programme.completed",
            "intake.case.restricted", "intake.case.restriction-lifted",
        ],
    }.items()
    for event_type in types
]  # fmt: skip


def the_pathways(system: EmbeddedSystem) -> None:
    """A cohort, then what it does not do: identifiers, merges, transfers, corrections, adjustments."""
    assert load(system, demo_cohort(12, prefix="E")).ok
    extra = [
        *ex.custodial_pathway("X1")[:3], absence("X1"), back("X1"), transfer("X1", "Far Prison"),
        ex.sentence_adjustment("X1", decision_id="D-X1"),
        add_identifier("X1", {"kind": "national_id", "issuer": "OTHER-NID", "value": "X-1"}),
        ex.register_person("X2"), ex.custodial_sentence("X2"), ex.admit("X2"), admission_in_error("X2"),
        ex.register_person("X3"), ex.custodial_sentence("X3"), ex.admit("X3"), ex.release("X3"),
        release_in_error("X3"), ex.register_person("X4"), ex.restrict_case("X4"), ex.lift_case_restriction("X4"),
        *ex.custodial_pathway("X5")[:3], ex.release("X5"), *ex.recall_loop("X5"),
    ]  # fmt: skip
    report = load(system, extra)
    assert report.ok, report.errors
    assert merge(system, "X1", "X4").ok
    assert merge(system, "X1", "X4", command="unmerge_persons").ok
    assert not any(consumer.dead_letters() for consumer in system.consumers.values())  # every reaction handled


@pytest.fixture(scope="module", params=STORES)
def system(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedSystem]:
    """The pathways recorded once per store for the whole module: its tests only add dead letters."""
    store_env = None
    if request.param == "postgres":
        stores: PostgresStores = request.getfixturevalue("postgres_stores")
        stores.empty()
        store_env = stores.env
    with EmbeddedSystem(tmp_path_factory.mktemp("pathways"), store_env=store_env) as embedded:
        the_pathways(embedded)
        yield embedded


@pytest.fixture(scope="module")
def envelopes(system: EmbeddedSystem) -> dict[str, Envelope]:
    """The first envelope of each type the three services published."""
    found: dict[str, Envelope] = {}
    for service in system.apps:
        for envelope in published_envelopes(system, service):
            found.setdefault(envelope.type, envelope)
    return found


def test_every_reaction_is_declared_here(system: EmbeddedSystem) -> None:
    declared = {(name, event_type) for name, app in system.apps.items() for event_type in app.policies()}
    assert declared == set(REACTIONS)


@pytest.mark.parametrize(("consumer", "event_type"), REACTIONS)
def test_handled_then_ignored_when_it_comes_again(
    system: EmbeddedSystem, envelopes: dict[str, Envelope], consumer: str, event_type: str
) -> None:
    envelope = envelopes[event_type]  # the cohort's import handled it; the consumer tracked it
    app = system.apps[consumer]
    before = head(app)

    assert system.consumers[consumer].handle(envelope.to_bytes()) is Handled.DUPLICATE
    assert head(app) == before


@pytest.mark.parametrize(("consumer", "event_type"), REACTIONS)
def test_a_bad_payload_is_a_dead_letter_naming_the_field(
    system: EmbeddedSystem, envelopes: dict[str, Envelope], consumer: str, event_type: str
) -> None:
    real = envelopes[event_type]
    payload: dict[str, Any] = dict.fromkeys(real.payload)  # every field of the contract, emptied
    unused = 10**9 + REACTIONS.index((consumer, event_type))  # a position the source never reached
    fresh = {"event_id": uuid4(), "subject": uuid4(), "notification_id": unused}  # no earlier letter holds it
    bad = real.model_copy(update={**fresh, "payload": payload})

    assert system.consumers[consumer].handle(bad.to_bytes()) is Handled.DEAD_LETTERED
    (letter,) = [letter for letter in system.consumers[consumer].dead_letters() if letter.event_id == str(bad.event_id)]
    required = [name for name, value in real.payload.items() if value is not None]
    assert any(f"payload.{name}:" in letter.reason for name in required), letter.reason
