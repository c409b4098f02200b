"""What each RabbitMQ user of a deployment may do, as the broker's permissions and topic permissions.

RabbitMQ gives a user, per vhost, three regular expressions over resource names (configure, write, read) and,
per topic exchange, two over routing keys (write: what it may publish; read: what it may bind a queue to). A
service's user runs all of that service's processes: its relay may publish only the service's own events and
watermarks, its nameko process only its own RPC queue. An agency's user may publish only the commands it is
granted, bind a queue of its own only to the events it may read, and touch no other queue.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from shared.auth.agencies import AgencyGrant
from shared.messaging.amqp import DEAD_LETTER_EXCHANGE, WATERMARK_EXCHANGE
from shared.messaging.command_inbox import COMMANDS_EXCHANGE
from shared.messaging.topology import EXCHANGE

# nameko's RPC exchange; each service consumes its calls from `rpc-<service>`.
NAMEKO_RPC_EXCHANGE = "nameko-rpc"
# The default exchange, through which the command inbox replies to an agency's `reply_to` queue.
DEFAULT_EXCHANGE = "amq.default"
NOTHING = "^$"  # matches no resource and no routing key pathway uses
EVERYTHING = ".*"


@dataclass(frozen=True)
class TopicPermission:
    exchange: str
    write: str
    read: str


@dataclass(frozen=True)
class UserPermissions:
    """One user's permissions on the deployment's vhost."""

    user: str
    configure: str
    write: str
    read: str
    topics: tuple[TopicPermission, ...] = ()


def any_of(*regexes: str) -> str:
    return "^(" + "|".join(regexes) + ")$"


def literal(name: str) -> str:
    return re.escape(name)


WORD = r"[^.]+"


def from_topic_pattern(pattern: str) -> str:
    """A grant's AMQP topic pattern (`*` one dot-separated word, `#` any number of them) as a regular expression
    matching the same routing keys, which is what the broker's topic permissions take."""
    words: list[str] = []
    for word in pattern.split("."):
        if not (word == "#" and words[-1:] == ["#"]):  # `#.#` matches what `#` does
            words.append(word)
    if words == ["#"]:
        return EVERYTHING
    regex, needs_dot = "", False
    for position, word in enumerate(words):
        if word == "#":
            if not regex and position < len(words) - 1:
                regex, needs_dot = rf"(?:{WORD}\.)*", False  # leading: whole words, each with its dot
            else:
                regex, needs_dot = regex + rf"(?:\.{WORD})*", True
            continue
        regex += (r"\." if needs_dot else "") + (WORD if word == "*" else re.escape(word))
        needs_dot = True
    return regex


def one_of_patterns(patterns: Iterable[str]) -> str:
    translated = [from_topic_pattern(pattern) for pattern in patterns]
    return any_of(*translated) if translated else NOTHING


def service_permissions(service: str, user: str) -> UserPermissions:
    """A service's user: every process of the service connects as it.

    Its relay and inboxes declare every consumer's queue and every inbox's queue (so nothing is published before
    the queues exist), hence configure and read on all of `pathway.*`; but it publishes events and watermarks
    only under its own name, and commands not at all.
    """
    own = literal(service)
    pathway = r"pathway\..*"
    rpc = (literal(NAMEKO_RPC_EXCHANGE), literal(f"rpc-{service}"))
    return UserPermissions(
        user=user,
        configure=any_of(pathway, *rpc),
        write=any_of(pathway, *rpc, literal(DEFAULT_EXCHANGE)),
        read=any_of(pathway, *rpc),
        topics=(
            TopicPermission(EXCHANGE, write=any_of(rf"{own}\..+"), read=EVERYTHING),
            TopicPermission(WATERMARK_EXCHANGE, write=any_of(own), read=EVERYTHING),
            TopicPermission(DEAD_LETTER_EXCHANGE, write=any_of(rf"{own}\..+"), read=EVERYTHING),
            TopicPermission(COMMANDS_EXCHANGE, write=NOTHING, read=EVERYTHING),
        ),
    )


def agency_permissions(user: str, grant: AgencyGrant) -> UserPermissions:
    """An agency's user: its own queues are named `<user>.<anything>` (its replies, its copy of the events)."""
    own_queues = literal(user) + r"\..+"
    return UserPermissions(
        user=user,
        configure=any_of(own_queues),
        write=any_of(literal(COMMANDS_EXCHANGE), own_queues),
        read=any_of(literal(EXCHANGE), own_queues),
        topics=(
            TopicPermission(COMMANDS_EXCHANGE, write=one_of_patterns(grant.commands), read=NOTHING),
            TopicPermission(EXCHANGE, write=NOTHING, read=one_of_patterns(grant.events)),
        ),
    )


def operator_permissions(user: str) -> UserPermissions:
    """The operator's user (AMQP_URI's, used by `pathway status`, `import`, ...): everything on the vhost."""
    return UserPermissions(user=user, configure=EVERYTHING, write=EVERYTHING, read=EVERYTHING)
