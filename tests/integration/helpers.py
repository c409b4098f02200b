"""Driving a cluster the way agencies and auditors do: the `pathway` command line with --amqp-uri."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

from pathway.cli import main
from pathway.cohort import ISSUER
from tests.integration.cluster import Cluster


def cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def write_jsonl(path: Path, lines: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    return path


def people_in(lines: list[dict[str, Any]]) -> list[str]:
    """Every person of an import file, as issuer:value."""
    found = []
    for line in lines:
        national_id = line["data"].get("national_id")
        if line["command"] == "register_person":
            found.append(f"{national_id['issuer']}:{national_id['value']}")
    return found


def replay(person: str, *source: str) -> list[dict[str, Any]]:
    code, out, err = cli("replay", person, "--format", "json", *source)
    assert code == 0, err
    return json.loads(out)


def per_service(entries: list[dict[str, Any]]) -> dict[str, list[tuple[str, Any, Any]]]:
    """Each service's own sequence of (type, actor, data), with times taken from recording left out.

    Reactions run asynchronously in the distributed mode, so how two services'
    events interleave within one wait may differ from the embedded run; each
    service's own history may not.
    """
    history: dict[str, list[tuple[str, Any, Any]]] = {}
    for entry in entries:
        history.setdefault(entry["service"], []).append((entry["type"], entry["actor"], entry["data"]))
    return history


def assert_same_pathways(people: list[str], cluster: Cluster, embedded: Path) -> None:
    for person in people:
        distributed = replay(person, "--amqp-uri", cluster.amqp_uri)
        local = replay(person, "--data", str(embedded))
        assert per_service(distributed) == per_service(local), person
        assert sorted(e["type"] for e in distributed) == sorted(e["type"] for e in local), person


__all__ = ["ISSUER", "assert_same_pathways", "cli", "people_in", "per_service", "replay", "write_jsonl"]
