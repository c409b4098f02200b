"""`pathway feed SERVICE` on the embedded stores: JSON lines an agency can store as if its queue had them."""

from __future__ import annotations

import io
import re

import pytest

from pathway.cli import main
from pathway.embedded import EmbeddedSystem
from tests import examples as ex
from tests.embedded.bus_recording import record_publishing
from tests.embedded.helpers import load


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def cursor(err: str) -> tuple[int, int]:
    found = re.fullmatch(r"next_after=(\d+) head=(\d+)\n", err)
    assert found, err
    return int(found[1]), int(found[2])


@pytest.fixture
def bodies(system: EmbeddedSystem, monkeypatch: pytest.MonkeyPatch) -> dict[str, list[bytes]]:
    published = record_publishing(system, monkeypatch)
    assert load(system, ex.catalogue() + ex.custodial_pathway("L1") + ex.left_early_pathway("L2")).ok
    return published


def test_paging_with_the_cursor_prints_the_bodies_the_bus_carried(
    system: EmbeddedSystem, bodies: dict[str, list[bytes]]
) -> None:
    data = str(system.data_dir)
    lines: list[str] = []
    after, pages = 0, 0
    while True:
        code, out, err = run("feed", "release", "--data", data, "--after", str(after), "--limit", "4")
        assert code == 0, err
        lines += out.splitlines()
        after, top = cursor(err)
        pages += 1
        if after == top:
            break

    assert pages > 2
    assert [line.encode() for line in lines] == bodies["release"]  # byte for byte what the queue would hold


def test_all_pages_on_to_the_head_and_a_type_filter_keeps_the_cursor_moving(
    system: EmbeddedSystem, bodies: dict[str, list[bytes]]
) -> None:
    data = str(system.data_dir)

    code, out, err = run("feed", "intake", "--data", data, "--all", "--limit", "3")
    assert code == 0, err
    assert [line.encode() for line in out.splitlines()] == bodies["intake"]
    after, top = cursor(err)
    assert after == top

    code, out, err = run("feed", "intake", "--data", data, "--all", "--types", "intake.person.admitted")
    assert code == 0, err
    assert len(out.splitlines()) == 2  # L1 and L2 admitted
    assert cursor(err) == (top, top)

    code, out, err = run("feed", "intake", "--data", data, "--after", str(top))
    assert (code, out, cursor(err)) == (0, "", (top, top))  # caught up: nothing, and the cursor stays


def test_bad_paging_is_refused_naming_the_option(system: EmbeddedSystem) -> None:
    code, out, err = run("feed", "intake", "--data", str(system.data_dir), "--after", "-3", "--limit", "5000")

    assert (code, out) == (1, "")
    assert err.startswith("pathway feed: after: must be a whole number")
    assert "limit: must be a whole number from 1 to 1000" in err
