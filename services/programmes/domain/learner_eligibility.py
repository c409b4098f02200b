"""Who a programme is for, checked against what programmes knows of the person.

A criterion is applied only where the person's data exists: a person not yet classified, whose sex
is not known (or recorded `unknown`), or not yet assessed for risk or needs, is not refused on that
criterion. The data may come later, and a place should not wait for it; a reclassification is
checked again against running enrolments (see the policies).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from services.programmes.domain.errors import EligibilityNotMetError, SettingMismatchError
from services.programmes.domain.learner_state import LearnerState
from shared.domain import Provenance

# Recorded as such by intake: no data to refuse a women-only or men-only programme on.
UNKNOWN_SEX = "unknown"


class EligibilityRules(LearnerState):
    def check_setting_allows(self, setting: str) -> None:
        if setting == "custody" and self.facility is None:
            raise SettingMismatchError("enrolment refused: a custody programme needs the person to be in custody")
        if setting == "community" and self.supervision is None:
            raise SettingMismatchError(
                "enrolment refused: a community programme needs the person to be under supervision"
            )

    def check_eligible(self, eligibility: dict[str, Any] | None) -> None:
        """The programme's eligibility by security level, sex, risk of reoffending and needs, each where the
        person's data exists. The refusal names the criterion, never the person's value (messages reach
        HTTP bodies, dead letters and logs: shared/errors.py)."""
        wanted = eligibility or {}
        self.check_security_level(wanted)
        sexes = wanted.get("sexes")
        if sexes and self.sex not in (None, UNKNOWN_SEX) and self.sex not in sexes:
            raise EligibilityNotMetError(
                f"refused: the programme is for sexes {', '.join(sexes)}, and the person's recorded sex is not one"
            )
        risks, risk = wanted.get("risk_levels"), self.risk_of_reoffending
        if risks and risk is not None and risk not in risks:
            raise EligibilityNotMetError(
                f"refused: the programme is for risk levels {', '.join(risks)}, and the person's assessed risk "
                "is not one of them"
            )
        needs, assessed = wanted.get("needs"), self.assessed_needs
        if needs and assessed is not None and not set(needs) & set(assessed):
            # The person's needs are sensitive (health, substance use): the message does not list them.
            raise EligibilityNotMetError(
                f"refused: the programme is for needs {', '.join(needs)}, and the person's latest assessment "
                "identified none of them"
            )

    def check_security_level(self, eligibility: dict[str, Any] | None) -> None:
        """The security level (from intake's classification; an unclassified person is not refused on it)."""
        levels = (eligibility or {}).get("security_levels")
        if levels and self.security_level is not None and self.security_level not in levels:
            raise EligibilityNotMetError(
                f"refused: the programme is for security levels {', '.join(levels)}, "
                "and the person's security level is not one of them"
            )

    def is_eligible(self, eligibility: dict[str, Any] | None) -> bool:
        try:
            self.check_eligible(eligibility)
        except EligibilityNotMetError:
            return False
        return True

    def meets_security_level(self, eligibility: dict[str, Any] | None) -> bool:
        """Only the security level: what a reclassification re-checks on running enrolments. (Needs met by
        the programme itself must not end it, so a later assessment is not held against a running one.)"""
        try:
            self.check_security_level(eligibility)
        except EligibilityNotMetError:
            return False
        return True

    @property
    def risk_of_reoffending(self) -> str | None:
        """From the latest assessment (by date, then as recorded) that assessed it."""
        return self._latest_assessed("risk_of_reoffending")

    @property
    def assessed_needs(self) -> list[str] | None:
        """The needs the latest assessment listing them identified (None: never assessed for needs)."""
        found: list[str] | None = self._latest_assessed("needs")
        return found

    def _latest_assessed(self, key: str) -> Any:
        found = [a for a in self.assessments.values() if a.get(key) is not None]
        return sorted(found, key=lambda a: a["assessed_on"])[-1][key] if found else None

    # --- learned from intake ----------------------------------------------------

    def learn_security_level(self, level: str, by: Provenance, occurred_at: datetime) -> bool:
        """The level in force after a classification decision; False if already known."""
        if level == self.security_level:
            return False
        self.record(self.SecurityLevelLearned, by, occurred_at, security_level=level)
        return True

    def learn_sex(self, sex: str, by: Provenance, occurred_at: datetime) -> bool:
        """The sex intake registered (for women-only or men-only programmes); False if already known."""
        if sex == self.sex:
            return False
        self.record(self.SexLearned, by, occurred_at, sex=sex)
        return True
