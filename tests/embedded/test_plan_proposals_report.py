"""`pathway report plan-proposals PERSON`: what an individual plan could draw on, from the command line."""

from __future__ import annotations

import io
import json
from pathlib import Path

from pathway.cli import main
from pathway.embedded import EmbeddedSystem
from tests import examples as ex
from tests.embedded.helpers import load
from tests.embedded.test_programme_plans import assess, plan


def report(data: Path, *argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["report", "plan-proposals", *argv, "--data", str(data)], out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_proposals_and_plans_of_a_person_from_the_command_line(tmp_path: Path) -> None:
    data = tmp_path / "data"
    literacy = ex.publish_programme("P-LIT", kind="education", eligibility={"needs": ["literacy"]})
    with EmbeddedSystem(data) as system:
        lines = [literacy, ex.publish_programme("P-WELD"), ex.register_person("A1"), ex.custodial_sentence("A1")]
        lines += [ex.admit("A1"), assess("A1", needs=["literacy"]), plan("A1", {"need": "literacy"})]
        assert load(system, lines).ok

    code, out, err = report(data, f"{ex.ISSUER}:A1", "--format", "json")

    assert code == 0, err
    proposals = json.loads(out)
    assert [p["programme_id"] for p in proposals["proposed"]] == ["P-LIT"]  # welding meets no assessed need
    assert [p["plan_id"] for p in proposals["plans"]] == ["PLAN-A1"]
    code, table, _ = report(data, f"{ex.ISSUER}:A1")
    assert "P-LIT" in table
    assert "PLAN-A1" in table
    code, _, err = report(data, f"{ex.ISSUER}:NOBODY")
    assert code != 0
    assert "national_id" in err or "PERSON" in err
