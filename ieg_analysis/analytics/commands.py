"""CLI: ``ieg match`` (needs and the offers that meet them; XLSX with --output),
``ieg evidence REF`` (the submission passages behind a recommendation) and ``ieg tracker``
(meetings, deadlines, on-time and late submissions, comments before the stock-taking).
Exit codes: 0 done, 2 input refused (no database, an unknown recommendation or meeting)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from ..argtypes import positive_int
from ..errors import InvalidValueError
from ..reference import REGION_SCHEMES, load_reference
from ..settings import Settings
from ..store.db import Database
from .filters import Filters, known_regions


def register(subparsers) -> None:
    match = subparsers.add_parser(
        "match",
        help="needs for capacity building with the offers that meet them, best first",
        description="For each need for capacity building a State expressed, the submitters "
        "that offer help on the same work-plan topic with overlapping vocabulary terms, "
        "ranked (shared topic, then term overlap, then same region, then same language); "
        "and the needs nobody offers to meet.",
    )
    _filter_options(match)
    match.add_argument(
        "--per-need", type=positive_int, default=3, help="offers listed per need (3)"
    )
    match.add_argument("--output", type=Path, help="write the matches to this XLSX file")
    match.set_defaults(func=cmd_match)

    evidence = subparsers.add_parser(
        "evidence",
        help="the submission passages most similar to a recommendation",
        description="The passages of written submissions and statements (up to the "
        "recommendation's meeting) most similar to a recommendation (BM25 on its words plus "
        "shared vocabulary terms), with their States and regions and the regions' shares.",
    )
    evidence.add_argument("recommendation", help="the recommendation as MEETING.NUMBER, e.g. 4.12")
    evidence.add_argument("--top", type=positive_int, default=10, help="how many passages (10)")
    evidence.add_argument(
        "--scheme", choices=list(REGION_SCHEMES), default="regional_group", help="region scheme"
    )
    evidence.set_defaults(func=cmd_evidence)

    tracker = subparsers.add_parser(
        "tracker",
        help="meetings, deadlines, on-time and late submissions, comments on recommendations",
        description="Per meeting its dates, topics and submission deadline (three weeks before "
        "the first day), written submissions on time and late per region, and for the "
        "stock-taking meeting the comments on each preliminary recommendation.",
    )
    _filter_options(tracker)
    tracker.set_defaults(func=cmd_tracker)


def _filter_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--meeting", type=int, action="append", help="a meeting (repeatable)")
    parser.add_argument("--region", action="append", help="a region (repeatable)")
    parser.add_argument(
        "--scheme", choices=list(REGION_SCHEMES), default="regional_group", help="region scheme"
    )


def _filters(args: argparse.Namespace) -> Filters:
    reference = load_reference()
    for number in args.meeting or ():
        reference.meeting(number)  # an unknown meeting: one sentence, exit 2
    regions = known_regions(reference, args.scheme)
    for region in args.region or ():
        if region not in regions:  # as export chart says it, not an empty result
            raise InvalidValueError(f"'{region}' is not a known region.")
    return Filters(
        meetings=tuple(args.meeting or ()),
        region_scheme=args.scheme,
        regions=tuple(args.region or ()),
    )


def _database(args: argparse.Namespace, settings: Settings) -> Database | None:
    settings = settings.with_db(args.db)
    db = Database(settings.db_path, timeout_s=settings.query_timeout_s)
    if not db.exists():
        print(f"There is no database at {db.path}; run 'ieg init --sample' first.", file=sys.stderr)
        return None
    return db


def _print(title: str, frame: pd.DataFrame, out) -> None:
    print(f"\n{title}", file=out)
    with pd.option_context("display.max_colwidth", 70, "display.width", 200):
        print(frame.to_string(index=False) if len(frame) else "(none)", file=out)


def cmd_match(args: argparse.Namespace, settings: Settings, out) -> int:
    from ..export.tables import to_xlsx_bytes
    from .matching import (
        matches_for_export,
        matching_totals,
        need_offer_matches,
        term_labels,
        unmet_needs,
    )
    from .overview import data_source

    if args.output:
        from ..export.commands import check_output, output_format

        output_format(args.output, ("xlsx",))  # refused before anything is computed
        check_output(args.output, create_folder=False)
    db = _database(args, settings)
    if db is None:
        return 2
    filters = _filters(args)
    totals = matching_totals(db, filters)
    print(
        f"{totals['needs']} need passages of {totals['need_states']} States: "
        f"{totals['matched']} with an offer, {totals['unmet']} nobody offers to meet; "
        f"{totals['providers']} submitters' offers match.",
        file=out,
    )
    matches = need_offer_matches(db, filters, per_need=args.per_need)
    topics = {t.id: t.label for t in load_reference().topics.values()}
    table = matches_for_export(matches, topic_labels=topics, term_labels=term_labels(db))
    _print(
        "Best offer of each need",
        table[table["Rank"] == 1][["State with the need", "Who offers", "Shared topics"]],
        out,
    )
    _print("Needs nobody offers to meet", unmet_needs(db, filters)[["state", "text"]], out)
    if args.output:
        source = data_source(db)
        about = {
            "what": "needs for capacity building and the offers that match them",
            "database": source.name,
            "contents": source.description,
            "data version": str(source.data_version),
            "filters": filters.describe(load_reference()),
        }
        args.output.write_bytes(to_xlsx_bytes(table, about, sheet="matches"))
        print(f"\nWrote {len(table)} matches to {args.output}.", file=out)
    return 0


def cmd_evidence(args: argparse.Namespace, settings: Settings, out) -> int:
    from .evidence import recommendation_by_reference, recommendation_evidence, region_shares

    db = _database(args, settings)
    if db is None:
        return 2
    found = recommendation_by_reference(db, args.recommendation)
    if found is None:
        print(
            f"There is no recommendation '{args.recommendation[:20]}'; give it as "
            "MEETING.NUMBER, e.g. 4.12.",
            file=sys.stderr,
        )
        return 2
    rec_id, text = found
    print(f"{args.recommendation}: {text}", file=out)
    evidence = recommendation_evidence(db, rec_id, Filters(region_scheme=args.scheme), top=args.top)
    _print(
        "Most similar submission passages",
        evidence[["rank", "similarity", "submitter", "region", "meeting", "text"]]
        .rename(columns={"similarity": "match score (0-1.5)"})
        .round(2),
        out,
    )
    _print("Regions among them", region_shares(evidence).round(2), out)
    return 0


def cmd_tracker(args: argparse.Namespace, settings: Settings, out) -> int:
    from .tracker import recommendation_comments_status, schedule, submissions_timeliness

    db = _database(args, settings)
    if db is None:
        return 2
    filters = _filters(args)
    meetings = schedule(db, meetings=filters.meetings)
    meetings["topics"] = meetings["topics"].map("; ".join)
    _print(
        "Meetings",
        meetings[
            [
                "meeting",
                "start_date",
                "submission_deadline",
                "written_submissions",
                "on_time",
                "late",
                "undated",
                "comments",
            ]
        ],
        out,
    )
    timely = submissions_timeliness(db, filters)
    timely["late_submitters"] = timely["late_submitters"].map(", ".join)
    _print(
        "Written submissions per region",
        timely[["meeting", "region", "submissions", "on_time", "late", "late_submitters"]],
        out,
    )
    comments = recommendation_comments_status(db)
    _print(
        "Comments on the preliminary recommendations (those with comments)",
        comments[comments["comments"] > 0][["reference", "outcome", "comments", "late"]],
        out,
    )
    return 0
