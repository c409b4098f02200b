"""How `pathway report` prints each answer as a table: query name -> (answer, parameters as given) -> text.

A report without an entry here prints its answer as JSON, so a new report needs no table to be usable.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pathway.report_tables import intake, programmes, release

Table = Callable[[Any, dict[str, Any]], str]

TABLES: dict[str, Table] = {
    "occupancy": lambda rows, p: intake.occupancy_table(rows, p["on"]),
    "occupancy-trend": lambda rows, p: intake.trend_table(rows, p["every"]),
    "pretrial": lambda rows, p: intake.pretrial_table(rows, p["on"]),
    "classification-reviews": lambda rows, p: intake.reviews_table(rows, p["on"]),
    "programmes": lambda rows, p: programmes.programmes_table(rows),
    "learning-record": lambda record, p: programmes.learning_record_table(record),
    "plan-proposals": lambda proposals, p: programmes.proposals_table(proposals),
    "unexplained-conditions": lambda rows, p: release.unexplained_table(rows, p["on"]),
    "caseload": lambda rows, p: release.caseload_table(rows, p["on"]),
    "compliance": lambda rows, p: release.compliance_table(rows, p["on"]),
    "releases-flagged": lambda rows, p: release.releases_flagged_table(rows, p["on"]),
    "releases-due": lambda rows, p: release.releases_due_table(rows, p["on"]),
    "supervision-reviews": lambda rows, p: release.supervision_reviews_table(rows, p["on"]),
    "reoffending": lambda result, p: release.reoffending_table(result, p["on"]),
    "followups-due": lambda rows, p: release.followups_table(rows, p["on"], p["within"]),
}

# The command line's JSON of a report where it differs from the service's answer: the occupancy rows as the
# figures per facility, without the average time held pre-trial that the table shows.
JSON_VIEWS: dict[str, Callable[[Any], Any]] = {
    "occupancy": lambda rows: [{k: v for k, v in row.items() if k != "average_pretrial_days"} for row in rows],
}
