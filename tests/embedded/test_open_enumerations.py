"""Values from the open lists' `other` and `unknown` are recorded like any other, with the sender's own code
beside them where it gave one."""

from __future__ import annotations

from datetime import date

from pathway.embedded import EmbeddedSystem
from tests import examples as ex
from tests.embedded.helpers import load, replay


def test_a_release_of_another_kind_ends_custody_and_an_unknown_outcome_is_a_follow_up(system: EmbeddedSystem) -> None:
    released = ex.release("A1", release_type="other", released_on="2025-06-01")
    released["data"]["source_codes"] = {"release_type": "NL-GRATIE-3"}
    unknown = ex.record_outcome("A1", recorded_on="2025-12-01", employment="unknown", housing="unknown")
    report = load(system, [ex.register_person("A1"), ex.custodial_sentence("A1"), ex.admit("A1"), released, unknown])
    assert report.ok, report.errors

    occupancy = system.query("intake", "occupancy", {"on": date(2025, 7, 1)})
    assert sum(row["occupancy"] for row in occupancy) == 0
    published = {e["type"]: e["data"] for e in replay(system, "A1")}
    assert published["release.person.released"]["release_type"] == "other"
    assert published["release.source-codes.noted"]["codes"] == {"release_type": "NL-GRATIE-3"}
    assert (published["release.outcome.recorded"]["employment"], published["release.outcome.recorded"]["housing"]) == (
        "unknown",
        "unknown",
    )
