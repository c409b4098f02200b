"""The command inbox: agencies' commands arriving over plain AMQP, applied one at a time in queue order.

An agency publishes a persistent message to the topic exchange `pathway.commands`
with routing key `<service>.<command>` and the command's JSON as the body (as
over HTTP). Each service's durable queue `pathway.<service>.commands` has a
single active consumer, so a person's commands are applied in the order they
were published. The sending agency is the one whose RabbitMQ user published the
message (its broker-validated `user_id`, shared/messaging/senders.py): it must be
granted the command, and the command is recorded as its system's. The command is
applied with `app.handle` (its effects are committed there), and only then is the
message acked:

- applied, or skipped as a repeat -> ack (and a reply, if `reply_to` is set);
- refused (no agency's user, not granted, bad JSON, unknown command, invalid
  input, a rule) -> a copy on the durable `pathway.commands.rejected` queue with
  the reason in its headers, confirmed by the broker, then ack;
- a bug -> a bounded number of attempts, then rejected as "internal error";
- the store unreachable -> no ack: the message is requeued and the loop
  reconnects; the repeat is harmless because commands are idempotent.

No nameko here: this runs as a plain process, like the relay and the consumer.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

import amqp
import kombu.exceptions
from kombu import Connection, Consumer, Exchange, Producer, Queue
from kombu.message import Message

from shared.auth.agencies import AgencyPermissions
from shared.errors import FieldProblem, InvalidInput, PathwayError, error_reply
from shared.eventstore.application import ConcurrencyError, PathwayApplication
from shared.json_body import parse_json_body
from shared.messaging.amqp import drain_until, halting_after_failure
from shared.messaging.broker_settings import broker_connection
from shared.messaging.consumer import INFRASTRUCTURE_ERRORS, describe
from shared.messaging.senders import as_sent_by, check_may_send, sender_of

log = logging.getLogger(__name__)

COMMANDS_EXCHANGE = "pathway.commands"
REJECTED_EXCHANGE = "pathway.commands.rejected"
REJECTED_QUEUE = "pathway.commands.rejected"
REASON_HEADER = "x-pathway-reason"
SERVICE_HEADER = "x-pathway-service"
COMMAND_HEADER = "x-pathway-command"
CONFIRM_TIMEOUT = 30.0  # seconds to wait for the broker's confirm of a reply or a rejected copy
# As over HTTP: no command comes near it, and a larger body is refused before it is parsed.
MAX_COMMAND_BYTES = 1024 * 1024

rejected_exchange = Exchange(REJECTED_EXCHANGE, type="topic", durable=True)
# A routing key no inbox is bound to (an unknown service) is not lost: the broker
# routes it to the rejected exchange, where it arrives without a reason header.
commands_exchange = Exchange(
    COMMANDS_EXCHANGE, type="topic", durable=True, arguments={"alternate-exchange": REJECTED_EXCHANGE}
)


def inbox_queue_name(service: str) -> str:
    # Under `pathway.` like the consumers' queues, so the operators' `^pathway\.` policies cover it.
    return f"pathway.{service}.commands"


def inbox_queue(service: str) -> Queue:
    """A service's one durable command queue; single active consumer keeps publication order."""
    return Queue(
        inbox_queue_name(service),
        exchange=commands_exchange,
        routing_key=f"{service}.#",
        durable=True,
        queue_arguments={"x-single-active-consumer": True},
    )


def declare_command_topology(channel: Any, services: Iterable[str]) -> None:
    """The exchanges, the rejected queue and every service's command queue (idempotent).

    Every inbox declares all of them, so once any inbox has started no service's
    commands are published to an exchange with nothing bound for them.
    """
    rejected_exchange(channel).declare()
    commands_exchange(channel).declare()
    Queue(REJECTED_QUEUE, exchange=rejected_exchange, routing_key="#", durable=True)(channel).declare()
    for service in services:
        inbox_queue(service)(channel).declare()


@dataclass(frozen=True)
class Decision:
    """What became of one message: its outcome, the reply for the agency and, when refused, why."""

    outcome: Literal["applied", "skipped", "rejected"]
    command: str
    reply: dict[str, Any] = field(default_factory=dict)
    reason: str = ""

    @property
    def rejected(self) -> bool:
        return self.outcome == "rejected"


class CommandInbox:
    """Decides each message for one service's application: apply, skip, or reject with a reason.

    `agencies`: what each agency may send, and which broker user is whose (shared/auth/agencies.py).
    """

    def __init__(self, app: PathwayApplication, agencies: AgencyPermissions, max_attempts: int = 3) -> None:
        self.app = app
        self.agencies = agencies
        self.max_attempts = max_attempts

    @property
    def service(self) -> str:
        return self.app.service

    def decide(self, routing_key: str, body: bytes, user_id: str | None) -> Decision:
        """Apply the message's command, sent by the broker user `user_id`; raises only the store's own errors
        (then nothing is decided)."""
        prefix, _, command = routing_key.partition(".")
        if prefix != self.service or not command:
            problem = FieldProblem("routing key", f"must be {self.service}.<command>")
            return self._refused(command, InvalidInput([problem]))
        try:  # who sent it is settled before anything of the body is read
            sender = sender_of(self.agencies, user_id)
            check_may_send(self.agencies, sender, self.app, command)
        except PathwayError as refused:
            return self._refused(command, refused)
        if len(body) > MAX_COMMAND_BYTES:
            too_large = FieldProblem("(body)", f"larger than {MAX_COMMAND_BYTES} bytes")
            return self._refused(command, InvalidInput([too_large]))
        try:
            data = as_sent_by(sender, parse_json_body(body))
        except PathwayError as unreadable:
            return self._refused(command, unreadable)
        last_failure: BaseException | None = None
        for _ in range(self.max_attempts):
            try:
                result = self.app.handle(command, data)
            except INFRASTRUCTURE_ERRORS:
                raise
            except ConcurrencyError as busy:  # lost races: worth another go
                last_failure = busy
                continue
            except PathwayError as refused:
                return self._refused(command, refused)
            except Exception as bug:  # a bug: retried, then rejected, never dropped
                last_failure = bug
                log.warning("%s inbox: %s failed (%s)", self.service, command, type(bug).__name__, exc_info=bug)
                continue
            return Decision(result.status, command, {"ok": True, "result": result.as_dict()})
        assert last_failure is not None
        if isinstance(last_failure, PathwayError):
            return self._refused(command, last_failure)
        reason = f"internal error ({type(last_failure).__name__})"
        return Decision("rejected", command, {"ok": False, "status": 500, "error": "internal error"}, reason)

    @staticmethod
    def _refused(command: str, error: PathwayError) -> Decision:
        # Our errors' messages name fields and rules, never input values (contracts hide them).
        return Decision("rejected", command, {"ok": False, **error_reply(error)}, describe(error))


class AmqpCommandInbox:
    """Consumes a service's command queue: decide, publish what must go out with confirms, then ack."""

    def __init__(
        self,
        uri: str,
        inbox: CommandInbox,
        stop: threading.Event,
        services: Iterable[str],
        prefetch: int = 50,
    ) -> None:
        self.uri = uri
        self.inbox = inbox
        self.stop = stop
        self.services = list(services)
        self.prefetch = prefetch

    def run(self) -> None:
        """Consume until `stop` is set, reconnecting when the broker or the store goes away."""
        service = self.inbox.service
        while not self.stop.is_set():
            try:
                # Publishing on a connection of its own: waiting for a confirm there never
                # dispatches the next delivery in the middle of this one.
                with (
                    broker_connection(self.uri) as connection,
                    broker_connection(self.uri, transport_options={"confirm_publish": True}) as publishing,
                ):
                    self._consume(connection, Producer(publishing.default_channel))
            except INFRASTRUCTURE_ERRORS:
                log.warning("%s inbox: store unavailable, retrying", service, exc_info=True)
                self.stop.wait(1.0)
            except (
                OSError,
                amqp.exceptions.AMQPError,
                amqp.exceptions.MessageNacked,
                kombu.exceptions.OperationalError,  # kombu's wrapping of a refused connection
            ) as error:
                # Nothing unconfirmed was acked: closing the channel returns those messages to the queue.
                log.warning("%s inbox: broker connection lost or a publish refused (%r), reconnecting", service, error)
                self.stop.wait(1.0)

    def _consume(self, connection: Connection, producer: Producer) -> None:
        channel = connection.channel()
        channel.basic_qos(0, self.prefetch, False)
        declare_command_topology(channel, self.services)
        queue = inbox_queue(self.inbox.service)(channel)

        on_message = halting_after_failure(lambda message: self._on_message(message, producer))
        with Consumer(channel, queues=[queue], on_message=on_message):
            log.info("%s inbox: subscribed to %s (active, or standing by)", self.inbox.service, queue.name)
            drain_until(self.stop, connection, producer.connection)  # the publishing one needs its heartbeats too

    def _on_message(self, message: Message, producer: Producer) -> None:
        routing_key = str(message.delivery_info.get("routing_key") or "")
        body = message.body if isinstance(message.body, bytes) else str(message.body).encode()
        properties = message.properties or {}
        # The broker has checked that user_id is the user that published the message (or it is absent).
        user_id = properties.get("user_id") if isinstance(properties.get("user_id"), str) else None
        # The store's own errors propagate: nothing is acked, and the message comes back when the store does.
        try:
            decision = self.inbox.decide(routing_key, body, user_id)
        except INFRASTRUCTURE_ERRORS:
            raise
        except Exception as bug:  # whatever a message does to us, it is rejected with a reason, never a crash
            service = self.inbox.service
            log.warning("%s inbox: could not decide a message (%s)", service, type(bug).__name__, exc_info=bug)
            decision = Decision("rejected", "", {"ok": False, "status": 500, "error": "internal error"}, describe(bug))
        correlation = {"correlation_id": properties["correlation_id"]} if properties.get("correlation_id") else {}
        if decision.rejected:
            producer.publish(
                body,
                exchange=rejected_exchange,
                routing_key=routing_key or "unknown",
                headers={
                    REASON_HEADER: decision.reason,
                    SERVICE_HEADER: self.inbox.service,
                    COMMAND_HEADER: decision.command,
                },
                content_type=message.content_type or "application/json",
                delivery_mode=2,
                confirm_timeout=CONFIRM_TIMEOUT,
                **correlation,
            )
        reply_to = properties.get("reply_to")
        if reply_to:
            producer.publish(
                json.dumps(decision.reply).encode(),
                exchange="",
                routing_key=str(reply_to),
                content_type="application/json",
                delivery_mode=2,
                confirm_timeout=CONFIRM_TIMEOUT,
                **correlation,
            )
        # Logged by name and outcome only: the body may hold personal data, the reason never does.
        if decision.rejected:
            log.warning("%s inbox: rejected %s: %s", self.inbox.service, decision.command or "(none)", decision.reason)
        else:
            log.debug("%s inbox: %s %s", self.inbox.service, decision.command, decision.outcome)
        message.ack()
