"""What each national agency's own system may do here: the commands it may send and the public events it may read.

The agency-client role says a caller is an agency's system; it does not say which commands that agency feeds in
(a court service records court decisions, a probation service supervision) nor which events it is entitled to.
Those are per agency, in one TOML file a deployment keeps beside its other settings (`PATHWAY_AGENCIES_FILE`)::

    [agencies.national-courts]
    commands = ["intake.register_person", "intake.record_court_decision"]
    events = ["intake.person.*", "intake.court-decision.#"]

    [agencies.probation-service]
    broker_user = "probation"              # its RabbitMQ user, when not the agency id
    commands = ["release.*"]
    events = ["release.#"]

Commands are `service.command` (the command inbox's routing key) and events are public event types, each given as
an AMQP topic pattern: `*` one dot-separated word, `#` any number of them, as the feed's `types` and the broker's
bindings read them.

Every edge reads the same table: HTTP and RPC for an agency client's token, the AMQP command inbox for the agency
its RabbitMQ user belongs to, the public feed for what it serves, and the broker's topic permissions (`pathway
broker setup`). Without a file no agency is granted anything, an agency client is refused every command and event:
forgetting the file fails closed.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator, Mapping
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from shared.errors import FieldProblem, InvalidInput
from shared.messaging.topology import topic_matches

ENVIRONMENT_VARIABLE = "PATHWAY_AGENCIES_FILE"
# An agency id, a broker user and a pattern are names, not documents.
LONGEST_NAME = 200
# Dot-separated words, each a name, `*` or `#`: what a topic pattern may hold.
_TOPIC_PATTERN = re.compile(r"^(?:[a-z0-9_-]+|\*|#)(?:\.(?:[a-z0-9_-]+|\*|#))*$")


def _patterns(values: list[str]) -> list[str]:
    for value in values:
        if len(value) > LONGEST_NAME or not _TOPIC_PATTERN.match(value):
            raise ValueError(f"{value[:40]!r} is not a topic pattern (words of a-z, 0-9, _ and -, or * and #)")
    return values


class AgencyGrant(BaseModel):
    """One agency's grant: its broker user, the commands it may send, the event types it may read."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    broker_user: str | None = Field(default=None, min_length=1, max_length=LONGEST_NAME)
    commands: tuple[str, ...] = ()
    events: tuple[str, ...] = ()

    @field_validator("commands", "events")
    @classmethod
    def _are_names(cls, values: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(_patterns(list(values)))

    def may_send(self, service: str, command: str) -> bool:
        return any(topic_matches(pattern, f"{service}.{command}") for pattern in self.commands)

    def may_read(self, event_type: str) -> bool:
        return any(topic_matches(pattern, event_type) for pattern in self.events)


class AgencyPermissions(BaseModel):
    """Every agency's grant, by agency id (the `agency` claim of its tokens)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    agencies: dict[str, AgencyGrant] = Field(default_factory=dict)

    @field_validator("agencies")
    @classmethod
    def _names_and_users_are_distinct(cls, agencies: dict[str, AgencyGrant]) -> dict[str, AgencyGrant]:
        users: dict[str, str] = {}
        for agency, grant in agencies.items():
            if not 0 < len(agency) <= LONGEST_NAME:
                raise ValueError(f"agency ids must be 1 to {LONGEST_NAME} characters")
            user = grant.broker_user or agency
            if user in users:
                raise ValueError(f"{agency} and {users[user]} have the same broker user {user!r}")
            users[user] = agency
        return agencies

    def grant(self, agency: str | None) -> AgencyGrant:
        """The agency's grant; an agency not listed (or none) is granted nothing."""
        return self.agencies.get(agency or "", AgencyGrant())

    def may_send(self, agency: str | None, service: str, command: str) -> bool:
        return self.grant(agency).may_send(service, command)

    def may_read(self, agency: str | None, event_type: str) -> bool:
        return self.grant(agency).may_read(event_type)

    def agency_of_broker_user(self, user: str | None) -> str | None:
        """The agency a RabbitMQ user sends for, or None when the user is no agency's."""
        for agency, grant in self.agencies.items():
            if (grant.broker_user or agency) == user:
                return agency
        return None

    def broker_users(self) -> Iterator[tuple[str, str, AgencyGrant]]:
        """(agency, its broker user, its grant), for setting up the broker's users and topic permissions."""
        for agency, grant in self.agencies.items():
            yield agency, grant.broker_user or agency, grant

    @classmethod
    def load(cls, path: Path) -> AgencyPermissions:
        """The grants a TOML file holds; InvalidInput naming the file and the field for anything else."""
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except OSError as unreadable:
            raise InvalidInput([FieldProblem(str(path), f"cannot be read ({unreadable.strerror})")]) from None
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as malformed:
            raise InvalidInput([FieldProblem(str(path), f"is not TOML ({malformed})")]) from None
        try:
            return cls.model_validate(data)
        except ValidationError as invalid:
            problems = [
                FieldProblem(f"{path}: {'.'.join(str(part) for part in error['loc'])}", error["msg"])
                for error in invalid.errors()
            ]
            raise InvalidInput(problems) from None

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> AgencyPermissions:
        """The grants `PATHWAY_AGENCIES_FILE` names; none when it is unset."""
        named = environ.get(ENVIRONMENT_VARIABLE)
        return cls.load(Path(named)) if named else cls()
