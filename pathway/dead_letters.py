"""`pathway dead-letters list|replay|discard SERVICE`: what a service's consumer set aside, and what to do with it.

- list: the messages set aside, by subject, with the reason (identifiers only, no payload);
- replay: apply them again after a fix, each subject's in order, stopping at one that still fails;
- discard ID --reason TEXT: set one aside for good (a message that can never apply), then let the
  subject's held messages flow in their order. The operator and the reason are recorded in the store
  and shown in the person's replay.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from typing import Any, TextIO

from pathway.services import SERVICES
from shared.errors import FieldProblem, InvalidInput
from shared.messaging.consumer import Operator
from shared.reader import local_user

REASON_LIMIT = 500


def add_dead_letter_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", choices=["list", "replay", "discard"])
    parser.add_argument("service", choices=sorted(SERVICES))
    parser.add_argument("id", nargs="?", help="discard: the dead letter's event_id, as `list` shows it")
    parser.add_argument("--reason", help="discard: why it is set aside for good (recorded; no personal data)")
    parser.add_argument(
        "--operator", help="who replays or discards, as recorded (default: $PATHWAY_READER, else os:USER)"
    )
    parser.add_argument("--agency", default="pathway", help="the agency the operator acts for (default: pathway)")


def operator_of(args: argparse.Namespace) -> Operator:
    return Operator(id=(args.operator or "").strip() or local_user(), agency=args.agency)


def discard_request(args: argparse.Namespace) -> tuple[str, str]:
    problems = []
    if not args.id:
        problems.append(FieldProblem("ID", "required: the event_id of the dead letter to discard"))
    reason = (args.reason or "").strip()
    if not reason:
        problems.append(FieldProblem("--reason", "required: why the message is set aside for good"))
    elif len(reason) > REASON_LIMIT:
        problems.append(FieldProblem("--reason", f"at most {REASON_LIMIT} characters"))
    if problems:
        raise InvalidInput(problems)
    return str(args.id), reason


def cmd_dead_letters(
    args: argparse.Namespace, out: TextIO, embedded: Callable[[], Any], remote: Callable[[str], Any]
) -> int:
    if args.action != "discard" and args.id:
        raise InvalidInput([FieldProblem("ID", f"only `discard` takes an ID, not `{args.action}`")])
    discarding = discard_request(args) if args.action == "discard" else None
    operator = operator_of(args)
    if args.amqp_uri:
        with remote(args.amqp_uri) as system:
            service = system.service(args.service)
            if args.action == "list":
                out.write(json.dumps(service.dead_letters(), indent=2) + "\n")
                return 0
            if discarding is not None:
                outcome = service.discard_dead_letter(*discarding, operator.as_dict())
            else:
                outcome = service.replay_dead_letters(operator.as_dict())
            system.settle()
    else:
        with embedded() as system:
            consumer = system.consumers[args.service]
            if args.action == "list":
                out.write(json.dumps([letter.as_dict() for letter in consumer.dead_letters()], indent=2) + "\n")
                return 0
            if discarding is not None:
                report = consumer.discard(*discarding, operator)
            else:
                report = consumer.replay_dead_letters(operator)
            system.settle(everything=True)
            outcome = report.as_dict()
    if discarding is not None:
        print(f"{args.service}: discarded {discarding[0]}; {outcome['applied']} held messages applied, "
              f"{outcome['still_failing']} still set aside", file=out)  # fmt: skip
    else:
        print(f"{args.service}: {outcome['applied']} dead letters applied, {outcome['still_failing']} still failing",
              file=out)  # fmt: skip
    return 0 if outcome["still_failing"] == 0 else 1
