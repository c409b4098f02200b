"""What the ReleaseCase's behaviour mixins may rely on: the case's state, its event classes, `record`.

The mixins (release dates, custody and release, supervision, follow-ups) hold behaviour only. The
event classes stay nested in `case.ReleaseCase`, where their stored topics were pinned, so the
mixins reach them through `self`. These declarations exist for the type checker alone: at run time
the ReleaseCase itself provides every one of them.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from services.release.domain.calculation import CustodyPeriod
    from shared.domain import Provenance


class CaseState:
    if TYPE_CHECKING:
        dates: dict[str, date] | None
        sentences: dict[str, dict[str, Any]]
        adjustments: dict[str, dict[str, Any]]
        decisions_seen: set[str]
        term_released_on: date | None
        remand_counted_from: date | None
        override: dict[str, Any] | None
        calculations: list[dict[str, Any]]
        custody_periods: list[CustodyPeriod]
        in_custody: bool
        last_release: dict[str, Any] | None
        supervision: dict[str, Any] | None
        supervisions: list[dict[str, Any]]
        supervisions_completed_on: list[date]
        releases: list[dict[str, Any]]
        releases_in_error: list[dict[str, Any]]
        followed_up: bool
        achievements: list[str]
        outcomes: dict[str, dict[str, Any]]

        ReleaseDatesCalculated: type[Any]
        CustodyStarted: type[Any]
        CustodyCancelled: type[Any]
        Released: type[Any]
        ReleaseRecordedInError: type[Any]
        SupervisionStarted: type[Any]
        SupervisionCompleted: type[Any]
        AchievementRecorded: type[Any]
        OutcomeRecorded: type[Any]
        OutcomeWithConvictionRecorded: type[Any]
        OutcomeForFollowUpRecorded: type[Any]

        def record(self, event_class: type[Any], by: Provenance, occurred_at: datetime, **data: Any) -> None: ...
