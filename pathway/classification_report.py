"""`pathway report classification-reviews`: people whose classification review is overdue (Mandela 93, 94)."""

from __future__ import annotations

import json
from typing import Any


def reviews_json(rows: list[dict[str, Any]]) -> str:
    return json.dumps(rows, indent=2) + "\n"


def reviews_table(rows: list[dict[str, Any]], on: str) -> str:
    lines = [
        f"Classification reviews overdue on {on}: {len(rows)}",
        f"{'person':<36} {'level':<8} {'review due':<10} {'days over':>9} review pending",
    ]
    for row in rows:
        lines.append(
            f"{row['person_id']:<36} {row['level']:<8} {row['next_review_due']:<10} {row['days_overdue']:>9} "
            f"{row['review_pending'] or '-'}"
        )
    return "\n".join(lines) + "\n"
