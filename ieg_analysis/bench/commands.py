"""CLI: ``ieg bench``. ``register(subparsers)`` adds it (see ``cli.build_parser``)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..settings import Settings

QUICK_PASSAGES = 20_000


def register(subparsers) -> None:
    bench = subparsers.add_parser(
        "bench",
        help="measure ingest, classification, query latency, page renders and memory at scale",
        description="Generate a corpus with the sample generator, ingest and classify it into a "
        "temporary database (copied up to --passages when larger than --base-passages), then "
        "time every analytics query the pages use, render every page with AppTest, and answer "
        "the same questions with a pandas baseline whose answers must equal the product's. "
        "Prints a table and writes JSON with --output.",
    )
    bench.add_argument(
        "--passages", type=int, default=1_000_000, help="database size (default 1,000,000)"
    )
    bench.add_argument(
        "--base-passages",
        type=int,
        default=50_000,
        help="passages generated, ingested and classified for real; the database is made of "
        "copies of them up to --passages (default 50,000)",
    )
    bench.add_argument(
        "--quick",
        action="store_true",
        help=f"a CI smoke run: {QUICK_PASSAGES:,} passages from 2,000 real, 2 repeats",
    )
    bench.add_argument("--repeat", type=int, default=5, help="timed runs per query (5)")
    bench.add_argument(
        "--product-ingest-documents",
        type=int,
        default=60,
        help="documents also ingested into a scratch database, an upload-sized batch (60)",
    )
    bench.add_argument(
        "--page-repeat", type=int, default=2, help="cold and warm renders per page (2)"
    )
    bench.add_argument(
        "--reuse",
        action="store_true",
        help="with --keep: measure again on the database an earlier run built there",
    )
    bench.add_argument("--no-pages", action="store_true", help="skip the AppTest page renders")
    bench.add_argument("--output", type=Path, help="write the result as JSON to this file")
    bench.add_argument(
        "--keep", type=Path, help="work in this folder and keep the corpus and database"
    )
    bench.set_defaults(func=cmd_bench)


def cmd_bench(args: argparse.Namespace, settings: Settings, out) -> int:
    from .report import render
    from .run import BenchConfig, run_benchmark

    quick = args.quick
    config = BenchConfig(
        passages=QUICK_PASSAGES if quick else args.passages,
        base_passages=2_000 if quick else args.base_passages,
        product_ingest_documents=20 if quick else args.product_ingest_documents,
        repeat=2 if quick else args.repeat,
        page_repeat=1 if quick else args.page_repeat,
        pages=not args.no_pages,
        workdir=args.keep,
        reuse=args.reuse,
        model_dir=settings.model_dir,
    )
    if config.passages < 1 or config.base_passages < 1 or config.repeat < 1:
        print("--passages, --base-passages and --repeat must be at least 1.", file=sys.stderr)
        return 2
    if args.keep is None:
        import tempfile

        with tempfile.TemporaryDirectory(prefix="ieg-bench-") as folder:
            result = _run(config, Path(folder), run_benchmark)
    else:
        result = _run(config, args.keep, run_benchmark)
    print(render(result), file=out)
    if args.output:
        args.output.write_text(json.dumps(result, indent=1, default=str), encoding="utf-8")
        print(f"\nWrote {args.output}", file=out)
    return 0


def _run(config, workdir: Path, run_benchmark) -> dict:
    from dataclasses import replace

    def say(message: str) -> None:
        print(f"[bench] {message}", file=sys.stderr, flush=True)

    return run_benchmark(replace(config, workdir=workdir), say=say)
