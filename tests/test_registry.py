"""The one way in: every command has one handler, every query is reachable by RPC, HTTP and the command line, and
nothing inside services/ or shared/ imports itself round in a circle.

Read from the registries (shared/registry/) and from the source, so that a command or query added without its
edge, or an edge written by hand beside the registry, fails here.
"""

from __future__ import annotations

import ast
import inspect

import pytest
from nameko.web.handlers import HttpRequestHandler
from werkzeug.routing import Map, Rule

from pathway.cli import _parser
from pathway.services import SERVICES
from services.intake.service import IntakeService
from services.programmes.service import ProgrammesService
from services.release.service import ReleaseService
from shared.contracts.base import Command
from shared.contracts.commands import COMMANDS
from shared.eventstore.application import PathwayApplication
from shared.eventstore.unit_of_work import UnitOfWork
from shared.nameko_edge import PathwayService, query_routes
from shared.registry.commands import CommandHandlers, Context, Result
from shared.registry.roles import RECORDS_OFFICER, allowed
from tests.test_architecture import ROOT, imports_of, module_name, python_files

NAMEKO_SERVICES = {"intake": IntakeService, "programmes": ProgrammesService, "release": ReleaseService}


def application_class(name: str) -> type[PathwayApplication]:
    """The service's application class, as its bootstrap builds it."""
    module = __import__(f"services.{name}.bootstrap", fromlist=["build"])
    built: type[PathwayApplication] = inspect.get_annotations(module.build, eval_str=True)["return"]
    assert issubclass(built, PathwayApplication)
    return built


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_every_command_contract_has_exactly_one_handler(service: str) -> None:
    handlers = application_class(service).handlers
    assert handlers is not None
    assert set(handlers) == set(COMMANDS[service].values()), "a contract without a handler, or a handler too many"
    others = {contract for other in SERVICES if other != service for contract in application_class(other).handlers}
    assert not set(handlers) & others, "a command is handled by one service"


def test_a_second_handler_for_one_contract_is_refused() -> None:
    contract = next(iter(COMMANDS["intake"].values()))

    def one(cmd: Command, uow: UnitOfWork, ctx: Context) -> Result:
        return {}

    def two(cmd: Command, uow: UnitOfWork, ctx: Context) -> Result:
        return {}

    one.__annotations__["cmd"] = two.__annotations__["cmd"] = contract
    with pytest.raises(ValueError, match="two handlers"):
        CommandHandlers("intake", allowed(RECORDS_OFFICER)(one), allowed(RECORDS_OFFICER)(two))


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_every_reaction_declares_what_it_may_publish_as_public_event_types(service: str) -> None:
    reactions = application_class(service).reactions
    assert reactions is not None
    for event_type, reaction in reactions.items():
        assert reaction.event_type == event_type
        assert all(kind.count(".") >= 2 for kind in reaction.publishes), event_type


def edge_routes(service_class: type) -> Map:
    """Every HTTP route the nameko service serves, as nameko registers them (its entrypoints' rules)."""
    rules = []
    for name, member in inspect.getmembers(service_class):
        for entrypoint in getattr(member, "nameko_entrypoints", ()):
            if isinstance(entrypoint, HttpRequestHandler):
                rules.append(Rule(entrypoint.url, endpoint=name, methods=entrypoint.method.split(",")))
    return Map(rules)


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_every_query_is_reachable_by_rpc_http_and_the_command_line(service: str) -> None:
    queries = SERVICES[service].queries
    assert queries, f"{service} has no queries"
    nameko_service = NAMEKO_SERVICES[service]
    assert hasattr(nameko_service, "query"), "the generic query RPC"
    routes = edge_routes(nameko_service).bind("localhost")
    own = query_routes(queries, nameko_service).bind("localhost")
    reports = _report_subcommands()
    for name, query in queries.items():
        path = _filled(query.http_route)
        assert routes.match(path, method="GET")[0] == "http_query", f"{name}: {path} is shadowed by another route"
        assert own.match(path, method="GET")[0] == name
        assert name in reports, f"pathway report {name} is missing"


def _filled(rule: str) -> str:
    """A path the rule matches: each of its variables filled with a value of its own."""
    adapter = Map([Rule(rule, endpoint="query")]).bind("localhost")
    variables = next(iter(adapter.map.iter_rules())).arguments
    return adapter.build("query", {name: f"value-of-{name}" for name in variables})


def _report_subcommands() -> set[str]:
    parser = _parser()
    (commands,) = [a for a in parser._actions if a.dest == "command"]
    report = commands.choices["report"]  # type: ignore[index]
    (reports,) = [a for a in report._actions if a.dest == "report"]
    return set(reports.choices)  # type: ignore[arg-type]


def test_pathway_report_has_one_subcommand_per_query_and_no_other() -> None:
    queries = {name for parts in SERVICES.values() for name in parts.queries}
    assert _report_subcommands() == queries


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_a_service_module_is_a_name_and_a_provider(service: str) -> None:
    nameko_service = NAMEKO_SERVICES[service]
    own = {name for name, member in vars(nameko_service).items() if getattr(member, "nameko_entrypoints", None)}
    assert not own, f"{service}: entrypoints written by hand beside the registry: {sorted(own)}"
    assert nameko_service.__bases__ == (PathwayService,)
    assert len((ROOT / "services" / service / "service.py").read_text().splitlines()) <= 30


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_an_application_has_no_mixins_and_no_dispatch_by_name(service: str) -> None:
    app = application_class(service)
    assert len(app.__bases__) == 1
    assert app.__bases__[0].__name__ == "PathwayApplication"
    for path in python_files(f"services/{service}", "shared"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "getattr" and len(node.args) >= 2:
                name = node.args[1]
                assert not (isinstance(name, ast.Attribute) and name.attr == "command"), f"{path}: getattr dispatch"


def module_graph(*folders: str) -> dict[str, set[str]]:
    """Module -> the modules of these folders it imports (anywhere in it, TYPE_CHECKING blocks too)."""
    files = python_files(*folders)
    modules = {module_name(path) for path in files}
    graph: dict[str, set[str]] = {}
    for path in files:
        targets = set()
        for name in imports_of(path):
            while name and name not in modules:
                name = name.rpartition(".")[0]
            if name and name != module_name(path):
                targets.add(name)
        graph[module_name(path)] = targets
    return graph


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_circle_finder_finds_a_circle() -> None:
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert circles({"a": {"b"}, "b": set()}) == []


@pytest.mark.parametrize("folder", ["services", "shared", "pathway"])
def test_no_import_circles(folder: str) -> None:
    found = circles(module_graph(folder))
    assert not found, "modules importing each other round in a circle:\n" + "\n".join(" -> ".join(c) for c in found)
