"""Reports answer from read models kept between queries and caught up with what was recorded since. Every
report must answer exactly as a fold of the whole store would, after more events came in, when asked again,
and after a caller changed an answer it was given."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, ClassVar
from uuid import UUID

import pytest

from pathway.cohort import demo_cohort
from pathway.embedded import EmbeddedSystem
from services.intake.read_models.classification_reviews import ClassificationReviews
from services.intake.read_models.population import Population
from services.programmes.read_models.learning_records import LearningRecords
from services.programmes.read_models.programme_figures import ProgrammesReadModel
from services.release.read_models.followups import FollowUpRegister
from services.release.read_models.reoffending import ReoffendingRegister
from services.release.read_models.resettlement import ResettlementRegister
from services.release.read_models.supervision import SupervisionRegister
from shared.eventstore.reading import head
from shared.eventstore.readmodel import Fold
from tests import examples as ex
from tests.embedded.helpers import TEST_READER, load
from tests.stores import BOTH_STORES

pytestmark = BOTH_STORES

ON = date(2025, 3, 1)
Report = tuple[str, Callable[[Any], Any], Callable[[Any], Any]]  # service, kept answer, whole-store fold


def reports(system: EmbeddedSystem, learner: UUID) -> dict[str, Report]:
    release = system.apps["release"]
    rules, within = release.rules, release.explain_within_days  # type: ignore[attr-defined]
    first = rules.first_review_days

    def asked(name: str, **params: Any) -> Callable[[Any], Any]:
        return lambda _: system.query("release", name, params)

    return {
        "occupancy": (
            "intake",
            lambda _: system.query("intake", "occupancy", {"on": ON}),
            lambda a: [
                {**f.as_dict(), "average_pretrial_days": f.average_pretrial_days}
                for f in Population.from_store(a).on(ON)
            ],
        ),
        "pretrial": (
            "intake",
            lambda _: system.query("intake", "pretrial", {"on": ON}),
            lambda a: Population.from_store(a).pretrial_alerts(ON),
        ),
        "classification-reviews": (
            "intake",
            lambda _: system.query("intake", "classification-reviews", {"on": ON}),
            lambda a: [row.as_dict() for row in ClassificationReviews.from_store(a).overdue_on(ON)],
        ),
        "programmes": (
            "programmes",
            lambda _: system.query("programmes", "programmes", {}),
            lambda a: [row.as_dict() for row in ProgrammesReadModel.from_store(a).figures()],
        ),
        "learning-record": (
            "programmes",
            lambda _: system.query("programmes", "learning-record", {"person_id": learner}, TEST_READER),
            lambda a: LearningRecords.from_store(a).record_of(learner, a.person_stream_ids(learner)).as_dict(),
        ),
        "caseload": ("release", asked("caseload", on=ON), lambda a: SupervisionRegister.from_store(a).caseload(ON)),
        "compliance": (
            "release",
            asked("compliance", on=ON),
            lambda a: SupervisionRegister.from_store(a).compliance(ON),
        ),
        "unexplained-conditions": (
            "release",
            asked("unexplained-conditions", on=ON),
            lambda a: SupervisionRegister.from_store(a).unexplained_conditions(ON, within),
        ),
        "supervision-reviews": (
            "release",
            asked("supervision-reviews", on=ON),
            lambda a: SupervisionRegister.from_store(a).supervision_reviews(ON, first),
        ),
        "releases-flagged": (
            "release",
            asked("releases-flagged", on=ON),
            lambda a: ResettlementRegister.from_store(a).releases_flagged(ON),
        ),
        "releases-due": (
            "release",
            asked("releases-due", on=ON, days=60),
            lambda a: ResettlementRegister.from_store(a).releases_due(ON, 60),
        ),
        "followups-due": (
            "release",
            asked("followups-due", on=ON, within=30),
            lambda a: FollowUpRegister.from_store(a).follow_ups(ON, 30, rules),
        ),
        "reoffending": (
            "release",
            asked("reoffending", on=ON),
            lambda a: ReoffendingRegister.from_store(a).report(ON),
        ),
    }


def a_learner(system: EmbeddedSystem) -> UUID:
    programmes = system.apps["programmes"]
    return min(LearningRecords.from_store(programmes).records, key=str)  # type: ignore[arg-type]


def test_every_report_answers_as_a_fold_of_the_whole_store_as_events_come_in(system: EmbeddedSystem) -> None:
    lines = demo_cohort(24, prefix="K")
    half = len(lines) // 2
    assert load(system, lines[:half]).ok
    learner = a_learner(system)
    for service, kept, _ in reports(system, learner).values():  # the kept models start here, from half the cohort
        kept(system.apps[service])

    assert load(system, lines[half:]).ok

    for name, (service, kept, fresh) in reports(system, learner).items():
        app = system.apps[service]
        first = kept(app)
        assert first == fresh(app), name
        if isinstance(first, list) and first and isinstance(first[0], dict):
            first[0].clear()  # a caller changing its answer
        assert kept(app) == fresh(app), name


class Counted(Fold):
    """Counts what it folds, and fails on an event when told to."""

    fail_on: ClassVar[int | None] = None

    def __init__(self) -> None:
        self.folded = 0

    def apply(self, event: Any) -> None:
        self.folded += 1
        if self.folded == Counted.fail_on:
            raise RuntimeError("the fold failed")


def test_a_kept_model_folds_only_what_was_recorded_since_and_is_refolded_after_a_failure(
    system: EmbeddedSystem,
) -> None:
    intake = system.apps["intake"]
    kept = intake.read_models  # type: ignore[attr-defined]
    assert load(system, [ex.register_person("A1"), ex.custodial_sentence("A1")]).ok
    assert kept.answer(Counted, lambda model: model.folded) == head(intake)

    assert load(system, [ex.admit("A1")]).ok
    assert kept.answer(Counted, lambda model: model.folded) == head(intake)  # the new events only, folded once

    Counted.fail_on = head(intake) + 1
    try:
        assert load(system, [ex.register_person("B1")]).ok
        with pytest.raises(RuntimeError):
            kept.answer(Counted, lambda model: model.folded)
    finally:
        Counted.fail_on = None
    assert kept.answer(Counted, lambda model: model.folded) == head(intake)  # folded afresh, nothing twice


def test_the_kept_reoffending_model_follows_merges_unmerges_and_facts_recorded_after_them(
    system: EmbeddedSystem,
) -> None:
    """Reoffending keeps each person's outlook between reports and works out again only those changed, or
    everyone after a merge or unmerge; every step must answer as a fold of the whole store."""
    from tests.embedded.test_identity import merge

    release, on = system.apps["release"], date(2028, 6, 1)

    def reoffending() -> Any:
        return system.query("release", "reoffending", {"on": on})

    def answers_as_a_whole_fold() -> None:
        assert reoffending() == ReoffendingRegister.from_store(release).report(on)

    measure = ex.non_custodial_measure("M2", decision_id="D-M2-2", decided_on="2026-10-01")
    lines = [*ex.catalogue(), *ex.custodial_pathway("M1")[:3], ex.release("M1"), ex.register_person("M2"), measure]
    assert load(system, lines).ok
    answers_as_a_whole_fold()  # the kept model starts here

    assert merge(system, "M1", "M2").ok  # M2's measure is now a new conviction of M1's
    answers_as_a_whole_fold()
    assert load(system, [ex.record_outcome("M1", new_conviction=True, new_conviction_on="2026-03-01")]).ok
    answers_as_a_whole_fold()
    # A person first known after the kept model grouped its records joins it.
    later = [ex.register_person("M3"), ex.non_custodial_measure("M3", decision_id="D-M3", decided_on="2025-01-10")]
    assert load(system, later).ok
    answers_as_a_whole_fold()
    assert reoffending()["12"]["non_custodial"]["people"] == 1  # M3; M2 is part of M1

    assert merge(system, "M1", "M2", command="unmerge_persons").ok
    answers_as_a_whole_fold()
    assert reoffending()["12"]["non_custodial"]["people"] == 2  # M2 counts on its own again
