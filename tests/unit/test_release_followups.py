"""Which follow-up an outcome answers (services/release/read_models/followups.py)."""

from __future__ import annotations

from datetime import date

from services.release.domain.rules import ReleaseRules
from services.release.read_models.followups import Measure, PersonRecord, matched

RULES = ReleaseRules()  # 6, 12 and 24 months; 31 days either side
ON = date(2030, 1, 1)


def answered(record: PersonRecord) -> list[tuple[str, int, date | None]]:
    return [(f.anchor, f.months, f.recorded_on) for f in matched(record, ON, RULES)]


def test_an_outcome_naming_no_point_answers_the_nearest_within_the_window() -> None:
    record = PersonRecord(releases=[(date(2026, 1, 1), "sentence_served")])
    record.outcomes = {date(2026, 7, 31): None, date(2026, 10, 1): None, date(2027, 1, 20): None}

    assert answered(record) == [
        ("release", 6, date(2026, 7, 31)),  # 30 days after 2026-07-01
        ("release", 12, date(2027, 1, 20)),  # 2026-10-01 is near no point: it answers none
        ("release", 24, None),
    ]


def test_a_named_point_is_answered_however_late_and_first() -> None:
    record = PersonRecord(releases=[(date(2026, 1, 1), "sentence_served")])
    # Unnamed, 2026-07-15 would take the 6-month point; named first, the 6-month outcome of 2026-09-01 takes it.
    record.outcomes = {date(2026, 7, 15): None, date(2026, 9, 1): 6}

    assert answered(record)[0] == ("release", 6, date(2026, 9, 1))
    assert answered(record)[1:] == [("release", 12, None), ("release", 24, None)]


def test_a_named_point_goes_to_the_anchor_whose_due_date_is_nearest() -> None:
    record = PersonRecord(releases=[(date(2026, 1, 1), "sentence_served")])
    record.measures = {date(2025, 6, 1): Measure("probation", date(2026, 6, 1))}
    record.outcomes = {date(2026, 12, 15): 6}  # release's 6 months: 2026-07-01; the measure end's: 2026-12-01

    follow_ups = {(f.anchor, f.months): f.recorded_on for f in matched(record, ON, RULES)}
    assert follow_ups[("measure_end", 6)] == date(2026, 12, 15)
    assert follow_ups[("release", 6)] is None


def test_outcomes_after_the_reports_date_and_anchors_after_the_outcome_do_not_count() -> None:
    record = PersonRecord(releases=[(date(2026, 1, 1), "sentence_served"), (date(2027, 1, 1), "parole")])
    record.outcomes = {date(2026, 7, 2): None}

    assert [f.recorded_on for f in matched(record, date(2026, 7, 1), RULES)] == [None, None, None]
    later = [(f.anchor_on, f.months, f.recorded_on) for f in matched(record, ON, RULES) if f.recorded_on]
    assert later == [(date(2026, 1, 1), 6, date(2026, 7, 2))]


def test_a_measure_ended_by_death_or_revocation_is_not_followed_up() -> None:
    record = PersonRecord(measures={date(2025, 1, 1): Measure("probation", date(2026, 1, 1), end_reason="revocation")})
    record.releases = [(date(2025, 6, 1), "died")]

    assert matched(record, ON, RULES) == []
