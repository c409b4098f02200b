"""Each service declares what its reactions may publish; the importer's waits rely on it being true."""

from __future__ import annotations

from pathway.embedded import EmbeddedSystem
from pathway.importer import upstream_closure
from tests import examples as ex
from tests.embedded.helpers import load
from tests.embedded.test_reliability import published_envelopes


def test_every_reaction_publishes_only_what_its_service_declares(system: EmbeddedSystem) -> None:
    load(
        system,
        ex.catalogue() + ex.custodial_pathway("A1") + ex.non_custodial_pathway("B1") + ex.left_early_pathway("C1"),
    )
    envelopes = {name: published_envelopes(system, name) for name in system.apps}
    type_of = {str(e.event_id): e.type for found in envelopes.values() for e in found}

    reactions = 0
    for name, found in envelopes.items():
        declared = system.apps[name].reaction_outputs
        for envelope in found:
            cause = type_of.get(envelope.causation_id or "")
            if cause is None:
                continue  # caused by a command, not a reaction
            reactions += 1
            assert envelope.type in declared[cause], f"{name} published {envelope.type} reacting to {cause}"
    assert reactions >= 5


def test_declared_reactions_cover_exactly_the_policies(system: EmbeddedSystem) -> None:
    for app in system.apps.values():
        assert set(app.reaction_outputs) == set(app.policies())


def test_a_service_waits_on_its_own_commands_only_through_a_real_chain(system: EmbeddedSystem) -> None:
    closure = upstream_closure(system)

    # Release waits on itself: a recall it executes makes intake admit, and release reacts to admissions.
    # Intake and programmes never do: nothing they publish comes back to them.
    assert closure == {
        "intake": {"release"},
        "programmes": {"intake", "release"},
        "release": {"intake", "programmes", "release"},
    }
