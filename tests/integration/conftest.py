"""Integration fixtures: a private cluster on the real RabbitMQ and PostgreSQL, per test module."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integration.cluster import Cluster, free_ports, require_servers


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    require_servers()
    running = Cluster(Path(tmp_path_factory.mktemp("cluster")), free_ports(3))
    running.create()
    try:
        running.start_all()
        yield running
    finally:
        running.destroy()
