"""`pathway feed SERVICE`: a service's public events as JSON lines, from a cursor on.

The command-line side of the HTTP feed (`GET /events`): one envelope per line on stdout, the same
JSON as the message body the relay publishes, and on stderr the cursor to pass as `--after` next
time. With `--all` it pages on until it reaches the store's head.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from typing import Any, TextIO

from pathway.services import SERVICES
from shared.messaging.feed import FeedQuery, public_events

# (args, service, local, remote) -> the answer: pathway.cli._answer
Answer = Callable[[argparse.Namespace, str, Callable[[Any], Any], Callable[[Any], Any]], Any]
Fetch = Callable[[FeedQuery], dict[str, Any]]


def add_feed_arguments(feed: argparse.ArgumentParser) -> None:
    feed.add_argument("service", choices=sorted(SERVICES))
    feed.add_argument("--after", default="0", help="the last notification id already seen (default 0: from the start)")
    feed.add_argument("--limit", default=None, help="notifications to read per page (default 100, at most 1000)")
    feed.add_argument("--types", default=None, help="only these types or binding patterns, comma-separated (release.#)")
    feed.add_argument("--all", action="store_true", help="page on until the store's head")


def cmd_feed(args: argparse.Namespace, out: TextIO, err: TextIO, answer: Answer) -> int:
    query = FeedQuery.parse(args.after, args.limit, args.types)  # refused here, before opening anything
    translate = SERVICES[args.service].translate

    def write(fetch: Fetch) -> dict[str, Any]:
        return _write_pages(fetch, query, args.all, out)

    last = answer(
        args,
        args.service,
        lambda app: write(lambda q: public_events(app, translate, q).as_dict()),
        lambda service: write(lambda q: service.public_events(q.after, q.limit, list(q.types) or None)),
    )
    print(f"next_after={last['next_after']} head={last['head']}", file=err)
    return 0


def _write_pages(fetch: Fetch, query: FeedQuery, until_head: bool, out: TextIO) -> dict[str, Any]:
    """Write one page (or every page up to the head) as JSON lines; return the last page."""
    while True:
        page = fetch(query)
        for envelope in page["events"]:
            out.write(json.dumps(envelope, separators=(",", ":"), ensure_ascii=False) + "\n")
        moved = page["next_after"] > query.after
        query = FeedQuery(page["next_after"], query.limit, query.types)
        if not (until_head and moved and page["next_after"] < page["head"]):
            return page
