"""Who is reading a case: stated until authentication exists, decided in one place (shared/reader.py)."""

from __future__ import annotations

import getpass

import pytest

from shared.reader import LONGEST, UNSTATED, Reader, command_line_reader, decide_reader, header_reader


def test_a_stated_reader_is_kept_as_stated_with_spaces_tidied() -> None:
    assert decide_reader("  alice  ", " complaint\n 17 ", "inspectorate", "auditor") == Reader(
        "alice", "complaint 17", "inspectorate", "auditor"
    )


def test_no_stated_reader_is_recorded_as_unstated_or_the_given_fallback() -> None:
    assert decide_reader(None) == Reader(UNSTATED)
    assert decide_reader("   ", "") == Reader(UNSTATED)
    assert decide_reader(None, fallback="os:bob").name == "os:bob"


def test_a_statement_is_cut_to_a_reasonable_length() -> None:
    assert len(decide_reader("x" * 1000, "y" * 1000).purpose or "") == LONGEST


def test_the_command_line_falls_back_to_pathway_reader_then_the_os_user(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PATHWAY_READER", raising=False)
    assert command_line_reader(None).name == f"os:{getpass.getuser()}"
    monkeypatch.setenv("PATHWAY_READER", "clerk-17")
    assert command_line_reader(None).name == "clerk-17"
    assert command_line_reader("dana").name == "dana"


def test_http_headers_state_the_reader() -> None:
    headers = {"X-Pathway-Reader": "jo", "X-Pathway-Purpose": "appeal", "X-Pathway-Role": "clerk"}
    assert header_reader(headers) == Reader("jo", "appeal", None, "clerk")
    assert header_reader({}) == Reader(UNSTATED)


def test_a_reader_is_stated_over_rpc_as_keyword_arguments() -> None:
    assert Reader("jo", "appeal").as_rpc() == {"reader": "jo", "purpose": "appeal", "agency": None, "role": None}
