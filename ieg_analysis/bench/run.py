"""The benchmark, stage by stage: corpus, ingestion, classification, scale-up, analytics
latency, page renders, the pandas baseline. Returns one JSON-ready dict."""

from __future__ import annotations

import json
import math
import os
import platform
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from ..errors import IEGError
from ..settings import REPO_ROOT, Settings
from ..store.db import Database
from ..store.writer import Writer
from . import baseline, queries
from .compare import assert_same
from .corpus import write_corpus
from .kept import KeptConnection
from .load import classify, ingest_product
from .measure import Stopwatch, peak_memory_mb, timed
from .replicate import replicate
from .targets import evaluate

Say = Callable[[str], None]


@dataclass(frozen=True)
class BenchConfig:
    passages: int = 1_000_000
    base_passages: int = 50_000  # generated, ingested and classified for real
    product_ingest_documents: int = 60  # ingested through pipeline.ingest as it is
    repeat: int = 5
    warmup: int = 1
    page_repeat: int = 2
    pages: bool = True
    workdir: Path | None = None
    reuse: bool = False  # measure again on the database a kept run built (``build.json``)
    model_dir: Path = REPO_ROOT / "models"
    seed: int = 2018


def _machine() -> dict:
    memory_gb = None
    try:
        pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        memory_gb = round(pages / 1024**3, 1)
    except (ValueError, OSError, AttributeError):
        pass
    return {
        "cpus": os.cpu_count(),
        "memory_gb": memory_gb,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def _file_mb(path: Path) -> float:
    wal = Path(str(path) + ".wal")
    size = path.stat().st_size + (wal.stat().st_size if wal.exists() else 0)
    return round(size / 1_048_576, 1)


def run_benchmark(config: BenchConfig, *, say: Say = lambda _: None) -> dict:
    workdir = config.workdir or Path(tempfile.mkdtemp(prefix="ieg-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    result: dict = {"config": {**asdict(config)}, "machine": _machine()}
    result["config"]["workdir"] = str(workdir)
    result["config"]["model_dir"] = str(config.model_dir)

    path = workdir / "bench.duckdb"
    saved = workdir / "build.json"
    if config.reuse and saved.is_file() and path.is_file():
        say(f"Reusing the database built earlier in {workdir}")
        result.update(json.loads(saved.read_text(encoding="utf-8")))
        db = Database(path)
        db.initialise()  # migrations added since the build
        with Writer(db) as writer:  # and the search tables they add (e.g. search_word)
            writer.update_search_index()
    else:
        db = _build(config, workdir, path, result, say)
        build = {k: result[k] for k in ("corpus", "ingest", "classify", "database")}
        saved.write_text(json.dumps(build, indent=1), encoding="utf-8")

    # 4. analytics latency
    args = queries.pick_arguments(db)
    result["arguments"] = asdict(args)
    latency, answers = {}, {}
    kept = KeptConnection(path)
    try:
        for query in queries.catalogue(args):
            say(f"Timing {query.name}")
            try:
                timing, answer = timed(
                    lambda q=query: q.call(db), repeat=config.repeat, warmup=config.warmup
                )
                kept_timing, _ = timed(
                    lambda q=query: q.call(kept), repeat=config.repeat, warmup=config.warmup
                )
            except IEGError as error:  # e.g. the gateway's time limit: a missed target
                latency[query.name] = {"page": query.page, "error": str(error)}
                continue
            answers[query.name] = answer
            latency[query.name] = {
                "page": query.page,
                **timing.as_dict(),
                "rows": queries.result_rows(answer),
                "kept_connection": kept_timing.as_dict(),
            }
    finally:
        kept.close()
    result["queries"] = latency
    result["memory"] = {"product": peak_memory_mb()}
    (workdir / "queries.json").write_text(json.dumps(latency, indent=1), encoding="utf-8")

    # 5. page renders, in a child process (the package never imports Streamlit)
    if config.pages:
        say("Rendering every page with AppTest")
        result["pages"] = _pages(path, args.document_id, config.page_repeat)
        result["memory"]["pages"] = {"self_mb": result["pages"].get("peak_rss_mb")}

    # 6. the pandas baseline
    say("Loading the tables into pandas for the baseline")
    result["baseline"] = _baseline(db, args, answers, config)
    result["memory"]["with_baseline"] = peak_memory_mb()
    result["targets"] = evaluate(result)
    return result


def _build(config: BenchConfig, workdir: Path, path: Path, result: dict, say: Say) -> Database:
    """Corpus, ingestion, classification, copies up to the size, search index."""
    base = min(config.passages, config.base_passages)
    say(f"Generating about {base:,} passages as TXT files in {workdir / 'corpus'}")
    with Stopwatch() as watch:
        corpus = write_corpus(workdir / "corpus", base, seed=config.seed)
    result["corpus"] = {
        "documents": len(corpus.documents),
        "paragraphs": corpus.paragraphs,
        "generator_scale": round(corpus.scale, 3),
        "megabytes": round(corpus.bytes_written / 1_048_576, 1),
        "seconds": round(watch.seconds, 2),
    }

    # 1. ingestion: the product's pipeline (pipeline.ingest, as ``ieg ingest`` runs it) on the
    # whole corpus, and on a small slice into a scratch database (a batch the size of an upload)
    ingestion: dict = {}
    if config.product_ingest_documents:
        slice_ = corpus.documents[: config.product_ingest_documents]
        scratch = workdir / "product-ingest.duckdb"
        for leftover in (scratch, Path(str(scratch) + ".wal")):
            leftover.unlink(missing_ok=True)
        say(f"Ingesting {len(slice_)} documents through pipeline.ingest into a scratch database")
        timing = ingest_product(Database(scratch), slice_, Settings(scratch, config.model_dir))
        ingestion["slice"] = timing.as_dict()
    for leftover in (path, Path(str(path) + ".wal")):
        leftover.unlink(missing_ok=True)
    db = Database(path)
    settings = Settings(db_path=path, model_dir=config.model_dir)
    say(f"Ingesting {len(corpus.documents):,} documents through pipeline.ingest")
    ingestion["product"] = ingest_product(db, corpus.documents, settings).as_dict()
    structured = ingest_product(db, corpus.structured, settings)
    ingestion["structured_files"] = structured.as_dict()
    result["ingest"] = ingestion

    # 2. classification
    say("Classifying (classify_store)")
    result["classify"] = classify(db, config.model_dir).as_dict()

    # 3. scale-up to the benchmark size, then the search index over everything
    real = int(db.scalar("select count(*) from passage"))
    factor = max(1, math.ceil(config.passages / max(real, 1)))
    with Stopwatch() as watch:
        total = replicate(db, factor)
    with Stopwatch() as index_watch:
        with Writer(db) as writer:
            writer.rebuild_search_index()
    result["database"] = {
        "real_passages": real,
        "copy_factor": factor,
        "passages": total,
        "documents": int(db.scalar("select count(*) from document")),
        "replicate_seconds": round(watch.seconds, 2),
        "search_index_seconds": round(index_watch.seconds, 2),
        "megabytes": _file_mb(path),
    }
    say(f"Database: {total:,} passages ({real:,} real x {factor}), {_file_mb(path)} MB")
    return db


def _pages(path: Path, document_id: int, repeat: int) -> dict:
    output = path.with_name("pages.json")
    output.unlink(missing_ok=True)
    command = [
        sys.executable,
        "-m",
        "ui.page_timing",
        "--db",
        str(path),
        "--repeat",
        str(repeat),
        "--document",
        str(document_id),
        "--output",
        str(output),
    ]
    env = {**os.environ, "IEG_DB": str(path), "PYTHONPATH": str(REPO_ROOT)}
    done = subprocess.run(  # noqa: S603 - our own interpreter and module, fixed arguments
        command, cwd=REPO_ROOT, env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0 or not output.is_file():
        lines = [line for line in done.stderr.splitlines() if "ScriptRunContext" not in line]
        return {"error": lines[-8:] or [f"exit code {done.returncode}"]}
    return json.loads(output.read_text(encoding="utf-8"))


def _baseline(db: Database, args: queries.Arguments, answers: dict, config: BenchConfig) -> dict:
    before = peak_memory_mb()["self_mb"]
    with Stopwatch() as watch:
        frames = baseline.load_frames(db)
    out: dict = {
        "load_seconds": round(watch.seconds, 2),
        "frames_mb": round(frames.megabytes, 1),
        "peak_rss_growth_mb": None,
        "questions": {},
    }
    f, none, narrow = frames, queries.NO_FILTERS, queries.NARROW
    search = answers.get("search_passages (filters, page 3)")
    questions = {
        "topic_distribution (meeting)": (
            lambda: baseline.topic_distribution(f, none, "meeting"),
            lambda answer: assert_same(answers["topic_distribution (meeting)"], answer),
        ),
        "needs_matrix": (
            lambda: baseline.needs_matrix(f, none),
            lambda answer: assert_same(answers["needs_matrix"], answer),
        ),
        "priority_table": (
            lambda: baseline.priority_table(f, none),
            lambda answer: assert_same(answers["priority_table"], answer),
        ),
        "coverage": (
            lambda: baseline.coverage(f, none),
            lambda answer: assert_same(answers["coverage"], answer),
        ),
        "subtheme_gaps": (
            lambda: baseline.subtheme_gaps(f, none, args.topic),
            lambda answer: assert_same(answers["subtheme_gaps"], answer),
        ),
        "search_passages (filters, page 3)": (
            lambda: baseline.explorer_page(f, narrow, queries.EXPLORER_PAGE),
            lambda answer: (
                assert_same(search.rows.drop(columns=["score"]), answer[0]),
                _equal(search.total, answer[1]),
            ),
        ),
        "document_passages": (
            lambda: baseline.document_passages(f, args.document_id),
            lambda answer: assert_same(answers["document_passages"], answer),
        ),
    }
    for name, (run, check) in questions.items():
        if name not in answers:
            continue  # the product's query failed: nothing to compare with
        timing, answer = timed(run, repeat=config.repeat, warmup=config.warmup)
        check(answer)  # raises when the baseline and the product disagree
        entry = out["questions"].setdefault(name, {})
        entry.update(timing.as_dict())
        entry["equal"] = True
    out["peak_rss_growth_mb"] = round(peak_memory_mb()["self_mb"] - before, 1)
    return out


def _equal(left: object, right: object) -> None:
    assert left == right, f"{left!r} != {right!r}"
