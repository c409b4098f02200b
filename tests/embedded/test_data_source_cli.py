"""One data source at a time: an explicit --data wins over an exported AMQP_URI, and naming both is refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import examples as ex
from tests.embedded.test_cli import run, write_jsonl

# Nothing listens here: a command that used it would fail, so answering at all shows it read the folder.
UNREACHABLE = "amqp://guest:guest@127.0.0.1:1/"

EVERY_COMMAND = [
    ["import", "f.jsonl"],
    ["replay", f"{ex.ISSUER}:A1"],
    ["reads", f"{ex.ISSUER}:A1"],
    ["feed", "intake"],
    ["dead-letters", "list", "intake"],
    ["report", "programmes"],
    ["status"],
    ["verify"],
]


@pytest.fixture
def data(tmp_path: Path) -> Path:
    file = write_jsonl(tmp_path / "f.jsonl", [*ex.catalogue(), ex.register_person("A1")])
    folder = tmp_path / "data"
    assert run("import", str(file), "--data", str(folder))[0] == 0
    return folder


@pytest.mark.parametrize("argv", EVERY_COMMAND, ids=lambda argv: argv[0])
def test_an_explicit_data_folder_wins_over_amqp_uri_from_the_environment(
    argv: list[str], data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AMQP_URI", UNREACHABLE)
    monkeypatch.chdir(data.parent)

    code, out, err = run(*argv, "--data", str(data))

    assert code == 0, err
    assert out
    assert "broker" not in err


@pytest.mark.parametrize("argv", EVERY_COMMAND, ids=lambda argv: argv[0])
def test_naming_both_data_and_amqp_uri_is_refused(argv: list[str], data: Path) -> None:
    code, out, err = run(*argv, "--data", str(data), "--amqp-uri", UNREACHABLE)

    assert (code, out) == (2, "")
    assert err == f"pathway {argv[0]}: give --data DIR or --amqp-uri URI, not both (one data source at a time)\n"


def test_without_data_amqp_uri_from_the_environment_is_used_and_an_unreachable_broker_is_one_line(
    data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AMQP_URI", UNREACHABLE)

    code, out, err = run("report", "programmes")

    assert (code, out) == (1, "")
    assert err == "pathway report: the broker at 127.0.0.1:1 did not answer when connecting (ConnectionRefusedError)\n"
