"""A query about one person, asked of one service: locally from its store, or over RPC with --amqp-uri."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from pathway.reads import reader_of
from pathway.replay import parse_person, resolve_in_store
from shared.errors import FieldProblem, InvalidInput
from shared.eventstore.read_log import read_recorded


def ask_about_person(
    args: argparse.Namespace,
    local: Callable[[str], Any],
    remote: Callable[[str], Any],
    service: str,
    query: str,
    key: str,
) -> Any:
    """`query` is both the application's method and the service's RPC; the RPC reply carries the answer under
    `key`, or the refusal (raised here as the error it was). A read of the person's case: the service records it
    in its read log (as `query`, dashed) before it answers."""
    if not args.person:
        raise InvalidInput([FieldProblem("PERSON", "give a person id or a national identifier as issuer:value")])
    reference = parse_person(args.person)
    reader = reader_of(args)
    if args.amqp_uri:
        with remote(args.amqp_uri) as system:
            reply = getattr(system.service(service), query)(str(system.resolve(reference)), **reader.as_rpc())
            if key not in reply:
                from shared.nameko_edge import raise_reply  # nameko: only when talking to the services

                raise_reply(reply)
            return reply[key]
    app = local(service)
    try:
        person_id = resolve_in_store(app, reference)
        what = query.replace("_", "-")
        return read_recorded(app, person_id, reader, what, "store", lambda: getattr(app, query)(person_id))
    finally:
        app.close()
