"""`pathway report NAME`: one subcommand per query the services register, each with only its own options.

The options come from the query's parameters model (shared/registry/queries.py): a field `on` becomes `--on DATE`,
validated as the service validates it, so an absurd value is a usage error before any service is asked. A query
that reads a person's case takes PERSON (an id, or issuer:value) and the reader options, and is recorded in the
service's read log. The answer is printed as JSON, or as the table `pathway/report_tables.py` has for it.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Annotated, Any, TextIO

from pydantic import TypeAdapter, ValidationError
from pydantic.fields import FieldInfo

from pathway.reads import add_reader_arguments, reader_of
from pathway.replay import parse_person, resolve_in_store
from pathway.report_tables import JSON_VIEWS, TABLES
from pathway.services import SERVICES
from shared.contracts.base import problems_from
from shared.errors import FieldProblem, InvalidInput
from shared.registry.queries import Query, ask

PERSON_HELP = "person id, or national identifier as issuer:value"


def add_report_commands(
    commands: Any, data_help: str, add_amqp_option: Callable[[argparse.ArgumentParser], None]
) -> None:
    """`pathway report` and, under it, a subcommand for every query of every service."""
    report = commands.add_parser("report", help="figures for policy and oversight, and reads of one person's case")
    reports = report.add_subparsers(dest="report", required=True, metavar="REPORT")
    for service, parts in SERVICES.items():
        for query in parts.queries.values():
            about = f"{query.summary} ({service})"
            parser = reports.add_parser(query.name, help=about, description=about)
            for name, field in query.params.model_fields.items():
                if query.reads_case and name == "person_id":
                    parser.add_argument("person", metavar="PERSON", nargs="?", help=PERSON_HELP)
                else:
                    _add_option(parser, name, field)
            parser.add_argument("--data", type=Path, help=data_help)
            parser.add_argument("--format", choices=["table", "json"], default="table", help="how to print it")
            if query.reads_case:
                add_reader_arguments(parser)
            add_amqp_option(parser)
            parser.set_defaults(query=query)


def _add_option(parser: argparse.ArgumentParser, name: str, field: FieldInfo) -> None:
    flag = "--" + (field.alias or name).replace("_", "-")
    default = _default_text(field)
    described = field.description or ""
    if default:
        described = f"{described} (default: {default})".strip()
    elif field.is_required():
        described = f"{described} (required)".strip()
    parser.add_argument(flag, dest=name, type=_parser_of(field), metavar=_metavar(field), help=described or None)


def _default_text(field: FieldInfo) -> str:
    if field.default_factory is date.today:
        return "today"
    if field.is_required() or field.default is None:
        return ""
    return str(field.default)


def _metavar(field: FieldInfo) -> str:
    if field.annotation is date:
        return "DATE"
    if field.annotation is int:
        return "DAYS"
    return "ID"


def _parser_of(field: FieldInfo) -> Callable[[str], Any]:
    """An option's text validated by the field's own type: a bad value is a usage error naming the option."""
    annotation: Any = Annotated[(field.annotation, *field.metadata)] if field.metadata else field.annotation
    adapter: TypeAdapter[Any] = TypeAdapter(annotation)

    def parse(text: str) -> Any:
        try:
            return adapter.validate_python(text)
        except ValidationError as error:
            # argparse names the option itself: only the problem is said.
            raise argparse.ArgumentTypeError("; ".join(p.problem for p in problems_from(error))) from None

    return parse


def cmd_report(
    args: argparse.Namespace,
    out: TextIO,
    err: TextIO,
    local: Callable[[str], Any],
    remote: Callable[[str], Any],
) -> int:
    """Ask the query of its service, in its local store or over RPC with --amqp-uri, and print the answer."""
    query: Query = args.query
    missing = _missing_options(query, args)
    if missing:
        print(f"pathway report {query.name}: {missing} is required", file=err)
        return 2
    params = {
        name: getattr(args, name)
        for name in query.params.model_fields
        if name != "person_id" and getattr(args, name, None) is not None
    }
    answer = _remote_answer(query, args, params, remote) if args.amqp_uri else _local_answer(query, args, params, local)
    if args.format == "json":
        out.write(json.dumps(JSON_VIEWS.get(query.name, _as_is)(answer), indent=2) + "\n")
    else:
        shown = query.params.model_construct(**params).model_dump(mode="json", by_alias=True, exclude={"person_id"})
        table = TABLES.get(query.name)
        out.write(table(answer, shown) if table else json.dumps(answer, indent=2) + "\n")
    return 0


def _missing_options(query: Query, args: argparse.Namespace) -> str | None:
    for name, field in query.params.model_fields.items():
        if field.is_required() and name != "person_id" and getattr(args, name, None) is None:
            return f"--{(field.alias or name).replace('_', '-')} {_metavar(field)}"
    return None


def _as_is(answer: Any) -> Any:
    return answer


def _named_person(args: argparse.Namespace) -> Any:
    if not args.person:
        raise InvalidInput([FieldProblem("PERSON", "give a person id or a national identifier as issuer:value")])
    return parse_person(args.person)


def _local_answer(query: Query, args: argparse.Namespace, params: dict[str, Any], local: Callable[[str], Any]) -> Any:
    app = local(query.service)
    try:
        if query.reads_case:
            params = {**params, "person_id": resolve_in_store(app, _named_person(args))}
            return ask(app, query, params, reader_of(args), "store")
        return ask(app, query, params, None, "store")
    finally:
        app.close()


def _remote_answer(query: Query, args: argparse.Namespace, params: dict[str, Any], remote: Callable[[str], Any]) -> Any:
    params = {name: value.isoformat() if isinstance(value, date) else value for name, value in params.items()}
    with remote(args.amqp_uri) as system:
        if query.reads_case:
            params = {**params, "person_id": str(system.resolve(_named_person(args)))}
            return system.query(query.service, query.name, params, reader_of(args))
        return system.query(query.service, query.name, params)
