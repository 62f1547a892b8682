"""CLI: ``ieg review`` prints the review queue; ``ieg relabel PASSAGE`` records a correction
(or a confirmation) as the local operator, with an audit entry. Exit codes: 0 done, 2 input
refused (no database, an unknown passage or label, a held-out text)."""

from __future__ import annotations

import argparse
import sys
import textwrap

from ..argtypes import positive_int
from ..records import CAPACITY_LABELS, TOPIC_IDS
from ..settings import Settings
from ..store.db import Database
from .queue import MODES


def register(subparsers) -> None:
    queue = subparsers.add_parser(
        "review",
        help="list the passages to review first (least sure, or heading disagrees)",
        description="Print the review queue: passages the current model is least sure of "
        "(a topic score near its threshold, a close need/provision/none call) and those whose "
        "document heading names a topic the model did not give, least certain first.",
    )
    queue.add_argument("--mode", choices=list(MODES), default="review", help="which queue")
    queue.add_argument("--limit", type=positive_int, default=20, help="how many passages (20)")
    queue.add_argument(
        "--include-corrected", action="store_true", help="also passages already reviewed"
    )
    queue.set_defaults(func=cmd_review)

    relabel = subparsers.add_parser(
        "relabel",
        help="correct (or confirm) a passage's topic and capacity-building labels",
        description="Record a passage's labels as the local operator; the latest correction "
        "wins over the model on every page, count and export, and 'ieg train "
        "--with-corrections' trains on it. A held-out evaluation text is refused.",
    )
    relabel.add_argument("passage", type=int, help="the passage id (see 'ieg review')")
    relabel.add_argument(
        "--topics",
        default="",
        help=f"comma-separated topic ids, or empty for none ({', '.join(TOPIC_IDS)})",
    )
    relabel.add_argument("--capacity", choices=CAPACITY_LABELS, required=True)
    relabel.add_argument("--note", default="", help="why (kept in the audit log)")
    relabel.set_defaults(func=cmd_relabel)


def _database(args: argparse.Namespace, settings: Settings) -> Database | None:
    settings = settings.with_db(args.db)
    db = Database(settings.db_path, timeout_s=settings.query_timeout_s)
    if not db.exists():
        print(f"There is no database at {db.path}; run 'ieg init --sample' first.", file=sys.stderr)
        return None
    db.initialise()
    return db


def cmd_review(args: argparse.Namespace, settings: Settings, out) -> int:
    from .queue import review_queue

    db = _database(args, settings)
    if db is None:
        return 2
    queue = review_queue(
        db, mode=args.mode, include_corrected=args.include_corrected, limit=args.limit
    )
    if queue.empty:
        print("No passage waits for review in this queue.", file=out)
    for row in queue.itertuples(index=False):
        heading = f"; heading says {row.heading_topic}" if row.disagrees else ""
        print(
            f"passage {row.passage_id} ({row.language}; closest call: {row.closest_call}"
            f"{heading}): "
            f"topics {', '.join(row.topic_labels) or 'none'}; capacity {row.capacity_label}",
            file=out,
        )
        print(textwrap.indent(textwrap.shorten(row.text, 300), "    "), file=out)
    return 0


def cmd_relabel(args: argparse.Namespace, settings: Settings, out) -> int:
    from ..audit import local_operator
    from .corrections import correct_labels

    db = _database(args, settings)
    if db is None:
        return 2
    topics = [t.strip() for t in args.topics.split(",") if t.strip()]
    correct_labels(
        db,
        args.passage,
        topics=topics,
        capacity=args.capacity,
        user=local_operator(),
        note=args.note,
    )
    print(
        f"Passage {args.passage}: topics {', '.join(topics) or 'none'}, capacity "
        f"{args.capacity} (recorded as {local_operator()}).",
        file=out,
    )
    return 0
