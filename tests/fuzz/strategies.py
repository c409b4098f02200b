"""Inputs for the fuzz suite: commands shaped by their own JSON Schema, then bent out of shape.

A body built only from random bytes is refused at the first check; one built from the contract's schema
gets past parsing into validation and the rules, and a mutation of it (a wrong type, a huge number, a
date at the calendar's edge, a missing or unknown field, deep nesting) probes each check after that.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from shared.contracts.commands import COMMANDS
from shared.contracts.events import PUBLIC_EVENTS

SERVICES = tuple(COMMANDS)
COMMAND_NAMES = [(service, command) for service, commands in COMMANDS.items() for command in sorted(commands)]
EVENT_TYPES = sorted(PUBLIC_EVENTS)


def fuzz_settings(examples: int) -> settings:
    """Bounded and repeatable: the same examples on every run, no example database, no time limit per example
    (the servers answer slower on a busy machine, which is not what is being tested)."""
    return settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        print_blob=False,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    )


# --- values -------------------------------------------------------------------------------------------

# Dates where arithmetic overflows or a bound should hold: the calendar's ends, centuries away, leap days.
EDGE_DATES = ["0001-01-01", "1899-12-31", "1900-01-01", "2000-02-29", "2100-12-31", "2999-12-31", "9999-12-31"]
EDGE_DATE_STRINGS = [*EDGE_DATES, "2025-02-30", "2025-13-01", "20250101", "2025-1-1", "", "today", "-2025-01-01"]
HUGE_NUMBERS = [2**31, 2**53 + 1, 2**63, 2**64, 10**18, 10**12, -(2**63) - 1, -1, 0, 1e308, -1e308, 1e-308]

plausible_dates = st.dates(min_value=date(1950, 1, 1), max_value=date.today() + timedelta(days=365))
text = st.text(max_size=40)
unicode_text = st.sampled_from(
    ["", " ", "\u0000", "\u202e\u0041", "\U0001f600" * 3, "\ufeff", "é" * 300, "x" * 10_000, "<b>&</b>", "\\u0000"]
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    text,
)
json_values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(text, inner, max_size=4)),
    max_leaves=12,
)
wrong_values = st.one_of(
    json_values,
    st.sampled_from(HUGE_NUMBERS),
    st.sampled_from(EDGE_DATE_STRINGS),
    st.sampled_from(EDGE_DATES).map(lambda day: day + "T00:00:00+00:00"),
    unicode_text,
    st.integers(min_value=2, max_value=120).map(lambda depth: nested(depth)),
)


def nested(depth: int) -> Any:
    """A list inside a list `depth` times: around the edge's nesting limit, on either side of it."""
    value: Any = 1
    for _ in range(depth):
        value = [value]
    return value


# --- values shaped by a schema ------------------------------------------------------------------------


def from_schema(schema: dict[str, Any], defs: dict[str, Any]) -> st.SearchStrategy[Any]:
    """Values a JSON Schema (as pydantic writes them) mostly accepts, sometimes at its bounds."""
    if "$ref" in schema:
        return st.deferred(lambda: from_schema(defs[schema["$ref"].rsplit("/", 1)[-1]], defs))
    if "anyOf" in schema:
        return st.one_of([from_schema(option, defs) for option in schema["anyOf"]])
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    if "const" in schema:
        return st.just(schema["const"])
    kind = schema.get("type")
    if kind == "object":
        return _object(schema, defs)
    if kind == "array":
        items = from_schema(schema.get("items", {}), defs)
        return st.lists(items, min_size=schema.get("minItems", 0), max_size=min(schema.get("maxItems", 3), 3))
    if kind == "string":
        return _string(schema)
    if kind == "integer":
        low, high = schema.get("minimum", -(2**40)), schema.get("maximum", 2**40)
        return st.integers(min_value=low, max_value=high)
    if kind == "number":
        return st.floats(schema.get("minimum"), schema.get("maximum"), allow_nan=False, allow_infinity=False)
    if kind == "boolean":
        return st.booleans()
    if kind == "null":
        return st.none()
    return json_values


def _string(schema: dict[str, Any]) -> st.SearchStrategy[str]:
    shape = schema.get("format")
    if shape == "date":
        return st.one_of(plausible_dates.map(date.isoformat), st.sampled_from(EDGE_DATES))
    if shape == "date-time":
        return plausible_dates.map(lambda day: f"{day.isoformat()}T09:30:00+00:00")
    if shape == "uuid":
        return st.uuids().map(str)
    low, high = schema.get("minLength", 0), min(schema.get("maxLength", 30), 30)
    return st.text(st.characters(codec="utf-8"), min_size=low, max_size=max(low, high))


def _object(schema: dict[str, Any], defs: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    properties = schema.get("properties", {})
    required = set(schema.get("required", []))
    fields = {name: from_schema(sub, defs) for name, sub in properties.items()}
    optional = [name for name in properties if name not in required]

    @st.composite
    def build(draw: st.DrawFn) -> dict[str, Any]:
        chosen = draw(st.lists(st.sampled_from(optional), unique=True)) if optional else []
        return {name: draw(fields[name]) for name in properties if name in required or name in chosen}

    if not properties:
        return st.dictionaries(text, json_values, max_size=3)
    return build()


def command_data(service: str, command: str) -> st.SearchStrategy[dict[str, Any]]:
    schema = COMMANDS[service][command].model_json_schema()
    return _object(schema, schema.get("$defs", {}))


# --- mutations ----------------------------------------------------------------------------------------


@st.composite
def mutated(draw: st.DrawFn, data: dict[str, Any]) -> dict[str, Any]:
    """`data` with one to three things wrong: a field dropped, added, or given a wrong value (nested too)."""
    bent = json.loads(json.dumps(data))
    for _ in range(draw(st.integers(1, 3))):
        target = bent
        nested_dicts = [value for value in bent.values() if isinstance(value, dict)]
        if nested_dicts and draw(st.booleans()):
            target = draw(st.sampled_from(nested_dicts))
        how = draw(st.sampled_from(["drop", "add", "replace", "replace"]))
        if how == "drop" and target:
            del target[draw(st.sampled_from(sorted(target)))]
        elif how == "add":
            target[draw(st.one_of(text, st.just("k" * 5000)))] = draw(wrong_values)
        elif target:
            target[draw(st.sampled_from(sorted(target)))] = draw(wrong_values)
    return bent


def plausible_or_bent(service: str, command: str) -> st.SearchStrategy[dict[str, Any]]:
    return command_data(service, command).flatmap(lambda data: st.one_of(st.just(data), mutated(data)))


# --- bodies as bytes ----------------------------------------------------------------------------------

POISON_BODIES = [
    b"",
    b"null",
    b"[" * 5000 + b"]" * 5000,
    b'{"a": ' * 70 + b"1" + b"}" * 70,
    b'{"given_name": "\xff\xfe"}',
    b"\xef\xbb\xbf{}",  # a byte-order mark
    b'{"sentence_days": NaN, "decided_on": Infinity}',
    b'{"sentence_days": ' + b"9" * 5000 + b"}",  # past int()'s digit limit
    b'{"sentence_days": 1e400}',
    b'{"a": 1, "a": 2}',
    b'"' + b"\\ud800" + b'"',  # a lone surrogate, escaped
    b"{" + b'"k": 1, ' * 20_000 + b'"z": 0}',
]


def encoded(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode("utf-8", "surrogatepass")


@st.composite
def command_bodies(draw: st.DrawFn, service: str, command: str) -> tuple[str, bytes]:
    """(what kind of body, the bytes): shaped by the command's schema, bent, any JSON, or any bytes."""
    kind = draw(st.sampled_from(["plausible", "bent", "bent", "any json", "bytes", "poison"]))
    if kind == "plausible":
        return kind, encoded(draw(command_data(service, command)))
    if kind == "bent":
        return kind, encoded(draw(command_data(service, command).flatmap(mutated)))
    if kind == "any json":
        return kind, encoded(draw(json_values))
    if kind == "bytes":
        return kind, draw(st.binary(max_size=300))
    return kind, draw(st.sampled_from(POISON_BODIES))


commands = st.sampled_from(COMMAND_NAMES)


# --- query strings ------------------------------------------------------------------------------------

QUERY_NAMES = ["on", "days", "within", "every", "from", "to", "after", "limit", "types"]
query_values = st.one_of(
    plausible_dates.map(date.isoformat),
    st.sampled_from(EDGE_DATE_STRINGS),
    st.integers(min_value=-(10**6), max_value=10**6).map(str),
    st.sampled_from(["99999999999", "9" * 5000, "1e3", "0x10", "+5", " 5", "٣", "NaN", "-0", "00000000000001"]),
    st.lists(st.sampled_from(EVENT_TYPES), max_size=3).map(",".join),
    text,
    unicode_text,
)
queries = st.dictionaries(st.one_of(st.sampled_from(QUERY_NAMES), text), query_values, max_size=4)
raw_queries = st.text(st.sampled_from("=&%;+#?/ab12-\u00e9\u0000"), max_size=40)
path_segments = st.one_of(st.uuids().map(str), text, st.sampled_from(["..", "%", "%2F", "x" * 3000, " ", "null"]))
