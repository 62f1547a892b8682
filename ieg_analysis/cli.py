"""The command line: ``python -m ieg_analysis`` or ``ieg``.

Exit codes: 0 when everything asked for was done, 2 when any input was refused (each with a
one-sentence reason), 1 only for an internal fault.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from . import __version__
from .argtypes import positive_int, positive_number
from .errors import IEGError, OutputPathError
from .ingest.sniff import EXTENSIONS
from .records import KINDS, OBSERVER_TYPES
from .settings import Settings, load_settings
from .store.db import Database

EPILOG = (
    "The database is data/ieg.duckdb unless --db or the IEG_DB environment variable names "
    "another. Exit codes: 0 done, 2 some input refused, 1 internal fault."
)


def _progress_bar(total: int, label: str):
    from tqdm import tqdm

    bar = tqdm(
        total=total,
        desc=label,
        unit="file",
        file=sys.stderr,
        leave=False,
        disable=not sys.stderr.isatty() and os.environ.get("IEG_PROGRESS") != "1",
    )

    def update(done: int, _total: int, name: str) -> None:
        bar.update(done - bar.n)
        bar.set_postfix_str(name[-40:], refresh=False)
        if done >= _total:
            bar.close()

    return update


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ieg",
        description="IEG Analysis: store, ingest and analyse the submissions and "
        "recommendations of the UN Expert Group on Cybercrime.",
        epilog=EPILOG,
    )
    parser.add_argument("--version", action="version", version=f"ieg {__version__}")
    parser.add_argument("--db", help="the DuckDB file to use (default: $IEG_DB or data/ieg.duckdb)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    init = commands.add_parser(
        "init",
        help="create the database (with --sample: from the bundled illustrative sample)",
        description="Create the database with the reference tables. With --sample, generate "
        "the illustrative sample corpus, render it to PDF/DOCX/TXT files and ingest them.",
    )
    init.add_argument("--sample", action="store_true", help="load the illustrative sample")
    init.add_argument("--force", action="store_true", help="replace an existing database file")
    init.add_argument("--seed", type=int, default=2018, help="sample generator seed (2018)")
    init.add_argument(
        "--scale",
        type=positive_number,
        default=1.0,
        help="sample size as a multiple of the default corpus (1.0)",
    )

    ingest = commands.add_parser(
        "ingest",
        help="ingest files or folders (PDF, DOCX, TXT, MD, CSV, JSON), or a manifest",
        description="Ingest files (or every supported file in the given folders) with the "
        "metadata given as options, or a batch described by a manifest CSV with the columns "
        "path, meeting, submitter, kind and optionally received, actor_type, title. Each file "
        "is stored whole or not at all; a file already stored is skipped.",
        epilog=EPILOG,
    )
    ingest.add_argument("paths", nargs="*", type=Path, metavar="PATH")
    ingest.add_argument("--manifest", type=Path, help="a manifest CSV describing a batch")
    ingest.add_argument("--meeting", help="the meeting number, e.g. 5")
    ingest.add_argument("--submitter", help="a State (any UN name, alias or ISO3) or observer")
    ingest.add_argument("--kind", help=f"one of {', '.join(KINDS)}")
    ingest.add_argument("--received", help="date received, YYYY-MM-DD (not in the future)")
    ingest.add_argument(
        "--actor-type",
        choices=OBSERVER_TYPES,
        help="register the submitter as an observer of this type",
    )
    ingest.add_argument("--title", help="document title")

    commands.add_parser(
        "status",
        help="counts by meeting, kind and language; last ingest",
        description="Show what the database holds and where it came from.",
    )
    files = commands.add_parser(
        "sample-files",
        help="write sample documents as PDF/DOCX/TXT files with a manifest CSV (for demos)",
        description="Render documents of the illustrative sample corpus to real files in a "
        "folder, with manifest.csv describing them, ready for 'ieg ingest --manifest'.",
    )
    files.add_argument("directory", type=Path, metavar="DIR")
    files.add_argument("--limit", type=positive_int, default=40, help="how many documents (40)")
    files.add_argument("--seed", type=int, default=2018, help="sample generator seed (2018)")
    commands.add_parser(
        "classify",
        help="classify the passages and recommendations the current model has not classified",
        description="Run the topic and capacity-building classifiers over every passage and "
        "recommendation not yet classified by the current model version, and store scores, "
        "labels, matched terms and country mentions with that version.",
    )
    from .bench.commands import register as register_bench
    from .nlp.commands import register as register_nlp

    register_nlp(commands)
    register_bench(commands)
    from .export.commands import register as register_export

    register_export(commands)
    from .consolidation.commands import register as register_consolidation

    register_consolidation(commands)
    from .analytics.commands import register as register_analytics

    register_analytics(commands)
    from .review.commands import register as register_review

    register_review(commands)
    return parser


def _database(args: argparse.Namespace, settings: Settings) -> Database:
    settings = settings.with_db(args.db)
    return Database(
        settings.db_path, timeout_s=settings.query_timeout_s, row_cap=settings.query_row_cap
    )


def cmd_init(args: argparse.Namespace, settings: Settings, out) -> int:
    from .sample.database import create_database

    db = _database(args, settings)
    if db.exists() and not args.force:
        print(f"{db.path} already exists; use --force to replace it.", file=sys.stderr)
        return 2
    if db.path.is_dir():
        print(f"Cannot create the database {db.path}: it is a folder.", file=sys.stderr)
        return 2
    started = time.perf_counter()
    progress = _progress_bar(0, "ingesting sample") if args.sample else None
    try:
        summary = create_database(
            db.path,
            settings.with_db(db.path),
            sample=args.sample,
            seed=args.seed,
            scale=args.scale,
            progress=progress,
        )
    except OSError as error:  # a folder that cannot hold it (missing, read-only, /proc...)
        reason = (error.strerror or str(error)).lower()
        problem = _path_problem(error) or f"Cannot create the database {db.path}: {reason}."
        print(problem, file=sys.stderr)
        return 2
    elapsed = time.perf_counter() - started
    print(f"Created {db.path} in {elapsed:.1f} s. {summary}", file=out)
    return 0


def _expand(paths: list[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in EXTENSIONS
            )
        else:
            files.append(path)
    return files


def cmd_ingest(args: argparse.Namespace, settings: Settings, out) -> int:
    from .ingest.pipeline import IngestRequest, ingest, read_manifest

    db = _database(args, settings)
    if args.manifest:
        if args.paths:
            print("Give either files or --manifest, not both.", file=sys.stderr)
            return 2
        requests = read_manifest(args.manifest)
    else:
        missing = [
            flag
            for flag, value in (
                ("--meeting", args.meeting),
                ("--submitter", args.submitter),
                ("--kind", args.kind),
            )
            if not value
        ]
        if not args.paths:
            print("Name at least one file or folder, or a --manifest.", file=sys.stderr)
            return 2
        if missing:
            print(f"Without a manifest, {', '.join(missing)} must be given.", file=sys.stderr)
            return 2
        files = _expand(args.paths)
        if not files:
            print("The folders given hold no supported files.", file=sys.stderr)
            return 2
        requests = [
            IngestRequest(
                name=str(path),
                path=path,
                meeting=args.meeting,
                submitter=args.submitter,
                kind=args.kind,
                received=args.received,
                actor_type=args.actor_type,
                title=args.title,
            )
            for path in files
        ]
    report = ingest(
        db,
        requests,
        settings=settings.with_db(db.path),
        progress=_progress_bar(len(requests), "ingesting"),
    )
    for outcome in report.outcomes:
        print(f"{outcome.status:8} {outcome.name}: {outcome.message}", file=out)
    print(report.summary(), file=out)
    return report.exit_code


def cmd_status(args: argparse.Namespace, settings: Settings, out) -> int:
    from .analytics.overview import status_tables

    db = _database(args, settings)
    if not db.exists():
        print(f"There is no database at {db.path}; run 'ieg init --sample' first.", file=sys.stderr)
        return 2
    for title, frame in status_tables(db):
        print(f"\n{title}", file=out)
        print(frame.to_string(index=False) if len(frame) else "(none)", file=out)
    return 0


def cmd_classify(args: argparse.Namespace, settings: Settings, out) -> int:
    from .nlp.apply import classify_store
    from .nlp.classifier import Classifier

    db = _database(args, settings)
    if not db.exists():
        print(f"There is no database at {db.path}; run 'ieg init --sample' first.", file=sys.stderr)
        return 2
    db.initialise()
    started = time.perf_counter()
    classifier = Classifier.load(settings.model_dir)
    report = classify_store(
        db, classifier, model_dir=settings.model_dir, progress=_progress_bar(0, "classifying")
    )
    elapsed = time.perf_counter() - started
    rate = report.passages / elapsed if elapsed else 0.0
    print(
        f"Model {report.version}: classified {report.passages:,} passages "
        f"({report.unclassified:,} left unclassified for their language) and "
        f"{report.recommendations:,} recommendations in {elapsed:.1f} s "
        f"({rate:,.0f} passages/s).",
        file=out,
    )
    return 0


def cmd_sample_files(args: argparse.Namespace, settings: Settings, out) -> int:
    from .sample.build import write_sample_files

    manifest = write_sample_files(args.directory, limit=args.limit, seed=args.seed)
    print(f"Wrote {args.limit} illustrative sample documents and {manifest}.", file=out)
    return 0


COMMANDS = {
    "init": cmd_init,
    "ingest": cmd_ingest,
    "status": cmd_status,
    "classify": cmd_classify,
    "sample-files": cmd_sample_files,
}


def _path_problem(error: Exception) -> str | None:
    """One sentence for a file or folder path that cannot be used (an output in a missing
    folder or on a folder, a folder that is a file, no permission); ``None`` for anything
    else, an internal fault (a missing file whose folder exists, e.g. data of the product)."""
    if not isinstance(error, OSError) or not error.filename:
        return None
    path = Path(os.fsdecode(error.filename))
    if isinstance(error, FileNotFoundError):
        if path.parent.is_dir():
            return None
        return str(OutputPathError("no_folder", path))
    problems = {
        IsADirectoryError: "is_folder",
        NotADirectoryError: "file_in_path",
        FileExistsError: "file_as_folder",
        PermissionError: "no_permission",
    }
    for kind, problem in problems.items():
        if isinstance(error, kind):
            return str(OutputPathError(problem, path))
    return None


def main(argv: list[str] | None = None, *, out=None) -> int:
    out = out or sys.stdout
    args = build_parser().parse_args(argv)
    try:
        handler = COMMANDS.get(args.command) or args.func
        return handler(args, load_settings(), out)
    except IEGError as error:
        print(str(error), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("Interrupted; whatever was being stored was rolled back.", file=sys.stderr)
        return 1
    except BrokenPipeError:  # the reader went away (e.g. `ieg status | head`): not a fault
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as error:  # an internal fault: say so in one line, keep the detail
        problem = _path_problem(error)
        if problem is not None:  # unless a path given cannot be used
            print(problem, file=sys.stderr)
            return 2
        print(
            f"Internal error ({type(error).__name__}: {error}). Please report it.", file=sys.stderr
        )
        if os.environ.get("IEG_DEBUG"):
            raise
        return 1
