"""A learner's referrals: their status machine, the waiting list, and places allocated from it."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from services.programmes.domain import referral as status
from services.programmes.domain.errors import ReferralConflictError, ReferralNotFoundError, ReferralOpenError
from services.programmes.domain.learner_eligibility import EligibilityRules
from shared.domain import Provenance, start_of_day


class Referrals(EligibilityRules):
    def referral(self, referral_id: str) -> dict[str, Any]:
        found = self.referrals.get(referral_id)
        if found is None:
            raise ReferralNotFoundError("referral_id: no such referral for this person")
        return found

    def open_referral(self, programme_id: str) -> str | None:
        """The person's referral to this programme that is not closed, if any."""
        return next(
            (
                rid
                for rid, r in self.referrals.items()
                if r["programme_id"] == programme_id and r["status"] not in status.TERMINAL
            ),
            None,
        )

    def refer(
        self, referral_id: str, programme_id: str, referred_on: date, reason: tuple[str, str], by: Provenance
    ) -> bool:
        """Create a referral, `submitted`; False if this very referral is already recorded."""
        known = self.referrals.get(referral_id)
        if known is not None:
            same = (known["programme_id"], known["referred_on"], known["reason_category"], known["reason_code"])
            if same != (programme_id, referred_on, *reason):
                raise ReferralConflictError("referral_id: already used for a different referral")
            return False
        if self.open_referral(programme_id) is not None:
            raise ReferralOpenError("referral refused: the person already has an open referral to this programme")
        self._record_referral(referral_id, programme_id, referred_on, status.SUBMITTED, reason, by)
        return True

    def _record_referral(
        self, referral_id: str, programme_id: str, on: date, initial: str, reason: tuple[str, str], by: Provenance
    ) -> None:
        self.record(
            self.ReferralCreated, by, start_of_day(on), referral_id=referral_id, programme_id=programme_id,
            referred_on=on, status=initial, reason_category=reason[0], reason_code=reason[1],
        )  # fmt: skip

    def change_referral(self, referral_id: str, wanted: str, on: date, reason: tuple[str, str], by: Provenance) -> bool:
        """Move a referral along an allowed transition; False if this change is already recorded."""
        referral = self.referral(referral_id)
        if (referral_id, wanted, on) in self.changes_ever:
            return False
        status.check_transition(referral["status"], wanted)
        self._move(referral_id, wanted, on, reason, by)
        return True

    def _move(self, referral_id: str, wanted: str, on: date, reason: tuple[str, str], by: Provenance) -> None:
        referral = self.referrals[referral_id]
        self.record(
            self.ReferralStatusChanged,
            by,
            start_of_day(on),
            referral_id=referral_id,
            programme_id=referral["programme_id"],
            from_status=referral["status"],
            status=wanted,
            changed_on=on,
            reason_category=reason[0],
            reason_code=reason[1],
        )

    def accept_referral(self, programme_id: str, enrolled_on: date, by: Provenance) -> None:
        """A direct enrolment: its open referral goes on the programme, or one is recorded, accepted."""
        open_id = self.open_referral(programme_id)
        if open_id is not None and self.referrals[open_id]["status"] in status.ACCEPTED_BY_ENROLMENT:
            self._move(open_id, status.ON_PROGRAMME, enrolled_on, ("enrolment", "direct_enrolment"), by)
            return
        referral_id, reason = f"enrol:{programme_id}:{enrolled_on.isoformat()}", ("direct_allocation", "enrol")
        self._record_referral(referral_id, programme_id, enrolled_on, status.ON_PROGRAMME, reason, by)

    def close_referral(self, programme_id: str, wanted: str, on: date, reason: tuple[str, str], by: Provenance) -> None:
        """The referral on this programme follows its enrolment's end (completed, released)."""
        on_programme = next(
            (
                rid
                for rid, r in self.referrals.items()
                if r["programme_id"] == programme_id and r["status"] == status.ON_PROGRAMME
            ),
            None,
        )
        if on_programme is not None:
            self._move(on_programme, wanted, on, reason, by)

    def offer_community_version(self, programme_id: str, after: str, on: date, by: Provenance) -> None:
        """On release from a custody programme: a referral to its community version, unless one is open."""
        if self.open_referral(programme_id) is not None or programme_id in self.enrolments:
            return
        reason = ("release", "community_version_offered")
        self._record_referral(f"release:{after}:{on.isoformat()}", programme_id, on, status.SUBMITTED, reason, by)

    # --- the waiting list ----------------------------------------------------

    def join_waiting_list(self, referral_id: str, on: date, by: Provenance) -> None:
        referral = self.referrals[referral_id]
        self.record(
            self.WaitingListJoined,
            by,
            start_of_day(on),
            programme_id=referral["programme_id"],
            referral_id=referral_id,
            referred_on=referral["referred_on"],
            joined_on=on,
        )

    def can_take_place(self, programme_id: str, setting: str, eligibility: dict[str, Any] | None = None) -> bool:
        """Eligible for a place offered now: where the programme runs, who it is for, and not already on it."""
        if programme_id in self.enrolments or not self.is_eligible(eligibility):
            return False
        return (setting == "custody" and self.facility is not None) or (
            setting == "community" and self.supervision is not None
        )

    def allocate(self, referral_id: str, setting: str, on: date, by: Provenance) -> None:
        """A place offered from the waiting list: allocated, the referral on the programme, the enrolment started."""
        programme_id = self.referrals[referral_id]["programme_id"]
        self.record(
            self.PlaceAllocated,
            by,
            start_of_day(on),
            programme_id=programme_id,
            referral_id=referral_id,
            allocated_on=on,
        )
        self._move(referral_id, status.ON_PROGRAMME, on, ("allocation", "place_allocated"), by)
        self.record(
            self.EnrolmentStarted, by, start_of_day(on), programme_id=programme_id, setting=setting, enrolled_on=on
        )

    def learn_sentence_end(self, sentence_end: date, by: Provenance, occurred_at: datetime) -> None:
        """From release: the sentence end, which sets the person's priority on waiting lists."""
        if sentence_end != self.sentence_end:
            self.record(self.SentenceEndLearned, by, occurred_at, sentence_end=sentence_end)
