"""The caller a verified token names: what the edges hand to the roles check and to the audit trail."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Principal:
    """A person or a system client, as the identity provider vouches for it.

    `subject` is the provider's stable id for the caller (the token's `sub`), not a name: it is what an
    audit record should keep. `agency` is None when the provider does not say (a national identity
    service may not know the caller's agency). `client_id` is the application the token was issued to
    (`azp`, `client_id` or Entra's `appid`), None when the token does not name one.
    """

    subject: str
    agency: str | None
    roles: frozenset[str]
    client_id: str | None

    def has_any(self, roles: Iterable[str]) -> bool:
        """True when the caller holds at least one of `roles` (an operation's allowed roles).

        A single string is taken as one role, not as the letters of one, so `has_any("auditor")`
        means what it says.
        """
        wanted = {roles} if isinstance(roles, str) else set(roles)
        return not self.roles.isdisjoint(wanted)
