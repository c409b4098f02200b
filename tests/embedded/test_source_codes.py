"""An agency's own codes beside our enumerated values (docs/DOMAIN.md: national code tables map without loss): kept
with the change, published beside it, replayed with it, and refused for a field that is not enumerated."""

from __future__ import annotations

from pathway.embedded import EmbeddedSystem
from tests import examples as ex
from tests.embedded.helpers import load, replay, types
from tests.stores import BOTH_STORES

pytestmark = BOTH_STORES


def with_codes(line: dict, **codes: str) -> dict:
    return {**line, "data": {**line["data"], "source_codes": codes}}


def test_the_senders_codes_are_published_beside_the_change_and_replayed(system: EmbeddedSystem) -> None:
    decision = with_codes(ex.custodial_sentence("A1"), kind="NL-VONNIS-17")
    release = with_codes(ex.release("A1"), release_type="NL-VI-2")
    report = load(system, [ex.register_person("A1"), decision, ex.admit("A1"), release])
    assert report.ok, report.errors

    timeline = replay(system, "A1")

    noted = [(e["type"], e["data"]["command"], e["data"]["codes"]) for e in timeline if "source-codes" in e["type"]]
    assert noted == [
        ("intake.source-codes.noted", "record_court_decision", {"kind": "NL-VONNIS-17"}),
        ("release.source-codes.noted", "release", {"release_type": "NL-VI-2"}),
    ]
    order = types(timeline)
    assert order.index("intake.court-decision.recorded") < order.index("intake.source-codes.noted")


def test_a_repeat_with_or_without_its_codes_changes_nothing(system: EmbeddedSystem) -> None:
    decision = with_codes(ex.custodial_sentence("A1", command_id="CMD-1"), kind="NL-VONNIS-17")
    assert load(system, [ex.register_person("A1"), decision]).ok
    before = replay(system, "A1")

    again = load(system, [decision, ex.custodial_sentence("A1", command_id="CMD-1")])  # the codes are no conflict

    assert again.ok, again.errors
    assert replay(system, "A1") == before


def test_codes_for_a_field_that_is_not_enumerated_are_refused_naming_the_field(system: EmbeddedSystem) -> None:
    refused = load(system, [with_codes(ex.register_person("A1"), given_name="X")])

    assert refused.failed == 1
    assert "source_codes: may only name this command's enumerated fields (sex)" in refused.errors[0]
