"""Who sent a command to the AMQP inbox: the agency whose RabbitMQ user published it, and what it may send.

RabbitMQ checks a message's `user_id` property against the user of the connection that published it, so the
inbox takes the sending agency from it (shared/auth/agencies.py maps broker users to agencies), never from the
body. The command must be one the agency is granted and one an agency's system may send at all (its handler
names the agency-client role); the command then stands as the agency's system's, whatever actor the body gave.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from shared.auth.agencies import AgencyPermissions
from shared.errors import PathwayError
from shared.eventstore.application import PathwayApplication
from shared.registry.roles import AGENCY_CLIENT

# How much of a broker user's name a refusal repeats.
KEPT_OF_USER = 64


class NotPermitted(PathwayError):
    """The sender is no agency, or its agency may not send this command here (403, as over HTTP)."""

    status = 403


@dataclass(frozen=True)
class Sender:
    """An agency's system, as the broker user it publishes as."""

    broker_user: str
    agency: str

    def actor(self) -> dict[str, str]:
        return {"id": self.broker_user, "role": AGENCY_CLIENT, "agency": self.agency}


def sender_of(agencies: AgencyPermissions, user_id: str | None) -> Sender:
    """The agency whose broker user published the message; NotPermitted when there is none."""
    if not user_id:
        raise NotPermitted("no agency: the message carries no user_id")
    agency = agencies.agency_of_broker_user(user_id)
    if agency is None:
        raise NotPermitted(f"no agency: broker user {user_id[:KEPT_OF_USER]!r} sends for no agency")
    return Sender(user_id, agency)


def check_may_send(agencies: AgencyPermissions, sender: Sender, app: PathwayApplication, command: str) -> None:
    """NotPermitted, naming the agency and the command, unless the agency is granted it and an agency's system may
    send it. A command the service does not know is left for the application to refuse by name."""
    named = f"{app.service}.{command}"
    if not agencies.may_send(sender.agency, app.service, command):
        raise NotPermitted(f"agency {sender.agency} is not granted {named}")
    contract = app.commands.get(command)
    if contract is not None and AGENCY_CLIENT not in app.handlers.roles(contract):
        raise NotPermitted(f"agency {sender.agency} may not send {named}: not a command for an agency's system")


def as_sent_by(sender: Sender, data: Any) -> Any:
    """The command's data with the agency's system as its actor. A body actor naming another agency is refused:
    the sender would be recording in another agency's name."""
    if not isinstance(data, dict):
        return data  # not a command at all: the application refuses it by its contract
    given = data.get("actor")
    if isinstance(given, dict) and given.get("agency") != sender.agency:
        raise NotPermitted(f"actor: names an agency other than {sender.agency}, which sent it")
    return {**data, "actor": sender.actor()}
