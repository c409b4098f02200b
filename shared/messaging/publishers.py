"""Who may publish a service's events: its relay, connected to RabbitMQ as a user of its own.

RabbitMQ refuses a message whose `user_id` property is not the user of the connection that published it (unless
that user is tagged `impersonator`, which no pathway user is), so a consumer that knows each service's relay user
tells the service's own events from anything else published to the exchange. `PATHWAY_PUBLISHERS` names them,
read by every consuming process::

    PATHWAY_PUBLISHERS=intake=pathway-intake,programmes=pathway-programmes,release=pathway-release

A service not named there publishes as `pathway-<service>`. Each of a service's processes connects to the broker
with `<SERVICE>_AMQP_URI` (INTAKE_AMQP_URI, ...) when it is set, else with `AMQP_URI`: the user in that URI must be
the one named here, and `pathway broker setup` creates it with what it may publish and read (deploy/README.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated

from kombu import Connection
from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

ENVIRONMENT_VARIABLE = "PATHWAY_PUBLISHERS"
DEFAULT_AMQP_URI = "amqp://guest:guest@127.0.0.1:5672/"
# RabbitMQ user names are short; anything longer is a mistake, and it ends up in log lines and reasons.
LONGEST_USER = 200


def default_relay_user(service: str) -> str:
    return f"pathway-{service}"


def service_amqp_uri(service: str, environ: Mapping[str, str]) -> str:
    """The URI every process of `service` connects with: `<SERVICE>_AMQP_URI`, else `AMQP_URI`, else the default."""
    return environ.get(f"{service.upper()}_AMQP_URI") or environ.get("AMQP_URI") or DEFAULT_AMQP_URI


def broker_user(uri: str) -> str:
    """The user a connection made with this AMQP URI logs in as (kombu's default, guest, when it names none)."""
    return str(Connection(uri).info()["userid"])


class PublisherSettings(BaseSettings):
    """`publishers`: service -> the RabbitMQ user its relay publishes as, given as `service=user,...` or JSON."""

    model_config = SettingsConfigDict(env_prefix="PATHWAY_", frozen=True, extra="forbid")

    publishers: Annotated[dict[str, str], NoDecode] = Field(default_factory=dict)

    @field_validator("publishers", mode="before")
    @classmethod
    def _pairs(cls, value: object) -> object:
        if not isinstance(value, str):
            return value
        pairs: dict[str, str] = {}
        for item in (part.strip() for part in value.split(",")):
            if not item:
                continue
            service, equals, user = (text.strip() for text in item.partition("="))
            if not equals:
                raise ValueError(f"each entry must be service=user, not {item[:40]!r}")
            pairs[service] = user
        return pairs

    @field_validator("publishers")
    @classmethod
    def _names(cls, publishers: dict[str, str]) -> dict[str, str]:
        for service, user in publishers.items():
            if not service or not user or len(user) > LONGEST_USER:
                raise ValueError(f"each entry needs a service and a user of 1 to {LONGEST_USER} characters")
        users = list(publishers.values())
        if len(set(users)) != len(users):
            raise ValueError("two services cannot publish as the same user: either could then forge the other")
        return publishers


class Publishers:
    """Each service's relay user; how a consumer tells a genuine message from a forged one."""

    def __init__(self, users: Mapping[str, str] | None = None) -> None:
        self.users = dict(users or {})

    def relay_user(self, service: str) -> str:
        return self.users.get(service) or default_relay_user(service)

    def is_relay_of(self, service: str, user: str | None) -> bool:
        return user is not None and user == self.relay_user(service)

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> Publishers:
        """From `PATHWAY_PUBLISHERS` in the mapping given (not wherever pydantic-settings would look)."""
        named = environ.get(ENVIRONMENT_VARIABLE)
        settings = PublisherSettings.model_validate({"publishers": named} if named else {})
        return cls(settings.publishers)
