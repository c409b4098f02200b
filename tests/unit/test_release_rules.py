"""Release rules are data: a JSON file per jurisdiction, checked at start-up, with the old variables as overrides."""

from __future__ import annotations

import json
import re
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from services.release.bootstrap import DEFAULT_RULES_FILE, build, load_rules, rules_from
from services.release.domain.rules import ReleaseRules, ReleaseRulesError
from shared.eventstore.settings import sqlite_env

SPINE_DATA = json.loads(DEFAULT_RULES_FILE.read_text())


def rules_file(tmp_path: Path, **changes: Any) -> Path:
    data = {**SPINE_DATA, **changes}
    path = tmp_path / "rules.json"
    path.write_text(json.dumps({k: v for k, v in data.items() if v is not None}))
    return path


def test_the_shipped_rules_are_the_spines_rule() -> None:
    assert load_rules(DEFAULT_RULES_FILE) == ReleaseRules()
    assert rules_from({}) == ReleaseRules(Fraction(2, 3), "spine-1", "default", "up", remand_credit_granted=True)


def test_release_rules_file_selects_another_jurisdiction(tmp_path: Path) -> None:
    path = rules_file(
        tmp_path, version="north-2026.1", jurisdiction="north", conditional_release_fraction="1/2", rounding="down"
    )

    rules = rules_from({"RELEASE_RULES_FILE": str(path)})

    assert rules == ReleaseRules(Fraction(1, 2), "north-2026.1", "north", "down", remand_credit_granted=True)


def test_the_old_variables_still_override_the_fraction_and_version(tmp_path: Path) -> None:
    rules = rules_from({"RELEASE_CONDITIONAL_FRACTION": "1/2", "RELEASE_RULES_VERSION": "half"})

    assert (rules.conditional_release_fraction, rules.version, rules.jurisdiction) == (
        Fraction(1, 2),
        "half",
        "default",
    )
    # Empty values (as a compose file leaves them) change nothing.
    assert rules_from({"RELEASE_CONDITIONAL_FRACTION": "", "RELEASE_RULES_VERSION": "", "RELEASE_RULES_FILE": ""}) == (
        ReleaseRules()
    )


def test_a_bad_override_variable_stops_the_start() -> None:
    with pytest.raises(ReleaseRulesError, match=r"RELEASE_CONDITIONAL_FRACTION.*in \(0, 1\]"):
        rules_from({"RELEASE_CONDITIONAL_FRACTION": "3/2"})


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"conditional_release_fraction": "3/2"}, "conditional_release_fraction: .*must be in \\(0, 1\\]"),
        ({"conditional_release_fraction": "two thirds"}, "conditional_release_fraction: must be a fraction"),
        ({"conditional_release_fraction": 0.66}, "conditional_release_fraction: must be a string"),
        ({"rounding": "nearest"}, "rounding: must be one of up, down"),
        ({"version": ""}, "version: must be a non-empty string"),
        ({"jurisdiction": None}, "missing field jurisdiction"),
        ({"conditional_release_fraccion": "1/2"}, "unknown field conditional_release_fraccion"),
        (
            {"remand_credit": {"granted": True, "may_exceed_time_served": True}},
            "remand_credit.may_exceed_time_served: must be false",
        ),
        ({"remand_credit": {"granted": "yes", "may_exceed_time_served": False}}, "remand_credit.granted"),
        ({"remand_credit": True}, "remand_credit: must be an object"),
        ({"supervision": {"first_review_days": 0}}, "supervision.first_review_days: must be a whole number of days"),
        ({"supervision": {"first_review_day": 14}}, "supervision: unknown field first_review_day"),
        ({"follow_up": {"months": [12, 6], "window_days": 31}}, "follow_up.months: must be a list of whole months"),
        ({"follow_up": {"months": [6]}}, "follow_up: missing field window_days"),
        ({"follow_up": {"months": [6], "window_days": "31"}}, "follow_up.window_days: must be a whole number"),
    ],
)
def test_a_bad_rules_file_stops_the_start_naming_the_file_and_the_field(
    tmp_path: Path, changes: dict[str, Any], problem: str
) -> None:
    path = rules_file(tmp_path, **changes)

    with pytest.raises(ReleaseRulesError, match=f"release rules file {re.escape(str(path))}: {problem}"):
        build(sqlite_env("release", tmp_path), environ={"RELEASE_RULES_FILE": str(path)})


def test_an_unreadable_rules_file_stops_the_start(tmp_path: Path) -> None:
    not_json = tmp_path / "broken.json"
    not_json.write_text("{version: spine-1")

    with pytest.raises(ReleaseRulesError, match="not valid JSON"):
        rules_from({"RELEASE_RULES_FILE": str(not_json)})
    with pytest.raises(ReleaseRulesError, match="cannot be read"):
        rules_from({"RELEASE_RULES_FILE": str(tmp_path / "missing.json")})


def test_rules_without_remand_credit_load(tmp_path: Path) -> None:
    path = rules_file(tmp_path, remand_credit={"granted": False, "may_exceed_time_served": False})

    assert not load_rules(path).remand_credit_granted


def test_supervision_reviews_and_follow_ups_are_the_jurisdictions_and_spine_1_keeps_28_days(tmp_path: Path) -> None:
    (tmp_path / "spine").mkdir()
    spine = build(sqlite_env("release", tmp_path / "spine"), environ={})
    assert (spine.rules.first_review_days, spine.rules.follow_up_months, spine.rules.follow_up_window_days) == (
        28,
        (6, 12, 24),
        31,
    )
    path = rules_file(tmp_path, supervision={"first_review_days": 14}, follow_up={"months": [3, 12], "window_days": 10})
    north = build(sqlite_env("release", tmp_path), environ={"RELEASE_RULES_FILE": str(path)})
    assert (north.rules.first_review_days, north.rules.follow_up_months, north.rules.follow_up_window_days) == (
        14,
        (3, 12),
        10,
    )
    spine.close()
    north.close()


def test_a_rules_file_written_before_reviews_and_follow_ups_were_rules_keeps_the_spines_values(tmp_path: Path) -> None:
    path = rules_file(tmp_path, supervision=None, follow_up=None)

    rules = load_rules(path)

    assert (rules.first_review_days, rules.follow_up_months, rules.follow_up_window_days) == (28, (6, 12, 24), 31)
