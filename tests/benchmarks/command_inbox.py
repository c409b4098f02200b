"""Benchmark: commands through the AMQP command inbox against the same commands over RPC `execute`, one at a time.

A private cluster (its own databases and vhost) runs every service's processes and
intake's inbox. The same kind of commands (register, court decision, admit; each
person's three in order) go in both ways, for different people, in the same run,
so the ratio is what to read on a shared, noisy machine. The inbox is timed from
the first publish to the last reply (the agency publishes without waiting); RPC
waits for each reply before sending the next, as the importer does.

    .venv/bin/python -m tests.benchmarks.command_inbox [people]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from pathway.remote import RemoteSystem
from tests import examples as ex
from tests.integration.agency import Agency
from tests.integration.cluster import Cluster, free_ports, require_servers


def commands(prefix: str, people: int) -> list[dict[str, Any]]:
    return [
        line
        for n in range(people)
        for line in (
            ex.register_person(f"{prefix}{n}"),
            ex.custodial_sentence(f"{prefix}{n}"),
            ex.admit(f"{prefix}{n}"),
        )
    ]


def through_inbox(agency: Agency, lines: list[dict[str, Any]], prefix: str) -> float:
    started = time.perf_counter()
    for n, line in enumerate(lines):
        agency.publish(line, f"{prefix}-{n}")
    replies = agency.replies(len(lines), timeout=600)
    elapsed = time.perf_counter() - started
    assert len(replies) == len(lines), f"{len(replies)} of {len(lines)} replies"
    assert all(reply["ok"] for _, reply in replies)
    return elapsed


def over_rpc(remote: RemoteSystem, lines: list[dict[str, Any]]) -> float:
    started = time.perf_counter()
    for line in lines:
        remote.execute(line["service"], line["command"], line["data"])
    return time.perf_counter() - started


def main(people: int) -> None:
    require_servers()
    with tempfile.TemporaryDirectory(prefix="bench-inbox-") as tmp:
        cluster = Cluster(Path(tmp), free_ports(3))
        cluster.create()
        try:
            cluster.start_all()
            cluster.start("inbox", "intake")
            cluster.wait_for_log("inbox", "intake", "subscribed to", time.monotonic() + 60)
            agency = Agency(cluster)
            with RemoteSystem(cluster.amqp_uri) as remote:
                through_inbox(agency, commands("WI", 5), "warm")  # connections and pools opened
                over_rpc(remote, commands("WR", 5))
                count = people * 3
                rpc = over_rpc(remote, commands("R", people))
                inbox = through_inbox(agency, commands("I", people), "bench")
            agency.close()
        finally:
            cluster.destroy()
    print(f"{count} commands each way ({people} people x register, court decision, admit)")
    print(f"RPC execute, one at a time: {rpc:6.2f}s  {count / rpc:7.0f} commands/s")
    print(f"AMQP command inbox:         {inbox:6.2f}s  {count / inbox:7.0f} commands/s  ({rpc / inbox:.1f}x)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300)
