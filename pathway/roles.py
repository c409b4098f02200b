"""`pathway roles`: who may do what, as the services declare it: every command and query against every role.

Read from the registries (each handler's `@allowed`, each query's `roles`), so the table cannot drift from what
the edges enforce.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TextIO

from pathway.services import SERVICES
from shared.registry.roles import ROLE_ORDER, SENSITIVE_READERS


@dataclass(frozen=True)
class Operation:
    service: str
    kind: str  # "command" or "query"
    name: str
    roles: frozenset[str]


def operations() -> list[Operation]:
    """Every command and query of every service, with the roles that may ask for it."""
    found = []
    for service, parts in SERVICES.items():
        for contract in parts.handlers:
            name = contract.command  # type: ignore[attr-defined]
            found.append(Operation(service, "command", name, parts.handlers.roles(contract)))
        found += [Operation(service, "query", name, query.roles) for name, query in parts.queries.items()]
    return sorted(found, key=lambda op: (op.service, op.kind, op.name))


def roles_table(ops: list[Operation]) -> str:
    width = max(len(f"{op.service} {op.kind} {op.name}") for op in ops)
    header = " ".join(f"{index + 1:>2}" for index in range(len(ROLE_ORDER)))
    lines = [f"{'operation':<{width}}  {header}"]
    for op in ops:
        marks = " ".join(f"{'x' if role in op.roles else '.':>2}" for role in ROLE_ORDER)
        lines.append(f"{f'{op.service} {op.kind} {op.name}':<{width}}  {marks}")
    lines.append("")
    lines += [f"{index + 1:>2} {role}" for index, role in enumerate(ROLE_ORDER)]
    lines += ["", "sensitive parts, and the roles given them (the others get them withheld):"]
    lines += [f"  {category:<10} {', '.join(sorted(roles))}" for category, roles in sorted(SENSITIVE_READERS.items())]
    return "\n".join(lines) + "\n"


def cmd_roles(fmt: str, out: TextIO) -> int:
    ops = operations()
    if fmt == "json":
        rows = [{"service": o.service, "kind": o.kind, "name": o.name, "roles": sorted(o.roles)} for o in ops]
        out.write(json.dumps(rows, indent=2) + "\n")
    else:
        out.write(roles_table(ops))
    return 0
