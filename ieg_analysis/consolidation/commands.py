"""CLI: ``ieg consolidate``: print the clusters of recommendations and write the consolidated
draft list (DOCX); with ``--evaluate``, precision and recall of "same cluster" on the
labelled pairs instead. Exit codes: 0 done, 2 input refused (no database, a bad pairs file,
a threshold out of range)."""

from __future__ import annotations

import argparse
import sys
import textwrap
from pathlib import Path

from ..settings import Settings
from ..store.db import Database
from .clustering import DEFAULT_THRESHOLD, MIN_PAIR_SIMILARITY


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "consolidate",
        help="cluster the recommendations for the stock-taking meeting; write the draft DOCX",
        description="Group the recommendations of all meetings (withdrawn ones left out) that "
        "say the same or overlapping things, by lexical similarity of their lemmas and shared "
        "vocabulary terms, with the Secretariat's decisions applied; print each cluster with "
        "its members, meetings, similarity and suggested wording, and write the consolidated "
        "draft list grouped by topic. With --evaluate, measure the clustering on the labelled "
        "pairs of data/evaluation/recommendation_pairs.jsonl instead.",
    )
    parser.add_argument(
        "--threshold",
        type=float,
        default=None,
        help=f"minimum mean similarity within a cluster, 0 to 1 (default {DEFAULT_THRESHOLD}, "
        "chosen on the tuning half of the labelled pairs); whatever the threshold, no cluster "
        f"holds a pair less similar than {MIN_PAIR_SIMILARITY}",
    )
    parser.add_argument("--output", type=Path, help="write the consolidated draft list here")
    parser.add_argument(
        "--evaluate",
        action="store_true",
        help="report precision and recall of 'same cluster' on the labelled pairs",
    )
    parser.add_argument("--pairs", type=Path, help="the labelled pairs (JSON lines)")
    parser.set_defaults(func=cmd_consolidate)


def cmd_consolidate(args: argparse.Namespace, settings: Settings, out) -> int:
    threshold = args.threshold
    if threshold is not None and not 0.0 < threshold <= 1.0:
        print("The threshold must be above 0 and at most 1.", file=sys.stderr)
        return 2
    if args.evaluate:
        return _evaluate(args, threshold, out)
    from ..export.commands import check_output, output_format
    from ..export.consolidated import consolidated_draft
    from .service import consolidate

    if args.output:
        output_format(args.output, ("docx",))  # refused before anything is computed
        check_output(args.output)
    settings = settings.with_db(args.db)
    db = Database(settings.db_path, timeout_s=settings.query_timeout_s)
    if not db.exists():
        print(f"There is no database at {db.path}; run 'ieg init --sample' first.", file=sys.stderr)
        return 2
    db.initialise()
    threshold = DEFAULT_THRESHOLD if threshold is None else threshold
    result = consolidate(db, threshold)
    clustered = int(result.clusters["size"].sum()) if len(result.clusters) else 0
    print(
        f"{result.recommendations} recommendations (withdrawn ones left out): "
        f"{len(result.clusters)} clusters of {clustered} recommendations, "
        f"{result.singletons} standing alone (threshold {threshold:.2f}).",
        file=out,
    )
    for row in result.clusters.itertuples(index=False):
        print(
            f"\nCluster {row.cluster} ({row.state}): {row.size} recommendations, meetings "
            f"{row.meetings}, {row.topics}; similarity mean {row.mean_similarity:.2f}, "
            f"min {row.min_similarity:.2f}",
            file=out,
        )
        for member in result.members_of(row.cluster).itertuples(index=False):
            mark = "*" if member.is_representative else " "
            status = member.status + (f" into {member.merged_into}" if member.merged_into else "")
            text = textwrap.shorten(member.text, width=120, placeholder=" …")
            print(f"  {mark} {member.reference:>6} [{status}] {text}", file=out)
        if row.left_out:
            print(f"  Not named in the wording (*): {row.left_out}", file=out)
    if args.output:
        data, count = consolidated_draft(db, threshold)
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_bytes(data)
        print(f"\nWrote {args.output}: {count} consolidated recommendations by topic.", file=out)
    return 0


def _evaluate(args: argparse.Namespace, threshold: float | None, out) -> int:
    from .evaluation import PAIRS_PATH, evaluate

    report = evaluate(args.pairs or PAIRS_PATH, threshold=threshold)
    chosen = "given" if threshold is not None else "chosen on the tuning half (best F1)"
    print(
        f"Threshold {report.threshold:.3f} ({chosen}).\n"
        f"Tuning half ({report.tune_pairs} pairs): precision {report.tune.precision:.3f}, "
        f"recall {report.tune.recall:.3f}, F1 {report.tune.f1:.3f}.\n"
        f"Test half ({report.test_pairs} pairs): precision {report.test.precision:.3f}, "
        f"recall {report.test.recall:.3f}, F1 {report.test.f1:.3f} "
        f"(TP {report.test.true_positive}, FP {report.test.false_positive}, "
        f"FN {report.test.false_negative}, TN {report.test.true_negative}).",
        file=out,
    )
    print("\nTest half, right per kind of pair:", file=out)
    for kind, (right, total) in report.by_kind.items():
        print(f"  {kind:18} {right}/{total}", file=out)
    print("\nTuning sweep (threshold, precision, recall, F1):", file=out)
    for s in report.sweep:
        print(f"  {s.threshold:.3f}  {s.precision:.3f}  {s.recall:.3f}  {s.f1:.3f}", file=out)
    return 0
