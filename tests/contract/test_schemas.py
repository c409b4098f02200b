"""Public contracts are pinned: each one's JSON schema is compared to a reviewed snapshot.

A change shows up here as a diff. An added optional field is a compatible
change: update the snapshot. A removed, renamed or retyped field is a breaking
change: publish a new version of the contract and keep accepting the old one.
"""

from __future__ import annotations

import difflib
import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from shared.contracts.commands import COMMANDS
from shared.contracts.envelope import Envelope
from shared.contracts.events import PUBLIC_EVENTS

SNAPSHOTS = Path(__file__).parent / "snapshots"
HOW_TO_UPDATE = "UPDATE_SNAPSHOTS=1 .venv/bin/python -m pytest tests/contract"

SERVICES = ("intake", "programmes", "release")
SPINE = {
    "intake.person.registered",
    "intake.court-decision.recorded",
    "intake.person.admitted",
    "programmes.programme.published",
    "programmes.enrolment.started",
    "programmes.attendance.recorded",
    "programmes.programme.completed",
    "programmes.enrolment.withdrawn",
    "release.release-dates.calculated",
    "release.person.released",
    "release.supervision.started",
    "release.supervision.completed",
    "release.outcome.recorded",
}
TYPE_NAME = re.compile(r"^[a-z]+\.[a-z-]+\.[a-z-]+$")


def contracts() -> dict[str, type[BaseModel]]:
    """Snapshot file name -> the contract it pins."""
    pinned: dict[str, type[BaseModel]] = {"envelope.json": Envelope}
    for name, event in PUBLIC_EVENTS.items():
        pinned[f"event.{name}.v{event.version}.json"] = event
    for service, commands in COMMANDS.items():
        for name, command in commands.items():
            pinned[f"command.{service}.{name}.json"] = command
    return pinned


def check_snapshot(name: str, value: Any) -> None:
    path = SNAPSHOTS / name
    text = json.dumps(value, indent=2, sort_keys=True) + "\n"
    if os.environ.get("UPDATE_SNAPSHOTS") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        return
    if not path.exists():
        pytest.fail(f"no snapshot {name} for this contract yet; review the schema, then run: {HOW_TO_UPDATE}")
    pinned = path.read_text()
    if pinned != text:
        diff = "".join(difflib.unified_diff(pinned.splitlines(True), text.splitlines(True), name, "now", n=2))
        pytest.fail(
            f"the schema of {name} changed. If the change is additive (a new optional field), run: {HOW_TO_UPDATE}; "
            f"if it removes, renames or retypes a field, publish a new version instead.\n{diff}"
        )


@pytest.mark.parametrize("name", sorted(contracts()))
def test_the_schema_matches_its_snapshot(name: str) -> None:
    check_snapshot(name, contracts()[name].model_json_schema())


def test_every_schema_snapshot_belongs_to_a_current_contract() -> None:
    stale = sorted(p.name for p in SNAPSHOTS.glob("*.json") if p.name != "stored_topics.json") - contracts().keys()
    assert not stale, (
        f"snapshots without a contract: {sorted(stale)}. A published contract was removed or renamed, "
        "which breaks whoever still sends or reads it; if that is intended, delete these files."
    )


def test_the_public_types_include_the_spine() -> None:
    missing = SPINE - set(PUBLIC_EVENTS)
    assert not missing, f"spine event types missing from PUBLIC_EVENTS: {sorted(missing)}"


@pytest.mark.parametrize("name", sorted(PUBLIC_EVENTS))
def test_a_type_name_is_service_entity_past_tense_verb(name: str) -> None:
    event = PUBLIC_EVENTS[name]

    assert TYPE_NAME.match(name), name
    assert name.split(".")[0] in SERVICES
    assert event.type == name
    assert isinstance(event.version, int)
    assert event.version >= 1


def test_every_command_is_listed_under_its_own_name() -> None:
    assert set(COMMANDS) == set(SERVICES)
    for commands in COMMANDS.values():
        for name, command in commands.items():
            assert command.command == name
            assert re.fullmatch(r"[a-z]+(_[a-z]+)*", name), name


def test_events_are_read_leniently_and_commands_strictly() -> None:
    # An older consumer must survive a newer producer's added field; a command with a typo must not pass.
    assert Envelope.model_config.get("extra") == "ignore"
    assert all(e.model_config.get("extra") == "ignore" for e in PUBLIC_EVENTS.values())
    assert all(c.model_config.get("extra") == "forbid" for cs in COMMANDS.values() for c in cs.values())
    pinned = [*PUBLIC_EVENTS.values(), Envelope, *(c for cs in COMMANDS.values() for c in cs.values())]
    assert all(m.model_config.get("hide_input_in_errors") for m in pinned)


def test_an_older_consumer_ignores_a_field_added_inside_the_national_id() -> None:
    payload = {
        "person_id": "5d1f3a8e-2c47-5b9e-8f60-1a2b3c4d5e6f",
        "national_id": {"issuer": "TEST-NID", "value": "A-0001", "valid_from": "2020-01-01"},
    }

    PUBLIC_EVENTS["intake.person.registered"].model_validate(payload)


def test_an_older_consumer_ignores_a_field_added_inside_the_actor() -> None:
    envelope = {
        "event_id": "0f4b1c2d-3e5f-5a6b-8c7d-9e0f1a2b3c4d",
        "type": "release.supervision.completed",
        "version": 1,
        "occurred_at": "2026-09-02T00:00:00+00:00",
        "recorded_at": "2026-09-02T08:15:00+00:00",
        "source": "release",
        "subject": "5d1f3a8e-2c47-5b9e-8f60-1a2b3c4d5e6f",
        "aggregate_id": "5d1f3a8e-2c47-5b9e-8f60-1a2b3c4d5e6f",
        "aggregate_version": 7,
        "notification_id": 42,
        "correlation_id": "corr-1",
        "causation_id": None,
        "actor": {"id": "officer-21", "role": "probation_officer", "agency": "Test", "on_behalf_of": "court-3"},
        "payload": {"person_id": "5d1f3a8e-2c47-5b9e-8f60-1a2b3c4d5e6f", "completed_on": "2026-09-02"},
    }

    Envelope.from_bytes(json.dumps(envelope).encode()).event()
