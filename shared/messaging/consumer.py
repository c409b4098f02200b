"""The tracked consumer: the inbox side of a service, the same on every transport.

For each message: drop it if its (source, notification id) was already
processed; hold it if its subject has a message set aside; otherwise run the
policy, retrying a bounded number of times, and commit the new events with the
tracking record in one transaction. A message that keeps failing is set aside
as a dead letter, also with its tracking record. The transport acks only after
`handle` returns; if the store itself is unreachable `handle` raises, nothing
is acked, and the transport redelivers.

On RabbitMQ a message is applied only when the broker-validated user that
published it is the relay user of the service it claims to come from
(shared/messaging/publishers.py). Anything else is rejected: counted in the
store, never applied and never tracked, so that the genuine event with the
same notification id is still applied when it comes. It is not set aside in
anyone's quarantine either, where it would hold a genuine person's later events.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from enum import Enum
from typing import Any

from eventsourcing.persistence import IntegrityError, InterfaceError, OperationalError, Tracking

from shared.contracts.envelope import Envelope
from shared.domain import Provenance
from shared.errors import FieldProblem, InvalidInput, NotFound, PathwayError
from shared.eventstore.application import PathwayApplication
from shared.eventstore.positions import count_up, keep_position, kept_position, kept_positions
from shared.eventstore.reading import is_tracked
from shared.eventstore.unit_of_work import UnitOfWork
from shared.messaging.deadletters import SYSTEM, DeadLetterIndex, Quarantine
from shared.messaging.publishers import Publishers

log = logging.getLogger(__name__)

UNREADABLE = "unreadable"
NO_SUBJECT = "none"

# A message larger than this is set aside unread: no contract's envelope comes near it, and parsing
# or storing an arbitrarily large body would let one message exhaust a consumer's memory.
MAX_MESSAGE_BYTES = 1024 * 1024
# What of such a message is kept in the store beside its digest (the bus's dead-letter copy keeps it whole).
KEPT_OF_OVERSIZED = 4096

# Errors of the store itself: not the message's fault, so it is redelivered, not set aside.
INFRASTRUCTURE_ERRORS = (OperationalError, InterfaceError)

# Messages rejected as not genuine are counted in the service's store under this name: one row, read for
# status (shared/eventstore/positions.py).
REJECTED_TRACKING_NAME = "rejected:not-genuine"
# How much of a claimed publisher's name a reason or a log line repeats.
KEPT_OF_PUBLISHER = 64


class Handled(Enum):
    APPLIED = "applied"
    DUPLICATE = "duplicate"
    HELD = "held"
    DEAD_LETTERED = "dead-lettered"
    IGNORED = "ignored"
    REJECTED = "rejected"  # not published by its source's relay: counted, never applied nor tracked


@dataclass(frozen=True)
class DeadLetter:
    """What an operator sees of a message set aside (identifiers and the reason, no payload)."""

    subject: str
    event_id: str
    type: str
    source: str
    notification_id: int | None
    state: str
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class ReplayReport:
    applied: int
    still_failing: int

    def as_dict(self) -> dict[str, int]:
        return {"applied": self.applied, "still_failing": self.still_failing}


@dataclass(frozen=True)
class Operator:
    """Who replays or discards a dead letter, as recorded with it."""

    id: str
    agency: str = "pathway"
    role: str = "operator"

    def as_dict(self) -> dict[str, str]:
        return {"id": self.id, "role": self.role, "agency": self.agency}

    @classmethod
    def from_dict(cls, data: Any) -> Operator:
        """From an RPC argument: only short strings, each named when it is not one."""
        if not isinstance(data, dict):
            raise InvalidInput([FieldProblem("operator", "must be an object with id and agency")])
        problems = [
            FieldProblem(f"operator.{key}", "must be a string of 1 to 200 characters")
            for key in ("id", "agency")
            if not isinstance(data.get(key), str) or not 0 < len(data[key]) <= 200
        ]
        if problems:
            raise InvalidInput(problems)
        return cls(id=data["id"], agency=data["agency"])


class UnknownDeadLetter(NotFound):
    pass


def watermark_name(source: str) -> str:
    return f"watermark:{source}"


def describe(error: BaseException) -> str:
    """A dead letter's reason: our errors are worded without personal data; others by type only."""
    if isinstance(error, PathwayError):
        return f"{type(error).__name__}: {error}"
    return f"internal error ({type(error).__name__}; see the service log)"


def subject_of(envelope: Envelope) -> str:
    return str(envelope.subject) if envelope.subject is not None else NO_SUBJECT


def publisher_named(user: str | None) -> str:
    """A claimed publisher as a reason or a log line repeats it: bounded, and quoted so it reads as a name."""
    return "no user_id" if user is None else f"user {user[:KEPT_OF_PUBLISHER]!r}"


class TrackedConsumer:
    """`publishers`: each service's relay user, checked against every message's publisher; None on the
    embedded bus, which has no broker and where every publisher is the process itself."""

    def __init__(self, app: PathwayApplication, max_attempts: int = 3, publishers: Publishers | None = None) -> None:
        self.app = app
        self.policies = app.policies()
        self.max_attempts = max_attempts
        self.publishers = publishers
        self.last_reason = ""  # why the last message was set aside or rejected, for the transport's copy on the bus

    @property
    def service(self) -> str:
        return self.app.service

    def bindings(self) -> list[str]:
        return sorted(self.policies)

    def upstreams(self) -> list[str]:
        """The services whose events this consumer reacts to."""
        return sorted({binding.split(".", 1)[0] for binding in self.bindings()})

    # --- watermarks: how far each upstream's relay had published when we got here

    def record_watermark(self, source: str, position: int) -> None:
        keep_position(self.app, watermark_name(source), position)  # sent again after a relay restart: no change

    def watermarks(self) -> dict[str, int]:
        positions = kept_positions(self.app, [watermark_name(source) for source in self.upstreams()])
        return {source: positions[watermark_name(source)] for source in self.upstreams()}

    # --- publishers: only a service's own relay speaks for it

    def not_genuine(self, published_by: str | None, source: str | None = None) -> str | None:
        """Why a message is not genuine, or None when it is. Without `source` (not yet read): whether its
        publisher is the relay of any service this consumer follows; with it, whether it is that service's."""
        if self.publishers is None:
            return None
        publishers = self.publishers
        if source is None:
            if not any(publishers.is_relay_of(upstream, published_by) for upstream in self.upstreams()):
                return f"not genuine: published by {publisher_named(published_by)}, no relay {self.service} follows"
            return None
        if not publishers.is_relay_of(source, published_by):
            return (
                f"not genuine: claims source {source}, published by {publisher_named(published_by)}, "
                f"not {publishers.relay_user(source)!r}"
            )
        return None

    def reject(self, reason: str) -> Handled:
        """Count a message that is not genuine and say why; nothing of it is applied or tracked."""
        count_up(self.app, REJECTED_TRACKING_NAME)  # the store's trouble raises: redelivered, and counted then
        self.last_reason = reason
        # The reason names services and broker users only, never anything the message carries about a person.
        log.warning("%s: rejected a message: %s", self.service, reason)
        return Handled.REJECTED

    def rejected_count(self) -> int:
        """How many messages were rejected as not genuine (one read, for status)."""
        return kept_position(self.app, REJECTED_TRACKING_NAME)

    # --- messages

    def handle(self, body: bytes, published_by: str | None = None) -> Handled:
        """Decide one message; `published_by` is the broker-validated user that published it (checked against
        `publishers`). Raises only the store's own errors: then nothing is decided, and it comes back."""
        forged = self.not_genuine(published_by)
        if forged is not None:
            return self.reject(forged)
        if len(body) > MAX_MESSAGE_BYTES:
            return self.set_aside_unreadable(body, f"unreadable: larger than {MAX_MESSAGE_BYTES} bytes")
        for _ in range(self.max_attempts + 2):
            try:
                return self._handle_once(body, published_by)
            except IntegrityError:
                continue  # lost a race with another instance; decide again on fresh state
            except INFRASTRUCTURE_ERRORS:
                raise
            except Exception as bug:  # whatever a message does to us, it is set aside, never a crash
                log.warning("%s: could not process a message (%s)", self.service, type(bug).__name__, exc_info=bug)
                return self.set_aside_unreadable(body, describe(bug))
        # Races lost again and again are the store's trouble, not the message's: it is redelivered.
        raise OperationalError(f"{self.service}: message kept conflicting; leaving it for redelivery")

    def _handle_once(self, body: bytes, published_by: str | None) -> Handled:
        try:
            envelope = Envelope.from_bytes(body)
        except InvalidInput as unreadable:
            return self.set_aside_unreadable(body, f"unreadable: {unreadable}")
        forged = self.not_genuine(published_by, envelope.source)
        if forged is not None:
            return self.reject(forged)
        policy = self.policies.get(envelope.type)
        if policy is None:
            return Handled.IGNORED
        tracking = Tracking(envelope.source, envelope.notification_id)
        if is_tracked(self.app, envelope.source, envelope.notification_id):
            return Handled.DUPLICATE
        quarantine = self.app.get_or_none(Quarantine.id_for(subject_of(envelope)))
        if quarantine is not None and quarantine.is_open:
            quarantine.set_aside(
                str(envelope.event_id), envelope.model_dump_json(), "held behind an earlier dead letter", held=True
            )
            self.app.save_tracked([quarantine], tracking)
            return Handled.HELD
        last_failure: BaseException | None = None
        for _ in range(self.max_attempts):
            try:
                policy(envelope, envelope.event()).commit(tracking)
                return Handled.APPLIED
            except IntegrityError:
                if is_tracked(self.app, envelope.source, envelope.notification_id):
                    return Handled.DUPLICATE
                raise
            except INFRASTRUCTURE_ERRORS:
                raise
            except InvalidInput as invalid:
                last_failure = invalid
                break  # a bad payload will not get better by retrying
            except Exception as failure:  # noqa: BLE001 - any failing reaction is set aside, never dropped
                last_failure = failure
        assert last_failure is not None
        error = last_failure
        # The traceback helps the operator; our errors' messages carry no personal data.
        log.warning(
            "%s: set aside %s %s: %s", self.service, envelope.type, envelope.event_id, describe(error), exc_info=error
        )
        self._set_aside(
            subject_of(envelope), str(envelope.event_id), envelope.model_dump_json(), describe(error), tracking
        )
        return Handled.DEAD_LETTERED

    def set_aside_unreadable(self, body: bytes, reason: str) -> Handled:
        """Set aside a message that cannot be taken as anyone's event, under its digest: not JSON, not an
        envelope, too large, a malformed watermark, or one our own code failed on before its reaction."""
        digest = hashlib.sha256(body).hexdigest()
        existing = self.app.get_or_none(Quarantine.id_for(UNREADABLE))
        if existing is not None and existing.holds(digest):
            return Handled.DUPLICATE
        log.warning("%s: set aside an unreadable message %s: %s", self.service, digest[:12], reason)
        kept = body if len(body) <= MAX_MESSAGE_BYTES else body[:KEPT_OF_OVERSIZED]
        self._set_aside(UNREADABLE, digest, kept.decode("utf-8", "replace"), reason, None)
        return Handled.DEAD_LETTERED

    def _set_aside(self, subject: str, event_id: str, envelope: str, reason: str, tracking: Tracking | None) -> None:
        self.last_reason = reason
        quarantine: Quarantine = self.app.get_or_none(Quarantine.id_for(subject)) or Quarantine.open(subject)
        index: DeadLetterIndex = self.app.get_or_none(DeadLetterIndex.ID) or DeadLetterIndex.start()
        quarantine.set_aside(event_id, envelope, reason, held=False)
        index.opened(subject)
        if tracking is None:
            self.app.save(quarantine, index)
        else:
            self.app.save_tracked([quarantine, index], tracking)

    # --- operators -------------------------------------------------------

    def dead_letters(self) -> list[DeadLetter]:
        index = self.app.get_or_none(DeadLetterIndex.ID)
        letters: list[DeadLetter] = []
        for subject in index.subjects if index else []:
            quarantine: Quarantine = self.app.repository.get(Quarantine.id_for(subject))
            letters.extend(_view(subject, entry) for entry in quarantine.parked)
        return letters

    def dead_letter_count(self) -> int:
        """How many subjects have messages set aside (one read, for status checks)."""
        index = self.app.get_or_none(DeadLetterIndex.ID)
        return len(index.subjects) if index else 0

    def replay_dead_letters(self, by: Operator | None = None) -> ReplayReport:
        """Apply set-aside messages again, each subject's in order, stopping at one that still fails."""
        applied = still_failing = 0
        index = self.app.get_or_none(DeadLetterIndex.ID)
        for subject in list(index.subjects) if index else []:
            done, failing = self._replay_subject(subject, _provenance(by))
            applied += done
            still_failing += failing
        return ReplayReport(applied, still_failing)

    def discard(self, event_id: str, reason: str, by: Operator) -> ReplayReport:
        """Set one dead letter aside for good, recorded with who and why; then its subject's held messages
        flow again in their order (up to the next one that fails)."""
        provenance = _provenance(by)
        subject, quarantine = self._holding(event_id)
        quarantine.discard(event_id, reason, provenance)
        index: DeadLetterIndex = self.app.repository.get(DeadLetterIndex.ID)
        if not quarantine.is_open:
            index.cleared(subject)
        self.app.save(quarantine, index)
        return ReplayReport(*self._replay_subject(subject, provenance))

    def _holding(self, event_id: str) -> tuple[str, Quarantine]:
        index = self.app.get_or_none(DeadLetterIndex.ID)
        for subject in index.subjects if index else []:
            quarantine: Quarantine = self.app.repository.get(Quarantine.id_for(subject))
            if quarantine.holds(event_id):
                return subject, quarantine
        raise UnknownDeadLetter(f"ID: no such dead letter in {self.service} (see: pathway dead-letters list)")

    def _replay_subject(self, subject: str, by: Provenance = SYSTEM) -> tuple[int, int]:
        applied = 0
        while True:
            quarantine: Quarantine = self.app.repository.get(Quarantine.id_for(subject))
            if not quarantine.is_open:
                return applied, 0
            entry = quarantine.parked[0]
            try:
                reaction = self._reapply(subject, entry)
            except INFRASTRUCTURE_ERRORS:
                raise
            except Exception as failure:  # noqa: BLE001 - reported, kept set aside
                quarantine.replay_failed(entry["event_id"], describe(failure))
                self.app.save(quarantine)
                return applied, len(quarantine.parked)
            quarantine.release(entry["event_id"], by)
            index: DeadLetterIndex = self.app.repository.get(DeadLetterIndex.ID)
            if not quarantine.is_open:
                index.cleared(subject)
            reaction.add(quarantine)
            reaction.add(index)
            reaction.commit()
            applied += 1

    def _reapply(self, subject: str, entry: dict[str, Any]) -> UnitOfWork:
        if subject == UNREADABLE:
            envelope = Envelope.from_bytes(entry["envelope"].encode())
        else:
            envelope = Envelope.model_validate_json(entry["envelope"])
        policy = self.policies.get(envelope.type)
        if policy is None:
            return UnitOfWork(self.app)
        return policy(envelope, envelope.event())


def _provenance(by: Operator | None) -> Provenance:
    return SYSTEM if by is None else Provenance(actor=by.as_dict())


def _view(subject: str, entry: dict[str, Any]) -> DeadLetter:
    try:
        envelope = Envelope.model_validate_json(entry["envelope"])
        kind, source, notification_id = envelope.type, envelope.source, envelope.notification_id
    except ValueError:
        kind, source, notification_id = "(unreadable)", "(unknown)", None
    return DeadLetter(subject, entry["event_id"], kind, source, notification_id, entry["state"], entry["reason"])
