"""Who is reading a case, and why: decided here, and only here.

Behind an identity provider the reader is the token's principal, over HTTP and RPC alike (shared/nameko_edge.py,
`principal_reader`): its subject, agency and roles, with only the purpose stated, and required. Where nobody
checks tokens (the embedded mode, a service run with authentication off), a reader states who they are:
`--reader` on the command line, `reader=` over RPC, the `X-Pathway-Reader` header. Every edge hands what it has to
`decide_reader`.

Only the reader's own statements are kept: a name, an agency, a role, a purpose. Nothing about the person read.
"""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass
from typing import Any, Protocol

# Recorded when a caller over RPC or HTTP states no reader: the read still happens, and is still recorded.
UNSTATED = "unstated"
# A statement longer than this is cut: it is a name or a reason, not a document.
LONGEST = 200

HEADERS = {
    "reader": "X-Pathway-Reader",
    "purpose": "X-Pathway-Purpose",
    "agency": "X-Pathway-Agency",
    "role": "X-Pathway-Role",
}


@dataclass(frozen=True)
class Reader:
    """Who read, for which agency in which role, and why, as stated."""

    name: str
    purpose: str | None = None
    agency: str | None = None
    role: str | None = None

    def as_rpc(self) -> dict[str, Any]:
        """The keyword arguments that state this reader to a service's read RPCs."""
        return {"reader": self.name, "purpose": self.purpose, "agency": self.agency, "role": self.role}


def _statement(text: str | None) -> str | None:
    cleaned = " ".join((text or "").split())[:LONGEST]
    return cleaned or None


def decide_reader(
    stated: str | None,
    purpose: str | None = None,
    agency: str | None = None,
    role: str | None = None,
    *,
    fallback: str = UNSTATED,
) -> Reader:
    """The reader of a case, its statements cleaned and bounded; `fallback` when it names nobody."""
    return Reader(_statement(stated) or fallback, _statement(purpose), _statement(agency), _statement(role))


def local_user() -> str:
    """Who runs a command here, when they state nobody: $PATHWAY_READER, else the OS user, marked "os:NAME"."""
    return _statement(os.environ.get("PATHWAY_READER")) or f"os:{getpass.getuser()}"


def command_line_reader(
    stated: str | None, purpose: str | None = None, agency: str | None = None, role: str | None = None
) -> Reader:
    return decide_reader(stated, purpose, agency, role, fallback=local_user())


class Headers(Protocol):
    """An HTTP request's headers (werkzeug's, or a plain dict in tests)."""

    def get(self, key: str, /) -> str | None: ...


def header_reader(headers: Headers) -> Reader:
    """The reader an HTTP request states in its X-Pathway-* headers."""
    return decide_reader(*(headers.get(HEADERS[field]) for field in ("reader", "purpose", "agency", "role")))
