"""Command handlers: plain functions `(command, uow, ctx) -> result`, in one table keyed by contract class."""

from __future__ import annotations

import typing
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar
from uuid import UUID

from shared.contracts.base import Command
from shared.domain import Provenance
from shared.eventstore.unit_of_work import UnitOfWork
from shared.registry.roles import roles_of

# What a handler answers with: the reply's `result` (ids of what it touched, a referral's status...).
Result = dict[str, Any]


@dataclass(frozen=True)
class Context:
    """What a handler is given besides its command and unit of work."""

    service: str
    by: Provenance
    person_id: UUID | None = None
    # The jurisdiction's rules the service applies, a setting of the running service (release's rules file).
    rules: Any = None


Handler = Callable[[Any, UnitOfWork, Context], Result]
H = TypeVar("H", bound=Handler)


def across_people(handler: H) -> H:
    """Mark a handler whose outcome can depend on reactions about other people (who gets a freed place, in
    which order): an importer waits for every upstream reaction before such a command, not only the person's."""
    handler.across_people = True  # type: ignore[attr-defined]
    return handler


def contract_of(handler: Handler) -> type[Command]:
    """The contract a handler takes, read from its first parameter's annotation."""
    hints = typing.get_type_hints(handler)
    first = next(iter(hints), None)
    contract = hints.get(first) if first is not None and first != "return" else None
    if not (isinstance(contract, type) and issubclass(contract, Command)):
        raise TypeError(f"{handler.__qualname__}: its first parameter must be annotated with a command contract")
    return contract


class CommandHandlers(Mapping[type[Command], Handler]):
    """One service's handlers, keyed by the contract of the command each takes (from its annotation)."""

    def __init__(self, service: str, *handlers: Handler) -> None:
        self.service = service
        self._by_contract: dict[type[Command], Handler] = {}
        for handler in handlers:
            contract = contract_of(handler)
            if not roles_of(handler):
                raise ValueError(f"{service}: {handler.__qualname__} declares no roles (@allowed(...))")
            if contract in self._by_contract:
                other = self._by_contract[contract].__qualname__
                raise ValueError(f"{service}: {contract.__name__} has two handlers ({other}, {handler.__qualname__})")
            self._by_contract[contract] = handler

    def __getitem__(self, contract: type[Command]) -> Handler:
        return self._by_contract[contract]

    def __iter__(self) -> Iterator[type[Command]]:
        return iter(self._by_contract)

    def __len__(self) -> int:
        return len(self._by_contract)

    def roles(self, contract: type[Command]) -> frozenset[str]:
        """The roles that may ask for this command."""
        return roles_of(self._by_contract[contract])

    def senders(self) -> frozenset[str]:
        """Every role that may ask for at least one of these commands."""
        return frozenset().union(*(roles_of(handler) for handler in self._by_contract.values()))

    def across_people(self) -> frozenset[str]:
        """The names of the commands whose outcome can depend on reactions about other people."""
        return frozenset(
            contract.command  # type: ignore[attr-defined]
            for contract, handler in self._by_contract.items()
            if getattr(handler, "across_people", False)
        )
