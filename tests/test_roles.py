"""Who may do what, as declared beside each handler and query: the shape of the permission matrix.

The edges enforce these declarations; here the declarations themselves are held to the rules every agency relies
on: the importer may send every command, the auditor reads everything and changes nothing, the operator sees no
case content, the second person of a classification is not its proposer.
"""

from __future__ import annotations

import io
import json

import pytest

from pathway.cli import main
from pathway.roles import operations
from pathway.services import SERVICES
from shared.contracts.commands import Admit
from shared.eventstore.unit_of_work import UnitOfWork
from shared.registry.commands import CommandHandlers, Context, Result
from shared.registry.roles import (
    AGENCY_CLIENT,
    AUDITOR,
    CLASSIFICATION_APPROVER,
    IMPORTER,
    OPERATOR,
    RECORDS_OFFICER,
    ROLES,
    SENSITIVE_READERS,
    allowed,
)

COMMANDS = [op for op in operations() if op.kind == "command"]
QUERIES = [op for op in operations() if op.kind == "query"]


def test_every_operation_names_roles_that_exist() -> None:
    assert len(COMMANDS) == 61
    assert QUERIES
    for op in operations():
        assert op.roles, op
        assert op.roles <= ROLES, op


def test_the_importer_may_send_every_command_and_reads_nothing() -> None:
    assert all(IMPORTER in op.roles for op in COMMANDS)
    assert not any(IMPORTER in op.roles for op in QUERIES)


def test_the_auditor_reads_every_report_and_changes_nothing() -> None:
    assert all(AUDITOR in op.roles for op in QUERIES)
    assert not any(AUDITOR in op.roles for op in COMMANDS)


def test_the_operator_sees_no_case_content() -> None:
    assert not any(OPERATOR in op.roles for op in operations())


def test_an_agency_system_reads_no_ones_case() -> None:
    assert not any(AGENCY_CLIENT in op.roles for op in QUERIES)


def test_the_second_person_of_a_classification_is_not_its_proposer() -> None:
    by_name = {op.name: op.roles for op in COMMANDS}
    assert by_name["propose_classification"] - {IMPORTER} == {RECORDS_OFFICER}
    assert by_name["decide_classification"] - {IMPORTER} == {CLASSIFICATION_APPROVER}


def test_sensitive_parts_go_to_staff_whose_work_needs_them_never_to_systems_operators_or_auditors() -> None:
    for category, readers in SENSITIVE_READERS.items():
        assert readers, category
        assert readers.isdisjoint({AUDITOR, AGENCY_CLIENT, OPERATOR, IMPORTER}), category
    for parts in SERVICES.values():
        for query in parts.queries.values():
            assert set(query.sensitive.values()) <= set(SENSITIVE_READERS), query.name


def test_a_handler_without_roles_is_refused_a_place_in_the_table() -> None:
    def admit(cmd: Admit, uow: UnitOfWork, ctx: Context) -> Result:
        return {}

    with pytest.raises(ValueError, match="declares no roles"):
        CommandHandlers("intake", admit)
    assert CommandHandlers("intake", allowed(RECORDS_OFFICER)(admit)).roles(Admit) == {RECORDS_OFFICER, IMPORTER}


def test_an_unknown_role_is_refused() -> None:
    with pytest.raises(ValueError, match="roles must be"):
        allowed("janitor")


def test_pathway_roles_prints_the_matrix_and_its_json(capsys: pytest.CaptureFixture[str]) -> None:
    table = io.StringIO()
    assert main(["roles"], out=table) == 0
    lines = table.getvalue().splitlines()
    assert any(line.startswith("intake command decide_classification") for line in lines)
    assert len([line for line in lines if " command " in line or " query " in line]) == len(operations())
    print(table.getvalue())  # shown with -s, and in CI logs of a failing run

    as_json = io.StringIO()
    assert main(["roles", "--format", "json"], out=as_json) == 0
    rows = json.loads(as_json.getvalue())
    assert {(r["service"], r["name"]) for r in rows} == {(op.service, op.name) for op in operations()}
