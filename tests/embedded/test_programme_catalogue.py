"""The catalogue through `pathway import` lines: further details, revision, retirement."""

from __future__ import annotations

from pathway.embedded import EmbeddedSystem
from services.programmes.domain.programme import Programme
from tests import examples as ex
from tests.embedded.helpers import load
from tests.embedded.test_programme_places import cohort, waiting

FURTHER = {
    "kind": "accredited_behaviour",
    "facility": "Test Prison",
    "eligibility": {"security_levels": ["low", "medium"], "sexes": ["male", "female"], "needs": ["thinking_skills"]},
    "awarding_body": "National Awarding Body",
}


def report(system: EmbeddedSystem) -> dict[str, dict[str, object]]:
    rows = system.query("programmes", "programmes", {})
    return {row["programme_id"]: row for row in rows}


def test_a_programme_published_with_the_catalogue_details_and_again_without_them(system: EmbeddedSystem) -> None:
    loaded = load(
        system, [ex.publish_programme("P-TS", **FURTHER), ex.publish_programme("P-TS", kind="accredited_behaviour")]
    )

    assert loaded.ok, loaded.errors
    assert loaded.skipped == 1
    programme = system.apps["programmes"].get_or_none(Programme.id_for("P-TS"))
    assert (programme.kind, programme.facility, programme.awarding_body) == (
        "accredited_behaviour",
        "Test Prison",
        "National Awarding Body",
    )
    refused = load(system, [ex.publish_programme("P-TS", **{**FURTHER, "facility": "Other Prison"})])
    assert "already published with different facility" in refused.errors[0]


def test_a_larger_capacity_offers_its_new_places_to_the_people_waiting(system: EmbeddedSystem) -> None:
    revision = ex.line("programmes", "revise_programme", programme_id="P-WELD", revised_on="2025-03-01", capacity=2)
    loaded = load(system, [*cohort(), revision, revision])

    assert loaded.ok, loaded.errors
    assert loaded.skipped == 1
    assert waiting(system) == ["R-C1-P-WELD", "R-D1-P-WELD"]  # B1 took the new place
    assert report(system)["P-WELD"]["capacity"] == 2
    assert report(system)["P-WELD"]["enrolled"] == 2
    empty = load(system, [ex.line("programmes", "revise_programme", programme_id="P-WELD", revised_on="2025-03-02")])
    assert "give at least one field to revise" in empty.errors[0]


def test_a_retired_programme_takes_no_new_referral_or_enrolment(system: EmbeddedSystem) -> None:
    retire = ex.line("programmes", "retire_programme", programme_id="P-WELD", retired_on="2025-02-25", reason="ended")
    loaded = load(system, [*cohort(), retire, ex.refer("A1", programme_id="P-WELD", referral_id="R-2")])

    assert not loaded.ok
    assert "programme retired on 2025-02-25" in loaded.errors[0]
    finished = load(system, [ex.attend("A1", "2025-02-08"), ex.attend("A1", "2025-02-15"), ex.complete_programme("A1")])
    assert finished.ok, finished.errors  # a current participation runs on to its end
    assert len(waiting(system)) == 3  # but no place is offered from a retired programme
    assert report(system)["P-WELD"]["enrolled"] == 0
