"""The running distributed system, seen from the command line over AMQP (nameko RPC).

The importer and the replay use this exactly as they use the embedded system.
Settling reads each service's status: the system has settled when every relay
has published its store's head and every consumer has handled its upstreams'
watermarks up to those positions, twice in a row with nothing moving.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from functools import partial
from typing import Any
from urllib.parse import urlsplit
from uuid import UUID

import amqp.exceptions
import kombu.exceptions
from nameko.exceptions import RemoteError, RpcTimeout, UnknownService
from nameko.standalone.rpc import ClusterRpcProxy

from pathway.services import SERVICES
from pathway.settle_checks import backlog, consumers_behind, missing_parts
from pathway.unanswered import Crashed, NotSettled, Unanswered
from shared.auth.client import TokenSource
from shared.auth.errors import IdentityProviderUnavailable, InvalidToken
from shared.auth.gate import Forbidden
from shared.contracts.base import NationalId
from shared.errors import NotFound, PathwayError
from shared.eventstore.application import CommandResult
from shared.eventstore.batch import BatchLine, LineOutcome
from shared.messaging.broker_settings import nameko_config
from shared.messaging.queues import events_queue, queue_states
from shared.nameko_edge import AUTHORIZATION, raise_reply
from shared.reader import Reader

# What losing the broker looks like from here: no answer can come back on this connection.
BROKER_ERRORS = (OSError, kombu.exceptions.OperationalError, amqp.exceptions.ConnectionError)

# A settle round this slow has the missing parts looked for (asking the broker costs a connection),
# then again every SETTLE_CHECK_EVERY seconds; a part missing for MISSING_GRACE ends the wait, so a
# process restarted by its supervisor is waited for, one never started is not waited for long.
SETTLE_CHECK_AFTER = 2.0
# How long one ask of a service whether it caught up waits there before it answers "not yet".
CATCH_UP_WAIT = 5.0
SETTLE_CHECK_EVERY = 5.0
MISSING_GRACE = 30.0


class _Answering:
    """A service's RPC proxy whose calls give a refusal of the caller (401, 403, 422, 503) back as the error it
    was, not as a crash; everything else is raised as nameko raises it, for the caller's own `answering`."""

    def __init__(self, proxy: Any) -> None:
        self._proxy = proxy

    def __getattr__(self, method: str) -> _AnsweringMethod:
        return _AnsweringMethod(getattr(self._proxy, method))


class _AnsweringMethod:
    def __init__(self, method: Any) -> None:
        self._method = method

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        with refusals_raised():
            return self._method(*args, **kwargs)

    def call_async(self, *args: Any, **kwargs: Any) -> _AnsweringReply:
        return _AnsweringReply(self._method.call_async(*args, **kwargs))


class _AnsweringReply:
    def __init__(self, reply: Any) -> None:
        self._reply = reply

    def result(self) -> Any:
        with refusals_raised():
            return self._reply.result()


@contextmanager
def refusals_raised() -> Iterator[None]:
    """A service's refusal of the caller, raised over RPC, as the PathwayError it was."""
    try:
        yield
    except RemoteError as error:
        refusal = REFUSALS.get(str(error.exc_type))
        if refusal is None:
            raise
        raise refusal(_refusal_reason(error)) from None


# A service's refusal of the caller, raised over RPC: given back as the error it was, not as a crash.
REFUSALS: dict[str, Callable[[str], PathwayError]] = {
    "InvalidToken": InvalidToken,
    "Forbidden": Forbidden,
    "IdentityProviderUnavailable": IdentityProviderUnavailable,
    "InvalidInput": lambda reason: _refused_with(422, reason),
}


def _refused_with(status: int, reason: str) -> PathwayError:
    error = PathwayError(reason)
    error.status = status
    return error


def _refusal_reason(error: RemoteError) -> str:
    # nameko gives the exception's text; an InvalidToken's text starts with its own "authentication: ".
    return str(error.value).removeprefix("authentication: ")


class _Patience:
    """How long a wait for reactions goes on: a slow wait has the missing parts looked for (asking the broker costs
    a connection), then again every SETTLE_CHECK_EVERY seconds; a part missing for the grace period ends it, and so
    does the whole wait's time limit, each with NotSettled naming what was missing or still moving."""

    def __init__(self, system: RemoteSystem) -> None:
        self.system = system
        self.started = time.monotonic()
        self.deadline = self.started + system.settle_timeout
        self.next_check = self.started + SETTLE_CHECK_AFTER
        self.missing_since: dict[str, float] = {}

    def look_for_missing_parts(self, statuses: dict[str, dict[str, Any]], moving: Callable[[], str]) -> None:
        now = time.monotonic()
        if now < self.next_check and now <= self.deadline:
            return
        missing = self.system.missing_parts(statuses)
        self.missing_since = {part: self.missing_since.get(part, now) for part in missing}
        lasting = [part for part, since in self.missing_since.items() if now - since >= self.system.missing_grace]
        if lasting or now > self.deadline:
            named = lasting or missing or [f"still moving: {moving()}"]
            raise NotSettled(f"not settled after {now - self.started:.0f}s: " + "; ".join(named))
        self.next_check = now + SETTLE_CHECK_EVERY


def _still_to_ask(
    upstreams: Mapping[str, set[str]], need: Mapping[str, int], confirmed: Mapping[tuple[str, str], int]
) -> dict[str, dict[str, int]]:
    """For each service, the upstream positions it has not yet been seen to reach."""
    asks = {
        service: {
            source: p for source, p in need.items() if source in sources and confirmed.get((service, source), -1) < p
        }
        for service, sources in upstreams.items()
    }
    return {service: after for service, after in asks.items() if after}


def _waiting_for(asks: Mapping[str, Mapping[str, int]]) -> str:
    return "; ".join(
        f"{service} to handle {source}'s events up to {position}"
        for service, after in sorted(asks.items())
        for source, position in sorted(after.items())
    )


def _outcome_of(reply: Mapping[str, Any]) -> LineOutcome:
    """One line's outcome of a batch, from its reply: the result, or the refusal as the error it was."""
    if reply.get("ok"):
        return LineOutcome(CommandResult(reply["status"], dict(reply["result"])), position=int(reply["position"]))
    try:
        raise_reply(reply)
    except PathwayError as refused:
        return LineOutcome(error=refused)
    raise AssertionError("raise_reply always raises")


@dataclass
class RemoteSettleReport:
    rounds: int = 0
    dead_letters: dict[str, int] = field(default_factory=dict)
    dead_lettered: int = 0


class RemoteSystem:
    def __init__(
        self, amqp_uri: str, timeout: float = 30.0, settle_timeout: float = 120.0, token: TokenSource | None = None
    ) -> None:
        self.amqp_uri = amqp_uri
        self.timeout = timeout
        self.settle_timeout = settle_timeout
        self.missing_grace = min(MISSING_GRACE, settle_timeout)
        self.token = token
        # nameko sends this context with every call, read afresh each time: a renewed token goes with the next.
        self._context: dict[str, Any] = {}
        self._proxy = ClusterRpcProxy(nameko_config(amqp_uri), context_data=self._context, timeout=timeout)
        with self.answering(None, "when connecting"):
            self._rpc = self._proxy.start()
        self._dead_letters_seen: dict[str, int] | None = None
        self._reacts_to: dict[str, set[str]] | None = None

    def close(self) -> None:
        with suppress(*BROKER_ERRORS):  # the broker went away: there is nothing left to close
            self._proxy.stop()

    def __enter__(self) -> RemoteSystem:
        return self

    def __exit__(self, *_: Any) -> None:
        self.close()

    def service(self, name: str) -> Any:
        """The service's RPC proxy, its next call carrying the caller's current token; a refusal of the caller is
        raised as the error it was (InvalidToken, Forbidden, ...)."""
        if self.token is not None:
            self._context[AUTHORIZATION] = f"Bearer {self.token.bearer()}"
        return _Answering(getattr(self._rpc, name))

    @contextmanager
    def answering(self, service: str | None, what: str) -> Iterator[None]:
        """Whatever keeps an answer from coming, as one sentence naming the service or the broker."""
        try:
            yield
        except RpcTimeout:
            raise Unanswered(
                service,
                f"{service} did not answer {what} within {self.timeout:g}s (is `pathway serve {service}` running?)",
            ) from None
        except UnknownService:
            raise Unanswered(
                service, f"{service} is not known to the broker (has `pathway serve {service}` been started?)"
            ) from None
        except RemoteError as error:
            raise Crashed(service or "a service", str(error.exc_type)) from None
        except BROKER_ERRORS as error:
            raise Unanswered(
                None, f"the broker at {_where(self.amqp_uri)} did not answer {what} ({type(error).__name__})"
            ) from None

    def execute(self, service: str, command: str, data: Any) -> CommandResult:
        with self.answering(service, command):
            reply = self.service(service).execute(command, data)
        if not reply["ok"]:
            raise_reply(reply)
        outcome = reply["result"]
        return CommandResult(outcome["status"], dict(outcome["result"]))

    def query(self, service: str, name: str, params: Mapping[str, Any], reader: Reader | None = None) -> Any:
        """One of a service's queries, answered by the running service (which records a read of a case)."""
        stated = reader.as_rpc() if reader is not None else None
        with self.answering(service, f"the {name} query"):
            reply = self.service(service).query(name, dict(params), stated)
        if not reply["ok"]:
            raise_reply(reply)
        return reply["answer"]

    def command_receipt(self, service: str, command_id: str) -> dict[str, Any] | None:
        """The receipt of a command applied with this command_id, or None when none was applied."""
        with self.answering(service, "whether a command was applied"):
            receipt: dict[str, Any] | None = self.service(service).command_receipt(command_id)
        return receipt

    def statuses(self) -> dict[str, dict[str, Any]]:
        """Every service's status, asked of the three at once."""
        with self.answering(None, "status"):
            pending = {name: self.service(name).status.call_async() for name in SERVICES}
        answers = {}
        for name, reply in pending.items():
            with self.answering(name, "status"):
                answers[name] = reply.result()
        return answers

    def commands_across_people(self) -> set[str]:
        """The commands whose outcome can depend on reactions about other people, as the services declare."""
        found: set[str] = set()
        for name in SERVICES:
            with self.answering(name, "which commands depend on other people's reactions"):
                found.update(self.service(name).commands_across_people())
        return found

    def reaction_graph(self) -> dict[str, dict[str, list[str]]]:
        graph = {}
        for name in SERVICES:
            with self.answering(name, "which reactions it has"):
                graph[name] = self.service(name).reactions()
        return graph

    @staticmethod
    def is_settled(statuses: dict[str, dict[str, Any]]) -> bool:
        for status in statuses.values():
            if status["relay_position"] < status["head"]:
                return False
        for status in statuses.values():
            for upstream, seen in status["watermarks"].items():
                if seen < statuses[upstream]["relay_position"]:
                    return False
        return True

    def settle(self) -> RemoteSettleReport:
        report = RemoteSettleReport()
        patience = _Patience(self)
        previous = None
        pause = 0.002
        while True:
            report.rounds += 1
            statuses = self.statuses()
            if self.is_settled(statuses):
                if statuses == previous:
                    break  # the same settled picture twice in a row: nothing is moving
                previous = statuses
                continue
            previous = None
            patience.look_for_missing_parts(statuses, partial(backlog, statuses))
            time.sleep(pause)
            pause = min(pause * 1.5, 0.1)
        self._count_dead_letters(report, {name: s["dead_letters"] for name, s in statuses.items()})
        return report

    def _count_dead_letters(self, report: RemoteSettleReport, counts: dict[str, int]) -> None:
        before = self._dead_letters_seen or counts  # those there before we started are not ours
        counts = {**before, **counts}
        report.dead_letters = counts
        report.dead_lettered = sum(max(0, counts[n] - before.get(n, 0)) for n in counts)
        self._dead_letters_seen = counts

    def execute_batch(self, service: str, lines: Sequence[BatchLine]) -> list[LineOutcome]:
        """A batch of commands applied by the service in one transaction, an outcome for each line (who entered
        them is the caller's token's business, not the lines')."""
        sent = [{"command": line.command, "data": line.data, "group": line.group} for line in lines]
        with self.answering(service, f"a batch of {len(lines)} commands"):
            reply = self.service(service).execute_batch(sent)
        if not reply["ok"]:
            raise_reply(reply)
        return [_outcome_of(outcome) for outcome in reply["outcomes"]]

    def catch_up(self, written: Mapping[str, int]) -> RemoteSettleReport:
        """Wait until every reaction to what was written up to these positions (service -> notification id) has
        been handled, and the reactions to those, by asking each service that reacts whether its watermarks have
        reached them (shared/messaging/catching_up.py): nothing else is waited for, whatever else is moving."""
        report = RemoteSettleReport()
        upstreams = self._upstreams()
        need = {service: position for service, position in written.items() if position > 0}
        confirmed: dict[tuple[str, str], int] = {}
        patience = _Patience(self)
        counts: dict[str, int] = {}
        while asks := _still_to_ask(upstreams, need, confirmed):
            report.rounds += 1
            replies = self._caught_up(asks)
            for service, reply in replies.items():
                counts[service] = reply["dead_letters"]
                if not reply["caught"]:
                    continue  # asked again next round, while patience lasts
                for source in asks[service]:
                    confirmed[(service, source)] = reply["watermarks"][source]
                if reply["head"] > need.get(service, 0):
                    need[service] = reply["head"]  # its reactions wrote: the reactions to those are waited for too
            if not all(reply["caught"] for reply in replies.values()):
                patience.look_for_missing_parts(self.statuses(), partial(_waiting_for, asks))
        self._count_dead_letters(report, counts)
        return report

    def _caught_up(self, asks: Mapping[str, Mapping[str, int]]) -> dict[str, dict[str, Any]]:
        """Each service's answer to whether it caught up with its `asks`, asked of all of them at once."""
        with self.answering(None, "whether reactions caught up"):
            pending = {
                name: self.service(name).caught_up.call_async(dict(after), CATCH_UP_WAIT)
                for name, after in asks.items()
            }
        replies = {}
        for name, reply in pending.items():
            with self.answering(name, "whether reactions caught up"):
                replies[name] = reply.result()
        return replies

    def _upstreams(self) -> dict[str, set[str]]:
        """For each service, the services whose events it reacts to (asked once)."""
        if self._reacts_to is None:
            graph = self.reaction_graph()
            self._reacts_to = {name: {t.split(".", 1)[0] for t in reactions} for name, reactions in graph.items()}
        return self._reacts_to

    def missing_parts(self, statuses: dict[str, dict[str, Any]]) -> list[str]:
        """The relays and consumers the wait depends on that no process runs (asks the broker)."""
        behind = {name: events_queue(name) for name in consumers_behind(statuses)}
        with self.answering(None, "about its queues"):
            queues = queue_states(self.amqp_uri, behind, timeout=self.timeout) if behind else {}
        return missing_parts(statuses, queues)

    # --- replay -------------------------------------------------------------

    def resolve(self, reference: UUID | NationalId) -> UUID:
        if isinstance(reference, UUID):
            return reference
        found = self.service("intake").resolve_person(reference.issuer, reference.value)
        if found is None:
            raise NotFound("PERSON: no person is known by this identifier")
        return UUID(found)


class RemoteSource:
    """One running service's part of a person's pathway, asked over RPC by a stated reader (the service records
    the read)."""

    def __init__(self, system: RemoteSystem, service: str, reader: Reader) -> None:
        self.system = system
        self.service = service
        self.reader = reader

    def entries(self, person_id: UUID) -> list[dict[str, Any]]:
        service = self.system.service(self.service)
        entries: list[dict[str, Any]] = service.person_events(str(person_id), **self.reader.as_rpc())
        return entries


def _where(amqp_uri: str) -> str:
    """The broker's host and port, never its credentials."""
    parts = urlsplit(amqp_uri)
    return f"{parts.hostname or 'localhost'}:{parts.port or 5672}"
