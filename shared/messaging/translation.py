"""From a stored private event to a public envelope: the outbox side of each service."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from uuid import UUID

from shared.contracts.base import PublicEvent
from shared.contracts.envelope import Envelope, event_id_for
from shared.domain import PathwayAggregate
from shared.eventstore.reading import NumberedEvent

if TYPE_CHECKING:  # for types only: the application does not depend on publishing
    from shared.eventstore.application import PathwayApplication


@dataclass(frozen=True)
class Translation:
    """A private event as its public contract, and the person it is about (if any)."""

    event: PublicEvent
    subject: UUID | None


# Returns None for private events that are not published (bookkeeping, receipts).
Translator = Callable[[Any], Translation | None]


def envelope_for(service: str, numbered: NumberedEvent, translate: Translator) -> Envelope | None:
    translation = translate(numbered.event)
    if translation is None:
        return None
    event = numbered.event
    return Envelope(
        event_id=event_id_for(service, event.originator_id, event.originator_version),
        type=translation.event.type,
        version=translation.event.version,
        occurred_at=event.occurred_at,
        recorded_at=event.timestamp,
        source=service,
        subject=translation.subject,
        aggregate_id=event.originator_id,
        aggregate_version=event.originator_version,
        notification_id=numbered.notification_id,
        correlation_id=event.correlation_id,
        causation_id=event.causation_id,
        actor=event.actor,
        payload=translation.event.model_dump(mode="json"),
    )


def public_envelopes(app: PathwayApplication, translate: Translator, notifications: Sequence[Any]) -> list[Envelope]:
    """The public envelopes of these notifications, as the relay publishes them and the feed serves them (the
    private events have none)."""
    envelopes = []
    for notification in notifications:
        numbered = NumberedEvent(notification.id, app.mapper.to_domain_event(notification))
        envelope = envelope_for(app.service, numbered, translate)
        if envelope is not None:
            envelopes.append(envelope)
    return envelopes


def public_from(model: type[PublicEvent], event: Any, **extra: Any) -> PublicEvent:
    """Fill a public contract from the same-named fields of a private event (plus `extra`).

    Validated, so a translator that produces a bad public event fails loudly
    in the relay instead of publishing it.
    """
    data = {name: getattr(event, name) for name in model.model_fields if hasattr(event, name)}
    data.update(extra)
    return model.model_validate(data)


def source_codes_translator(model: type[PublicEvent]) -> Translator:
    """A service's translator for the agency codes noted beside a change (shared/contracts/source_codes.py)."""

    def translate(event: Any) -> Translation | None:
        if not isinstance(event, PathwayAggregate.SourceCodesNoted):
            return None
        return Translation(public_from(model, event), event.person_id)

    return translate


def person_translator(published: dict[type[Any], type[PublicEvent]]) -> Translator:
    """A translator for aggregates whose id is the person id: the event's fields fill the contract."""

    def translate(event: Any) -> Translation | None:
        model = published.get(type(event))
        if model is None:
            return None
        return Translation(public_from(model, event, person_id=event.originator_id), event.originator_id)

    return translate
