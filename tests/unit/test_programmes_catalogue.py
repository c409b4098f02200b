"""The catalogue on its own: further details, revisions, retirement."""

from __future__ import annotations

from datetime import date

import pytest

from services.programmes import translators
from services.programmes.domain.errors import ProgrammeConflictError, ProgrammeRetiredError
from services.programmes.domain.programme import Programme
from tests.unit.test_programmes_domain import BY, NOW, a_programme

FURTHER = {"facility": "HMP Test", "eligibility": {"security_levels": ["low"]}, "awarding_body": "National Body"}


def test_the_spine_publication_stays_a_published_event_and_further_details_make_a_catalogued_one() -> None:
    spine = a_programme()
    details = {**spine.details(), **FURTHER, "programme_id": "EDU-NUM"}
    catalogued = Programme.publish(details, BY, NOW)

    (event,) = catalogued.collect_events()
    assert type(event) is Programme.Catalogued
    assert (catalogued.facility, catalogued.awarding_body) == ("HMP Test", "National Body")
    published = translators.translate(event)
    assert published is not None
    payload = published.event.model_dump(mode="json")
    assert payload["eligibility"] == {"security_levels": ["low"], "sexes": None, "risk_levels": None, "needs": None}
    assert payload["awarding_body"] == "National Body"


def test_a_publication_again_is_compared_with_the_first_leaving_out_further_details_not_given() -> None:
    programme = Programme.publish({**a_programme().details(), **FURTHER}, BY, NOW)
    programme.revise(date(2025, 3, 1), {"capacity": 20}, BY, NOW)

    programme.check_same_publication({**a_programme().details(), "facility": None})  # the first, re-sent
    with pytest.raises(ProgrammeConflictError, match="different facility"):
        programme.check_same_publication({**a_programme().details(), "facility": "HMP Other"})


def test_a_revision_changes_the_entry_once() -> None:
    programme = a_programme()

    assert programme.revise(date(2025, 3, 1), {"capacity": 20, "title": "Welding 2"}, BY, NOW)
    assert not programme.revise(date(2025, 3, 1), {"capacity": 20, "title": "Welding 2"}, BY, NOW)
    assert (programme.capacity, programme.title) == (20, "Welding 2")
    assert len(programme.collect_events()) == 1


def test_a_retired_programme_takes_no_one_new_and_is_retired_once() -> None:
    programme = a_programme()
    assert programme.retire(date(2025, 6, 1), "syllabus replaced", BY, NOW)
    assert not programme.retire(date(2025, 6, 1), "syllabus replaced", BY, NOW)

    with pytest.raises(ProgrammeRetiredError, match="retired on 2025-06-01"):
        programme.check_open()
    with pytest.raises(ProgrammeConflictError, match="already retired"):
        programme.retire(date(2025, 7, 1), "syllabus replaced", BY, NOW)
    with pytest.raises(ProgrammeRetiredError):
        programme.revise(date(2025, 7, 1), {"capacity": 3}, BY, NOW)
