"""Driving the embedded system in tests the way an agency would: import lines, then replay."""

from __future__ import annotations

import io
import json
from typing import Any

from pathway.embedded import EmbeddedSystem
from pathway.importer import ImportReport, run_import
from pathway.replay import StoreSource, resolve_in_store, timeline
from pathway.services import SERVICES
from shared.contracts.base import NationalId
from shared.reader import Reader
from tests.examples import ISSUER

TEST_READER = Reader("tests", purpose="testing")


def load(system: EmbeddedSystem, lines: list[dict[str, Any]]) -> ImportReport:
    errors = io.StringIO()
    report = run_import(system, [json.dumps(line) for line in lines], "test.jsonl", errors=errors)
    return report


def replay(system: EmbeddedSystem, value: str) -> list[dict[str, Any]]:
    person_id = resolve_in_store(system.apps["intake"], NationalId(issuer=ISSUER, value=value))
    sources = [StoreSource(app, SERVICES[name].translate, TEST_READER) for name, app in system.apps.items()]
    return timeline(sources, person_id)


def types(entries: list[dict[str, Any]]) -> list[str]:
    return [entry["type"] for entry in entries]


def is_subsequence(wanted: list[str], actual: list[str]) -> bool:
    remaining = iter(actual)
    return all(any(item == candidate for candidate in remaining) for item in wanted)
