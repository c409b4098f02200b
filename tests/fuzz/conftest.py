"""The fuzz suite's servers and its report: one private distributed system for every module that needs one,
and, at the end of the session, a line per kind of input saying how many examples were tried and what broke."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fuzz.tally import TALLIES
from tests.integration.cluster import SERVICES, Cluster, free_ports, require_servers


@pytest.fixture(scope="package")
def fuzzed_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    """serve, relay, consume and inbox of every service, started once: each costs seconds to start, and the
    fuzz is also a check that the same processes survive everything thrown at them, one kind after another."""
    require_servers()
    running = Cluster(Path(tmp_path_factory.mktemp("fuzz-cluster")), free_ports(3))
    running.create()
    try:
        running.start_all()
        for service in SERVICES:
            running.start("inbox", service)
        deadline = time.monotonic() + 60
        for service in SERVICES:
            running.wait_for_log("inbox", service, "subscribed to", deadline)
        yield running
    finally:
        running.destroy()


def exited(cluster: Cluster) -> dict[str, int]:
    """Processes of the cluster that have exited, with their exit codes."""
    return {
        f"{kind} {service}": code
        for (kind, service, _), process in cluster.processes.items()
        if (code := process.poll()) is not None
    }


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    # Printed with -q too: CI's output is where the counts are read.
    for counted in TALLIES.values():
        terminalreporter.write_line(counted.line())
