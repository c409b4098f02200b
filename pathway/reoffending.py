"""`pathway report reoffending`: reoffending within 12 and 24 months, from the three services' public events.

The read model folds every public event of the three stores from the first (rebuilt for each
report), so it needs all three: it lives in the composition. Rules (issue 6):

- each person counts once per window, from their first release from custody (custodial) or, if
  never in custody, the start of their first court-ordered measure (non-custodial; a pre-trial
  supervision is no sentence and does not start one);
- the window is the N calendar months after that start (start < day <= start + N months, a month
  end clamped: 31 January + 1 month is 28 or 29 February); a person counts in it once it has ended
  on or before the report's date;
- they reoffended in it when a new conviction falls inside it: a sentencing decision (custodial
  sentence or non-custodial measure) recorded by intake with its `decided_on` in the window, or a
  follow-up recording `new_conviction` with its `new_conviction_on` in the window;
- completers completed at least one programme on or before the window's end, non-completers are
  everyone else; a rate is null where nobody counts.
"""

from __future__ import annotations

import argparse
import calendar
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TextIO
from uuid import UUID

from shared.contracts.base import PublicEvent
from shared.eventstore.application import PathwayApplication
from shared.eventstore.reading import all_events
from shared.messaging.translation import Translator

WINDOWS = (12, 24)
GROUPS = ("programme_completers", "non_completers", "custodial", "non_custodial")
SENTENCES = ("custodial_sentence", "non_custodial_measure")


def add_months(day: date, months: int) -> date:
    year, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def public_events(app: PathwayApplication, translate: Translator) -> Iterator[PublicEvent]:
    """Every public event of a store, in its own order."""
    for event in all_events(app):
        translation = translate(event)
        if translation is not None:
            yield translation.event


@dataclass
class Person:
    admitted: bool = False
    releases: list[date] = field(default_factory=list)  # releases from custody, less those recorded in error
    first_measure: date | None = None
    convictions: list[date] = field(default_factory=list)
    completions: list[date] = field(default_factory=list)

    def start(self) -> tuple[date, bool] | None:
        """When the person's window starts, and whether it is custodial."""
        if self.releases:
            return min(self.releases), True
        if not self.admitted and self.first_measure is not None:
            return self.first_measure, False
        return None


class Reoffending:
    def __init__(self) -> None:
        self.people: dict[UUID, Person] = {}

    def apply(self, event: PublicEvent) -> None:
        data: Any = event
        person = self.people.setdefault(data.person_id, Person()) if hasattr(data, "person_id") else None
        if person is None:
            return
        if event.type == "intake.person.admitted":
            person.admitted = True
        elif event.type == "release.person.released":
            person.releases.append(data.released_on)
        elif event.type == "release.release.recorded-in-error" and data.released_on in person.releases:
            person.releases.remove(data.released_on)
        elif (
            event.type == "release.supervision.started"
            and data.decision_id
            and data.supervision_type != ("pretrial_supervision")
        ):
            person.first_measure = min(filter(None, (person.first_measure, data.started_on)))
        elif event.type == "intake.court-decision.recorded" and data.kind in SENTENCES:
            person.convictions.append(data.decided_on)
        elif event.type == "release.outcome.recorded" and data.new_conviction and data.new_conviction_on:
            person.convictions.append(data.new_conviction_on)
        elif event.type == "programmes.programme.completed":
            person.completions.append(data.completed_on)

    def report(self, on: date) -> dict[str, dict[str, dict[str, Any]]]:
        result: dict[str, dict[str, dict[str, Any]]] = {}
        for months in WINDOWS:
            counts = {group: [0, 0] for group in GROUPS}  # people, reoffended
            for person in self.people.values():
                start = person.start()
                if start is None:
                    continue
                begins, custodial = start
                ends = add_months(begins, months)
                if ends > on:
                    continue
                reoffended = any(begins < day <= ends for day in person.convictions)
                completer = any(day <= ends for day in person.completions)
                for group in (
                    "programme_completers" if completer else "non_completers",
                    "custodial" if custodial else "non_custodial",
                ):
                    counts[group][0] += 1
                    counts[group][1] += int(reoffended)
            result[str(months)] = {
                group: {"people": people, "reoffended": hit, "rate": hit / people if people else None}
                for group, (people, hit) in counts.items()
            }
        return result


def reoffending_from(apps: dict[str, PathwayApplication], translators: dict[str, Translator]) -> Reoffending:
    model = Reoffending()
    for name, app in apps.items():
        for event in public_events(app, translators[name]):
            model.apply(event)
    return model


def reoffending_table(result: dict[str, dict[str, dict[str, Any]]], on: str) -> str:
    lines = [f"Reoffending, windows ended on or before {on}", f"{'window':<8} {'group':<22} {'people':>6} "
             f"{'reoffended':>10} {'rate':>6}"]  # fmt: skip
    for window, groups in result.items():
        for group, g in groups.items():
            rate = "-" if g["rate"] is None else f"{g['rate']:.0%}"
            lines.append(f"{window + ' mo':<8} {group:<22} {g['people']:>6} {g['reoffended']:>10} {rate:>6}")
    return "\n".join(lines) + "\n"


def cmd_report_reoffending(args: argparse.Namespace, out: TextIO, data: Any) -> int:
    """From the local stores in `data` (checked by the caller), whatever AMQP_URI says; DATE defaults to today."""
    from pathway.services import SERVICES
    from shared.eventstore.settings import sqlite_env

    on = args.on or date.today()
    apps = {name: parts.build(sqlite_env(name, data)) for name, parts in SERVICES.items()}
    try:
        result = reoffending_from(apps, {name: parts.translate for name, parts in SERVICES.items()}).report(on)
    finally:
        for app in apps.values():
            app.close()
    out.write(
        json.dumps(result, indent=2) + "\n" if args.format == "json" else reoffending_table(result, on.isoformat())
    )
    return 0
