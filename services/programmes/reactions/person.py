"""Who the person is, as programmes needs it: their registration (and sex, for women-only or men-only places) from
intake, and their sentence end (their priority on waiting lists) from release."""

from __future__ import annotations

from uuid import UUID

from services.programmes.domain.learner import Learner
from shared.contracts.events import PersonRegistered, ReleaseDatesCalculated
from shared.eventstore.unit_of_work import UnitOfWork
from shared.people import learn_national_id
from shared.registry.reactions import Cause, reacts_to


def _learner(uow: UnitOfWork, person_id: UUID, cause: Cause) -> Learner:
    """The person's learner, registered now if this is the first we hear of them."""
    learner: Learner | None = uow.get_or_none(person_id)
    if learner is None:
        learner = uow.add(Learner.register(person_id, cause.by, cause.when))
    return learner


@reacts_to(PersonRegistered)
def on_intake_person_registered(event: PersonRegistered, uow: UnitOfWork, cause: Cause) -> None:
    national_id = event.national_id
    learn_national_id(uow, national_id.issuer, national_id.value, event.person_id, cause.by, cause.when)
    learner = _learner(uow, event.person_id, cause)
    if event.sex is not None:  # None from registrations published before the field was added
        learner.learn_sex(event.sex, cause.by, cause.when)


@reacts_to(ReleaseDatesCalculated)
def on_release_release_dates_calculated(event: ReleaseDatesCalculated, uow: UnitOfWork, cause: Cause) -> None:
    """The sentence end, which sets the person's priority on waiting lists. Release may learn it before intake's
    registration reaches us."""
    _learner(uow, event.person_id, cause).learn_sentence_end(event.sentence_end, cause.by, cause.when)
