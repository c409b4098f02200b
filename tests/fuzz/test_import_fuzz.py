"""Fuzzed import files, as bytes, through `pathway import FILE --data DIR`: no exception escapes, the exit code
says applied (0) or some line failed (1), every failed line is reported as `FILE:LINE: field: problem`, and
the summary line is always printed."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pathway.cli import main
from tests.fuzz.strategies import (
    COMMAND_NAMES,
    POISON_BODIES,
    fuzz_settings,
    json_values,
    plausible_or_bent,
    text,
)
from tests.fuzz.tally import tally

# Whole lines that are wrong in a way a file from outside could be.
ODD_LINES = [
    b"\xff\xfe\x00",
    b'{"service": "intake", "command": "register_person", "data": {"given_name": "\xc3\x28"}}',
    b"\xef\xbb\xbf{}",
    b"# a comment",
    b"   ",
    b"\r",
    b"[]",
    b'{"service": "intake"}',
    b'{"service": "nowhere", "command": "register_person", "data": {}}',
    b'{"service": "intake", "command": "no_such_command", "data": {}}',
    b'{"service": "intake", "command": "register_person", "data": []}',
    b'{"service": "intake", "command": "register_person", "data": {}, "extra": 1}',
    *(body.replace(b"\n", b" ") for body in POISON_BODIES),
]


@st.composite
def command_lines(draw: st.DrawFn) -> bytes:
    """A line with the right envelope and data shaped by (or bent from) the command's schema."""
    service, command = draw(st.sampled_from(COMMAND_NAMES))
    data = draw(plausible_or_bent(service, command))
    shape: dict[str, Any] = {"service": service, "command": command, "data": data}
    if draw(st.integers(0, 5)) == 0:  # now and then the envelope itself is bent
        shape[draw(st.sampled_from(["service", "command", "data", "extra"]))] = draw(json_values)
    return json.dumps(shape, ensure_ascii=draw(st.booleans())).encode()


import_lines = st.one_of(
    command_lines(),
    command_lines(),
    st.sampled_from(ODD_LINES),
    json_values.map(lambda value: json.dumps(value).encode()),
    text.map(str.encode),
    st.binary(max_size=120),
).map(lambda line: line.replace(b"\n", b""))  # one line each: a newline would make it two


def counted_lines(lines: list[bytes]) -> int:
    """How many lines the importer should count: blank lines and `#` comments are not lines of the load."""
    counted = 0
    for line in lines:
        try:
            decoded = line.decode("utf-8")
        except UnicodeDecodeError:
            counted += 1
            continue
        if decoded.strip() and not decoded.lstrip().startswith("#"):
            counted += 1
    return counted


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One data folder for every example: a fresh one each time would cost more than the import itself."""
    return tmp_path_factory.mktemp("fuzz-import") / "data"


@given(lines=st.lists(import_lines, min_size=1, max_size=6))
@fuzz_settings(250)
def test_fuzzed_import_lines_fail_one_by_one_with_a_reason_and_a_summary(
    data_dir: Path, tmp_path_factory: pytest.TempPathFactory, lines: list[bytes]
) -> None:
    check_import(lines, data_dir, tmp_path_factory)


# Found by the fuzz above, which does not reach them on every run: tried on each run, apart from it, so that
# while one fails the fuzz still runs.
FOUND = {
    "a number past int()'s digit limit": [b'{"sentence_days": ' + b"9" * 5000 + b"}"],
    "invalid UTF-8 between good lines": [b"{}", b'{"given_name": "\xff"}', b"[]"],
}


@pytest.mark.parametrize("lines", list(FOUND.values()), ids=list(FOUND))
def test_lines_the_fuzz_found_fail_one_by_one_with_a_reason_and_a_summary(
    data_dir: Path, tmp_path_factory: pytest.TempPathFactory, lines: list[bytes]
) -> None:
    check_import(lines, data_dir, tmp_path_factory)


def check_import(lines: list[bytes], data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    counted = tally("import lines")
    file = tmp_path_factory.mktemp("lines") / "fuzz.jsonl"
    file.write_bytes(b"".join(line + b"\n" for line in lines))
    out, err = io.StringIO(), io.StringIO()

    try:
        code = main(["import", str(file), "--data", str(data_dir)], out=out, err=err)
    except BaseException:
        counted.crashes += 1
        raise

    counted.tried(f"exit {code}")
    if code not in (0, 1):
        counted.server_errors += 1
    assert code in (0, 1), (code, out.getvalue(), err.getvalue())
    assert "Traceback" not in err.getvalue() + out.getvalue()
    summary = re.search(rf"^{re.escape(str(file))}: (\d+) lines: (\d+) applied, (\d+) skipped, (\d+) failed",
                        out.getvalue(), re.MULTILINE)  # fmt: skip
    assert summary, out.getvalue()
    total, applied, skipped, failed = (int(figure) for figure in summary.groups())
    assert total == counted_lines(lines)
    reported = [line for line in err.getvalue().splitlines() if not re.match(r".*: \d+ lines so far", line)]
    held_back = [line for line in reported if ": held back: " in line]
    assert applied + skipped + failed + len(held_back) == total, (out.getvalue(), err.getvalue())
    failed_lines = set()
    for line in reported:
        found = re.match(rf"^{re.escape(str(file))}:(\d+): (.+)$", line)
        assert found, f"not FILE:LINE: ...: {line!r}"
        reason = found.group(2)
        named = reason == "not valid UTF-8" or re.match(r"^[^:\s][^:]*: \S", reason) is not None
        if not named:
            counted.unnamed_rejections += 1
        assert named, f"not `field: problem`: {line!r}"
        if reason.startswith("held back: "):
            continue
        failed_lines.add(int(found.group(1)))
    assert len(failed_lines) == failed
    assert code == (1 if failed or held_back else 0)
