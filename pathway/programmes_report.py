"""`pathway report programmes`: places, waiting lists and completion rates per programme."""

from __future__ import annotations

import json
from typing import Any


def programmes_json(rows: list[dict[str, Any]]) -> str:
    return json.dumps(rows, indent=2) + "\n"


def programmes_table(rows: list[dict[str, Any]]) -> str:
    lines = [
        "Programmes now",
        f"{'programme':<24} {'capacity':>8} {'enrolled':>8} {'waiting':>7} {'completed':>9} {'dropped':>7} {'rate':>5}",
    ]
    for row in rows:
        rate = "-" if row["completion_rate"] is None else f"{row['completion_rate']:.0%}"
        lines.append(
            f"{row['programme_id']:<24} {row['capacity']:>8} {row['enrolled']:>8} {row['waiting']:>7} "
            f"{row['completed']:>9} {row['dropped_out']:>7} {rate:>5}"
        )
    return "\n".join(lines) + "\n"
