"""The admission record of Mandela Rule 7, split by who may read each section.

Which parts of an admission record are health-sensitive or about children (restricted: Bangkok Rule 3),
which are personal (withheld from public events), and which may travel with the public event.
"""

from __future__ import annotations

from typing import Any

SENSITIVE_SECTIONS = ("health", "children")
PERSONAL_SECTIONS = ("arrest_place", "self_perceived_gender", "property", "next_of_kin", "emergency_contact")


def split_record(record: dict[str, Any]) -> dict[str, dict[str, Any]]:
    sensitive = {k: v for k, v in record.items() if k in SENSITIVE_SECTIONS}
    personal = {k: v for k, v in record.items() if k in PERSONAL_SECTIONS}
    open_part = {k: v for k, v in record.items() if k not in sensitive and k not in personal}
    return {"open": open_part, "personal": personal, "sensitive": sensitive}
