"""The hash chain behind the seals: every stored field counts, and no two records read the same."""

from __future__ import annotations

import hashlib
from uuid import UUID, uuid4

import pytest
from eventsourcing.persistence import Notification

from pathway.verify import ExpectedHeadSyntaxError, parse_expected
from shared.eventstore.seals import GENESIS, Seal, chain_over, link, record_bytes

PERSON = UUID("6f1c2f0e-9a43-4f5e-8d8a-3b2f2f6a1c11")


def notification(
    id: int = 1,
    originator_id: UUID = PERSON,
    version: int = 1,
    topic: str = "services.intake.domain.person:Person.Registered",
    state: bytes = b'{"name":"x"}',
) -> Notification:
    return Notification(id=id, originator_id=originator_id, originator_version=version, topic=topic, state=state)


def test_the_first_link_hashes_the_genesis_value_with_the_record() -> None:
    record = notification()

    assert link(GENESIS, record) == hashlib.sha256(GENESIS + record_bytes(record)).digest()
    assert hashlib.sha256(b"pathway seals v1").digest() == GENESIS


def test_the_chain_is_deterministic_and_depends_on_order() -> None:
    first, second = notification(1), notification(2, version=2)

    assert chain_over(GENESIS, [first, second]) == chain_over(GENESIS, [first, second])
    assert chain_over(GENESIS, [first, second]) != chain_over(GENESIS, [second, first])
    assert chain_over(GENESIS, [first, second]) == link(link(GENESIS, first), second)
    assert chain_over(GENESIS, []) == GENESIS


@pytest.mark.parametrize(
    "changed",
    [
        {"id": 2},
        {"originator_id": uuid4()},
        {"version": 2},
        {"topic": "services.intake.domain.person:Person.Admitted"},
        {"state": b'{"name":"x"} '},  # the same JSON to a reader, not the same bytes
        {"state": b""},
    ],
)
def test_every_stored_field_changes_the_chain(changed: dict[str, object]) -> None:
    assert link(GENESIS, notification(**changed)) != link(GENESIS, notification())  # type: ignore[arg-type]


def test_fields_are_length_prefixed_so_moving_bytes_between_them_is_seen() -> None:
    # Without the prefixes both would serialize as ...topicXstate...
    one = notification(topic="a.b:C", state=b"Xyz")
    other = notification(topic="a.b:CX", state=b"yz")

    assert record_bytes(one) != record_bytes(other)
    assert link(GENESIS, one) != link(GENESIS, other)


def test_a_record_below_the_first_id_serializes_too() -> None:
    # SQLite accepts a forged row at rowid 0 or below; it must still be hashable, and differ.
    assert record_bytes(notification(id=0)) != record_bytes(notification(id=-1))


def test_kept_heads_are_read_per_service() -> None:
    head = "ab" * 32

    kept = parse_expected([f"intake:12:{head}", f"intake:40:{head.upper()}", f"release:3:{head}"])

    assert kept == {"intake": [Seal(12, head), Seal(40, head)], "release": [Seal(3, head)]}


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("intake", "ID must be"),
        ("court:12:" + "ab" * 32, "unknown service 'court'"),
        ("intake:twelve:" + "ab" * 32, "ID must be"),
        ("intake:0:" + "ab" * 32, "ID must be"),
        ("intake:12:abc", "HEX must be"),
        ("intake:12:" + "zz" * 32, "HEX must be"),
        ("intake:12:" + "ab" * 32 + ":extra", "HEX must be"),
    ],
)
def test_a_kept_head_that_is_not_service_id_hex_is_refused_naming_the_option(text: str, problem: str) -> None:
    with pytest.raises(ExpectedHeadSyntaxError) as refused:
        parse_expected([text])

    assert str(refused.value).startswith("--expect: ")
    assert problem in str(refused.value)
