"""A batch of commands in one transaction: each line decided as if alone, in order, all saved together."""

from __future__ import annotations

from typing import Any

import pytest

from pathway.embedded import EmbeddedSystem
from shared.errors import DuplicateConflict, InvalidInput, NotFound
from shared.eventstore.batch import MAX_BATCH_LINES, BatchLine, InternalError, execute_batch
from shared.eventstore.reading import head, notifications_after
from tests import examples as ex
from tests.embedded.helpers import load, replay, types
from tests.stores import BOTH_STORES

pytestmark = BOTH_STORES


def batch(*lines: dict[str, Any]) -> list[BatchLine]:
    return [BatchLine(line["command"], line["data"]) for line in lines]


def stored_types(system: EmbeddedSystem, service: str, after: int = 0) -> list[str]:
    app = system.apps[service]
    stored = [type(app.mapper.to_domain_event(n)).__qualname__ for n in notifications_after(app, after, 10_000)]
    return [name for name in stored if name != "CommandReceipt.Issued"]  # the importer gives every line an id


def test_lines_see_the_lines_before_them_and_each_gets_its_outcome(system: EmbeddedSystem) -> None:
    intake = system.apps["intake"]
    outcomes = execute_batch(
        intake,
        batch(ex.register_person("B1"), ex.custodial_sentence("B1"), ex.register_person("B2"), ex.admit("B1")),
    )

    assert [o.result.status for o in outcomes if o.result] == ["applied"] * 4
    assert all(o.ok for o in outcomes)
    positions = [o.position for o in outcomes]
    assert positions == sorted(positions)
    assert positions[-1] == head(intake)


def test_a_batch_leaves_what_the_same_lines_one_at_a_time_leave(system: EmbeddedSystem) -> None:
    lines = [ex.register_person("S1"), ex.register_person("S2"), ex.custodial_sentence("S1"), ex.admit("S1")]
    before = head(system.apps["intake"])
    execute_batch(system.apps["intake"], batch(*lines))
    in_batch = stored_types(system, "intake", before)
    system.settle()

    renamed = [
        {**line, "data": {**line["data"], "national_id": ex.nid(line["data"]["national_id"]["value"] + "X")}}
        for line in lines
    ]
    renamed = [
        {**line, "data": {**line["data"], "decision_id": line["data"]["decision_id"] + "X"}}
        if "decision_id" in line["data"]
        else line
        for line in renamed
    ]
    middle = head(system.apps["intake"])
    load(system, renamed)

    assert in_batch == stored_types(system, "intake", middle)[: len(in_batch)]
    assert types(replay(system, "S1")) == types(replay(system, "S1X"))


def test_events_are_stored_in_the_order_of_the_lines_that_caused_them(system: EmbeddedSystem) -> None:
    intake = system.apps["intake"]
    execute_batch(intake, batch(ex.register_person("O1"), ex.register_person("O2")))
    before = head(intake)

    outcomes = execute_batch(intake, batch(ex.custodial_sentence("O2"), ex.custodial_sentence("O1")))

    stored = [intake.mapper.to_domain_event(n) for n in notifications_after(intake, before, 100)]
    people = [str(e.originator_id) for e in stored if type(e).__qualname__.endswith("CourtDecisionRecorded")]
    assert people == [outcomes[0].result.result["person_id"], outcomes[1].result.result["person_id"]]  # type: ignore[union-attr]


def test_a_refused_line_leaves_no_trace_and_the_others_are_saved(system: EmbeddedSystem) -> None:
    intake = system.apps["intake"]
    outcomes = execute_batch(
        intake,
        batch(
            ex.register_person("R1"),
            ex.custodial_sentence("NOBODY"),
            ex.register_person("R2", date_of_birth="not a date"),
            ex.register_person("R3"),
        ),
    )

    assert [type(o.error) for o in outcomes] == [type(None), NotFound, InvalidInput, type(None)]
    assert [o.position > 0 for o in outcomes] == [True, False, False, True]
    assert "national_id" in str(outcomes[1].error)


def replace_admit(system: EmbeddedSystem, monkeypatch: pytest.MonkeyPatch, make: Any) -> None:
    """Intake's admit handler replaced, for this test, by what `make` builds from the real one."""
    handlers = type(system.apps["intake"]).handlers
    contract = system.apps["intake"].commands["admit"]
    monkeypatch.setitem(handlers._by_contract, contract, make(handlers[contract]))  # type: ignore[attr-defined]


def test_a_line_refused_after_it_changed_something_is_undone_and_the_lines_around_it_kept(
    system: EmbeddedSystem, monkeypatch: pytest.MonkeyPatch
) -> None:
    intake = system.apps["intake"]

    def admit_then_refuse(admit: Any) -> Any:
        def handler(command: Any, uow: Any, ctx: Any) -> Any:
            admit(command, uow, ctx)
            if command.facility == "Refused Late":
                raise DuplicateConflict("facility: refused after a change")
            return {}

        return handler

    replace_admit(system, monkeypatch, admit_then_refuse)
    outcomes = execute_batch(
        intake,
        batch(
            ex.register_person("L1"),
            ex.admit("L1", facility="Refused Late"),
            ex.custodial_sentence("L1"),
            ex.admit("L1"),
        ),
    )

    assert [o.ok for o in outcomes] == [True, False, True, True]
    system.settle()
    admitted = [e for e in replay(system, "L1") if e["type"] == "intake.person.admitted"]
    assert [e["data"]["facility"] for e in admitted] == ["Test Prison"]


def test_a_line_our_code_fails_on_is_reported_by_type_and_the_others_saved(
    system: EmbeddedSystem, monkeypatch: pytest.MonkeyPatch
) -> None:
    intake = system.apps["intake"]

    def broken(command: Any, uow: Any, ctx: Any) -> Any:
        raise KeyError("a bug")

    replace_admit(system, monkeypatch, lambda _: broken)
    outcomes = execute_batch(intake, batch(ex.register_person("K1"), ex.admit("K1"), ex.register_person("K2")))

    assert [o.ok for o in outcomes] == [True, False, True]
    assert isinstance(outcomes[1].error, InternalError)
    assert str(outcomes[1].error) == "internal error in intake (KeyError)"


def test_a_command_id_seen_earlier_in_the_batch_is_a_repeat(system: EmbeddedSystem) -> None:
    intake = system.apps["intake"]
    first = ex.register_person("D1", command_id="cmd-1")
    changed = ex.register_person("D1", command_id="cmd-1", given_name="Other")

    outcomes = execute_batch(intake, batch(first, first, changed))

    assert [o.result.status if o.result else type(o.error).__name__ for o in outcomes] == [
        "applied",
        "skipped",
        "DuplicateConflict",
    ]
    assert execute_batch(intake, batch(first))[0].result.status == "skipped"  # type: ignore[union-attr]


def test_a_batch_too_large_is_refused_whole(system: EmbeddedSystem) -> None:
    with pytest.raises(InvalidInput, match="lines"):
        execute_batch(system.apps["intake"], batch(*[ex.register_person(f"M{n}") for n in range(MAX_BATCH_LINES + 1)]))
