"""Queries: name -> parameters model, function, result type; one table per service.

From this table the edge makes one RPC (`query`) and one HTTP route shape, the command line makes one
`pathway report NAME` subcommand per query with only that query's options, and the embedded and remote
systems answer `query(service, name, params)`. Parameters are validated once, here, into field-named problems
(422 over HTTP, an error reply over RPC, exit 2 on the command line).

A query that reads one person's case (`reads_case`) takes `person_id` and is answered only once the read is
recorded in the service's read log, with who read it and why. The sensitive parts of its answer (`sensitive`) are
given only to the roles entitled to them (shared/registry/sensitive.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Annotated, Any
from uuid import UUID

from pydantic import BaseModel, BeforeValidator, ConfigDict, TypeAdapter, ValidationError
from pydantic_core import PydanticCustomError

from shared.contracts.base import problems_from
from shared.errors import FieldProblem, InvalidInput
from shared.eventstore import read_log
from shared.query_params import report_date, report_days
from shared.reader import Reader
from shared.registry.roles import ROLES, SENSITIVE_READERS
from shared.registry.sensitive import visible_to


class QueryParams(BaseModel):
    """The parameters of a query, as they arrive in a query string, an RPC call or command-line options."""

    model_config = ConfigDict(frozen=True, extra="ignore", populate_by_name=True, hide_input_in_errors=True)


def _parsed(parse: Callable[[str, Any], Any]) -> Callable[[Any], Any]:
    """A pydantic validator from one of shared/query_params.py's parsers, its problem worded the same."""

    def validate(value: Any) -> Any:
        try:
            return parse("value", value)
        except InvalidInput as refused:
            raise PydanticCustomError("report_parameter", refused.problems[0].problem) from None

    return validate


def _as_text(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


# A report's day (`on`, `from`, `to`): a date, bounded like a business date.
ReportDate = Annotated[date, BeforeValidator(lambda v: _parsed(report_date)(_as_text(v)))]
# A count of days (`days`, `within`): a whole number, 0 or more, at most the longest term.
ReportDays = Annotated[int, BeforeValidator(_parsed(report_days))]
# A step of days (`every`): a whole number, 1 or more.
StepDays = Annotated[int, BeforeValidator(_parsed(lambda name, value: report_days(name, value, least=1)))]


def _person_id(value: Any) -> Any:
    if isinstance(value, UUID):
        return value
    try:
        return UUID(str(value))
    except ValueError:
        raise PydanticCustomError("person_id", "must be a person id (a UUID)") from None


# The person a case read is about.
PersonId = Annotated[UUID, BeforeValidator(_person_id)]


class NoParams(QueryParams):
    """A query that takes no parameters."""


@dataclass(frozen=True)
class Query:
    """One query: its name (the command line's subcommand and, by default, `/reports/NAME`), its parameters,
    the function that answers it from the service's application, and the type of its answer."""

    name: str
    params: type[QueryParams]
    answer: Callable[[Any, Any], Any]
    result: Any
    route: str = ""
    reads_case: bool = False
    # The roles that may ask for it (shared/registry/roles.py); every query names at least one.
    roles: frozenset[str] = frozenset()
    # Path in the answer -> category of sensitive part (shared/registry/sensitive.py); only a case read has any.
    sensitive: Mapping[str, str] = field(default_factory=dict)
    service: str = field(default="", compare=False)

    @property
    def http_route(self) -> str:
        """The werkzeug rule it is served under: its own, or /reports/NAME."""
        return self.route or f"/reports/{self.name}"

    @property
    def summary(self) -> str:
        doc = (self.answer.__doc__ or self.name).strip()
        return " ".join(doc.split("\n\n")[0].split())

    def parse(self, data: Mapping[str, Any] | None) -> Any:
        """The parameters validated, or InvalidInput naming each field and its problem."""
        if data is not None and not isinstance(data, Mapping):
            raise InvalidInput([FieldProblem("(parameters)", "must be an object of named parameters")])
        try:
            return self.params.model_validate(dict(data or {}))
        except ValidationError as error:
            raise InvalidInput(problems_from(error)) from None

    @cached_property
    def _result_adapter(self) -> TypeAdapter[Any]:
        return TypeAdapter(self.result)

    def run(self, app: Any, params: Any) -> Any:
        """The answer, as plain JSON values."""
        return self._result_adapter.dump_python(self.answer(params, app), mode="json")


class Queries(Mapping[str, Query]):
    """One service's queries, by name (each name once)."""

    def __init__(self, service: str, *queries: Query) -> None:
        self.service = service
        self._by_name: dict[str, Query] = {}
        for query in queries:
            if query.name in self._by_name:
                raise ValueError(f"{service}: two queries named {query.name}")
            if not query.roles or not query.roles <= ROLES:
                raise ValueError(f"{service}: {query.name} must name its roles, from {sorted(ROLES)}")
            if query.reads_case and "person_id" not in query.params.model_fields:
                raise ValueError(f"{service}: {query.name} reads a case but takes no person_id")
            if query.sensitive and not query.reads_case:
                raise ValueError(f"{service}: {query.name} gives sensitive parts, so it must be a read of a case")
            if not set(query.sensitive.values()) <= set(SENSITIVE_READERS):
                raise ValueError(f"{service}: {query.name}: sensitive parts must be of {sorted(SENSITIVE_READERS)}")
            object.__setattr__(query, "service", service)
            self._by_name[query.name] = query

    def __getitem__(self, name: str) -> Query:
        return self._by_name[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_name)

    def __len__(self) -> int:
        return len(self._by_name)

    def named(self, name: Any) -> Query:
        """The query, or InvalidInput naming the ones there are."""
        query = self._by_name.get(name) if isinstance(name, str) else None
        if query is None:
            known = ", ".join(sorted(self._by_name)) or "none"
            raise InvalidInput([FieldProblem("query", f"unknown query for {self.service} (known: {known})")])
        return query


def ask(
    app: Any,
    query: Query,
    data: Mapping[str, Any] | None,
    reader: Reader | None,
    how: str,
    roles: frozenset[str] | None = None,
) -> Any:
    """A query's answer from a service's application: parameters validated, the sensitive parts `roles` may not
    read withheld (None: an open gate, which checks nobody), and a read of a case recorded in the read log (with
    `reader`, `how` it was asked: "store", "rpc" or "http", and the sensitive categories given) before it is given."""
    params = query.parse(data)
    if not query.reads_case:
        return query.run(app, params)
    if reader is None:
        raise InvalidInput([FieldProblem("reader", "a read of a person's case must say who reads it")])
    visible = visible_to(roles, query.run(app, params), query.sensitive)
    what = query.name + (f" (sensitive: {', '.join(sorted(visible.given))})" if visible.given else "")
    read_log.record_read(app, params.person_id, reader, what, how)
    return visible.answer
