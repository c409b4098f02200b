"""The roles a caller's token may carry, and how a command or query declares the roles that may ask for it.

Each handler is marked `@allowed(...)` where it is written, and each query lists its roles in its entry: the one
place every edge (HTTP, RPC, the AMQP command inbox, the command line) reads who may do what. A caller holding any
one of an operation's roles may ask for it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

# Staff of the justice agencies, each allowed what their work needs.
RECORDS_OFFICER = "records-officer"  # intake's records: people, court decisions, custody, placement, release
PROGRAMME_OFFICER = "programme-officer"  # programmes: catalogue, needs and plans, referrals, delivery
PROBATION_OFFICER = "probation-officer"  # release planning, supervision, compliance, resettlement, outcomes
SENTENCE_CALCULATOR = "sentence-calculator"  # release dates set by hand where the rules cannot
CLASSIFICATION_APPROVER = "classification-approver"  # the second person who decides a classification
# Read-only across services, always with a stated purpose.
AUDITOR = "auditor"
# A national agency's own system: the records it feeds in, and the public events it is entitled to.
AGENCY_CLIENT = "agency-client"
# Runs the services: status, health, dead letters; no case content.
OPERATOR = "operator"
# Migrates an agency's history: every command, each historic record keeping the officer who entered it.
IMPORTER = "importer"

# Every role, in the order tables show them: staff, then those who read, integrate, run and migrate.
ROLE_ORDER = (
    RECORDS_OFFICER,
    PROGRAMME_OFFICER,
    PROBATION_OFFICER,
    SENTENCE_CALCULATOR,
    CLASSIFICATION_APPROVER,
    AUDITOR,
    AGENCY_CLIENT,
    OPERATOR,
    IMPORTER,
)
ROLES = frozenset(ROLE_ORDER)

# Who may read a person's whole part of the pathway in a service (its events): staff and auditors, never an
# agency's system or the operator.
CASE_READERS = frozenset(
    {RECORDS_OFFICER, PROGRAMME_OFFICER, PROBATION_OFFICER, SENTENCE_CALCULATOR, CLASSIFICATION_APPROVER, AUDITOR}
)
# Who may page through a service's public events: agencies' systems, and auditors.
FEED_READERS = frozenset({AGENCY_CLIENT, AUDITOR})
# Who may ask how far a service has got (no case content): operators, and the importer, which waits on it.
STATUS_READERS = frozenset({OPERATOR, IMPORTER})
# Who may set aside, replay or discard dead letters: operators only, each act recorded under their name.
DEAD_LETTER_HANDLERS = frozenset({OPERATOR})
# Who may check a store against its seals: auditors, and the operators who keep it.
STORE_VERIFIERS = frozenset({AUDITOR, OPERATOR})
# Who may learn which record a national id belongs to: those who read cases, and the importer that links lines.
PERSON_RESOLVERS = CASE_READERS | {IMPORTER}

# Categories of sensitive parts, and who may read each (shared/registry/sensitive.py withholds them from the rest).
HEALTH = "health"  # health at admission, the health pathways of resettlement
CHILDREN = "children"  # a person's children and the care arranged for them (Bangkok Rule 3)
EXTREMISM = "extremism"  # the extremism rating of a classification
NEEDS = "needs"  # assessed needs and barriers to learning
RISK = "risk"  # risk of reoffending
SENSITIVE_READERS: dict[str, frozenset[str]] = {
    HEALTH: frozenset({RECORDS_OFFICER, PROBATION_OFFICER}),
    CHILDREN: frozenset({RECORDS_OFFICER, PROBATION_OFFICER}),
    EXTREMISM: frozenset({CLASSIFICATION_APPROVER}),
    NEEDS: frozenset({PROGRAMME_OFFICER, PROBATION_OFFICER}),
    RISK: frozenset({PROGRAMME_OFFICER, PROBATION_OFFICER, CLASSIFICATION_APPROVER}),
}

F = TypeVar("F", bound=Callable[..., Any])


def allowed(*roles: str) -> Callable[[F], F]:
    """Declare the roles that may ask for a command (on its handler). The importer may ask for every command."""
    unknown = set(roles) - ROLES
    if unknown or not roles:
        raise ValueError(f"roles must be some of {sorted(ROLES)}, not {sorted(unknown) or 'none'}")

    def declare(handler: F) -> F:
        handler.roles = frozenset({*roles, IMPORTER})  # type: ignore[attr-defined]
        return handler

    return declare


def roles_of(operation: Any) -> frozenset[str]:
    """The roles a handler was declared with (empty if it was not)."""
    declared: object = getattr(operation, "roles", None)
    return declared if isinstance(declared, frozenset) else frozenset()
