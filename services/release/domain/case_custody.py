"""A person's custody and release: admissions learned from intake, releases, and releases recorded in error."""

from __future__ import annotations

from datetime import date, datetime

from services.release.domain.case_supervision import PAROLE_LICENCE, Supervision
from services.release.domain.errors import (
    ConditionalReleaseError,
    NoSuchReleaseError,
    NotInCustodyError,
    ReleaseCorrectionError,
)
from shared.domain import Provenance, start_of_day


class CustodyAndRelease(Supervision):
    """Builds on supervision because a release on licence starts one, and its correction cancels it."""

    # --- reactions to intake ---------------------------------------------

    def custody_cancelled(self, admitted_on: date, by: Provenance, occurred_at: datetime) -> None:
        if any(period.start == admitted_on for period in self.custody_periods):
            self.record(self.CustodyCancelled, by, occurred_at, admitted_on=admitted_on)

    def custody_started(self, facility: str, by: Provenance, occurred_at: datetime) -> None:
        """Custody from the day of `occurred_at` (the admission's time, in its own offset)."""
        self.record(self.CustodyStarted, by, occurred_at, facility=facility)

    # --- commands ---------------------------------------------------------

    def release(self, released_on: date, release_type: str, by: Provenance) -> None:
        if {"released_on": released_on, "release_type": release_type} in self.releases:
            return  # this release is already recorded
        if not self.in_custody:
            raise NotInCustodyError("release refused: the person is not in custody")
        if release_type == "conditional_release":
            self.check_conditional_release(released_on)
        occurred_at = start_of_day(released_on)
        self.record(self.Released, by, occurred_at, released_on=released_on, release_type=release_type)
        if self.starts_licence(released_on, release_type):
            assert self.dates is not None  # checked in starts_licence
            self.start_supervision_until(PAROLE_LICENCE, released_on, self.dates["sentence_end"], None, by, occurred_at)

    def starts_licence(self, released_on: date, release_type: str) -> bool:
        """A conditional release, or a parole before the sentence end (issue 6), is on licence to the sentence end.

        Parole is the parole board's decision: not held to the conditional-release eligibility, and with no
        calculated dates (or on or after the sentence end) there is no licence to serve.
        """
        if release_type == "conditional_release":
            return True
        return release_type == "parole" and self.dates is not None and released_on < self.dates["sentence_end"]

    def record_release_in_error(self, released_on: date, reason: str, by: Provenance, occurred_at: datetime) -> None:
        """Correct the person's latest release; a parole licence it started is cancelled with it."""
        latest = self.last_release is not None and self.last_release["released_on"] == released_on
        if not latest and any(release["released_on"] == released_on for release in self.releases_in_error):
            return  # this correction is already recorded
        self.check_latest_release(released_on)
        assert self.last_release is not None  # checked above
        supervision = self.supervision
        cancelled = (
            supervision is not None
            and supervision["type"] == PAROLE_LICENCE
            and supervision["started_on"] == released_on
        )
        self.record(
            self.ReleaseRecordedInError,
            by,
            occurred_at,
            released_on=released_on,
            release_type=self.last_release["release_type"],
            reason=reason,
            supervision_cancelled=cancelled,
        )

    def check_latest_release(self, released_on: date) -> None:
        if self.last_release is None or self.last_release["released_on"] != released_on:
            raise NoSuchReleaseError("correction refused: the person's latest release was not recorded on released_on")
        if self.in_custody:
            raise ReleaseCorrectionError("correction refused: the person has been admitted again since that release")

    def check_conditional_release(self, released_on: date) -> None:
        if self.dates is None:
            raise ConditionalReleaseError(
                "conditional release refused: no custodial sentence with calculated release dates"
            )
        eligible = self.dates["conditional_release_eligibility"]
        if released_on < eligible:
            raise ConditionalReleaseError(f"conditional release refused: eligible from {eligible.isoformat()}")
        if released_on >= self.dates["sentence_end"]:
            raise ConditionalReleaseError(
                f"conditional release refused: the sentence ends {self.dates['sentence_end'].isoformat()}; "
                "record sentence_served"
            )
