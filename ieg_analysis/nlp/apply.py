"""Classify what the store holds: every passage and recommendation not yet classified by the
current model version gets scores, labels, matched terms and (passages) country mentions,
stored through the store's writer in batches, each batch one transaction."""

from __future__ import annotations

import collections
import json
import multiprocessing
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..records import CAPACITY_LABELS, TOPIC_IDS
from ..store.db import Database
from ..store.writer import Writer
from .terms import load_terms

Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class ClassifyReport:
    version: str
    passages: int
    recommendations: int
    unclassified: int


def _score_frame(key: str, ids: list[int], results: list, version: str) -> pd.DataFrame:
    """The ``<source>_classification`` rows of a batch, built column by column."""
    frame = pd.DataFrame(
        {
            key: ids,
            "model_version": [version] * len(ids),
            "classified": [r.classified for r in results],
            "reason": [r.reason for r in results],
            "topic": [r.topic for r in results],
            "topic_labels": [list(r.topic_labels) for r in results],
            "capacity_label": [r.capacity_label for r in results],
        }
    )
    for column, scores in (
        *((t, "topics") for t in TOPIC_IDS),
        *((c, "capacity") for c in CAPACITY_LABELS),
    ):
        frame[column] = np.array(
            [getattr(r, scores).get(column, np.nan) if r.classified else np.nan for r in results],
            dtype="float32",
        )
    return frame


def _term_frame(ids: list[int], results: list) -> pd.DataFrame:
    pairs = [
        (item_id, term)
        for item_id, result in zip(ids, results, strict=True)
        for term in dict.fromkeys(result.terms)
    ]
    frame = pd.DataFrame(pairs, columns=["source_id", "term_id"])
    frame["start_char"] = pd.array([None] * len(frame), dtype="Int32")
    frame["end_char"] = pd.array([None] * len(frame), dtype="Int32")
    return frame


def _mention_frame(ids: list[int], results: list) -> pd.DataFrame:
    rows = [
        (item_id, mention.iso3, mention.start_char, mention.end_char)
        for item_id, result in zip(ids, results, strict=True)
        for mention in result.mentions
    ]
    return pd.DataFrame(rows, columns=["passage_id", "iso3", "start_char", "end_char"])


@dataclass(frozen=True)
class _Batch:
    """One batch of classified passages, as the writer stores it."""

    ids: list[int]
    scores: pd.DataFrame
    terms: pd.DataFrame
    mentions: pd.DataFrame
    unclassified: int

    @classmethod
    def of(cls, ids: list[int], results: list, version: str) -> _Batch:
        return cls(
            ids,
            _score_frame("passage_id", ids, results, version),
            _term_frame(ids, results),
            _mention_frame(ids, results),
            sum(not r.classified for r in results),
        )

    @classmethod
    def join(cls, parts: list[_Batch]) -> _Batch:
        if len(parts) == 1:
            return parts[0]
        return cls(
            [i for part in parts for i in part.ids],
            *(
                pd.concat([getattr(part, name) for part in parts], ignore_index=True)
                for name in ("scores", "terms", "mentions")
            ),
            sum(part.unclassified for part in parts),
        )


def _model_files(model_dir: Path) -> tuple[str, str | None]:
    meta_path, evaluation_path = model_dir / "meta.json", model_dir / "evaluation.json"
    meta = meta_path.read_text(encoding="utf-8") if meta_path.is_file() else "{}"
    evaluation = evaluation_path.read_text(encoding="utf-8") if evaluation_path.is_file() else None
    json.loads(meta)  # both must be JSON; a broken file is an internal fault
    if evaluation is not None:
        json.loads(evaluation)
    return meta, evaluation


BATCH = 5000  # passages per transaction, classified in this process
PARALLEL_BATCH = 20_000  # passages per transaction, classified by worker processes
DEFERRED_REFRESH_ABOVE = 20_000  # more pending passages: the facts are refreshed at the end
PARALLEL_MIN = 20_000  # below this many pending passages, starting workers costs more than it saves
_CHUNK = 1000  # passages per task sent to a worker process

_worker: dict = {}


def _init_worker(model_dir: str | None) -> None:
    """A forked worker already has the parent's classifier; a spawned one loads it (loading
    takes seconds: spaCy's French tokenizer exceptions alone compile for several)."""
    if model_dir is not None:
        from .classifier import Classifier

        _worker["classifier"] = Classifier.load(Path(model_dir))


def _classify_chunk(ids: list[int], texts: list[str], languages: list[str]) -> tuple[str, _Batch]:
    """A worker's part of a batch, returned as the frames the writer stores (built here, in
    parallel, rather than in the parent, which stores one batch while the next computes)."""
    classifier = _worker["classifier"]
    results = classifier.classify(texts, languages, with_mentions=True)
    return classifier.version, _Batch.of(ids, results, classifier.version)


_UNCLASSIFIED = (
    "from passage p where not exists (select 1 from passage_classification c "
    "where c.passage_id = p.id and c.model_version = ?{window})"
)


def _pending(db: Database, version: str) -> tuple[int, int | None, int | None]:
    """How many passages ``version`` has not classified, and their lowest and highest id."""
    row = db.query(
        "select count(*) as n, min(p.id) as lo, max(p.id) as hi " + _UNCLASSIFIED.format(window=""),
        [version],
    ).iloc[0]
    if not row["n"]:
        return 0, None, None
    return int(row["n"]), int(row["lo"]), int(row["hi"])


def _pending_batches(
    db: Database, version: str, batch_size: int, lo: int | None, hi: int | None
) -> Iterator[tuple]:
    """(ids, texts, languages) of the passages ``version`` has not classified, in id order,
    read in windows of ``batch_size`` ids: both sides of the anti-join are cut to the window,
    so a batch costs the same in a database of a thousand passages or of a million."""
    if lo is None or hi is None:
        return
    for start in range(lo, hi + 1, batch_size):
        end = start + batch_size
        window = " and c.passage_id >= ? and c.passage_id < ?"
        batch = db.query(
            "select p.id, p.text, p.language "
            + _UNCLASSIFIED.format(window=window)
            + " and p.id >= ? and p.id < ? order by p.id",
            [version, start, end, start, end],
        )
        if not batch.empty:
            yield batch["id"].tolist(), batch["text"].tolist(), batch["language"].tolist()


def _worker_count(workers: int | None, pending: int) -> int:
    if workers is not None:
        return max(workers, 0)
    cores = os.cpu_count() or 1
    return min(cores, 4) if pending >= PARALLEL_MIN and cores > 1 else 0


def _classified_batches(
    batches: Iterator[tuple], classifier, model_dir: Path, workers: int
) -> Iterator[_Batch]:
    """The classified batches: computed in this process, or spread over ``workers``
    processes while this one stores the previous batch."""
    version = classifier.version
    if workers == 0:
        for ids, texts, languages in batches:
            results = classifier.classify(texts, languages, with_mentions=True)
            yield _Batch.of(ids, results, version)
        return
    # Forked workers share the loaded models; the children only classify (no database,
    # no locks of the parent's threads). Where fork is missing, workers load the models.
    forking = "fork" in multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if forking else "spawn")
    if forking:
        classifier.warm()
    _worker["classifier"] = classifier
    try:
        with ProcessPoolExecutor(
            workers,
            mp_context=context,
            initializer=_init_worker,
            initargs=(None if forking else str(model_dir),),
        ) as pool:
            yield from _run_pool(pool, batches, version)
    finally:
        _worker.clear()


def _run_pool(pool: ProcessPoolExecutor, batches: Iterator[tuple], version: str) -> Iterator:
    """Send each batch to the workers in chunks; keep one batch computing while the
    previous is being stored."""
    in_flight: collections.deque = collections.deque()
    for ids, texts, languages in batches:
        futures = [
            pool.submit(
                _classify_chunk,
                ids[i : i + _CHUNK],
                texts[i : i + _CHUNK],
                languages[i : i + _CHUNK],
            )
            for i in range(0, len(ids), _CHUNK)
        ]
        in_flight.append(futures)
        if len(in_flight) > 1:
            yield _collect(in_flight.popleft(), version)
    while in_flight:
        yield _collect(in_flight.popleft(), version)


def _collect(futures: list, version: str) -> _Batch:
    parts = []
    for future in futures:
        worker_version, part = future.result()
        if worker_version != version:
            raise RuntimeError(f"a worker loaded model {worker_version}, not {version}")
        parts.append(part)
    return _Batch.join(parts)


def classify_store(
    db: Database,
    classifier,
    *,
    model_dir: Path,
    batch_size: int | None = None,
    progress: Progress | None = None,
    workers: int | None = None,
) -> ClassifyReport:
    """Classify everything the current model version has not classified yet.

    ``workers``: processes that classify in parallel (0: this process only). By default
    every core is used when at least ``PARALLEL_MIN`` passages are pending; the workers
    load the models from ``model_dir``, which must be the ``classifier``'s.
    ``batch_size``: passages stored per transaction (default ``BATCH`` in this process,
    ``PARALLEL_BATCH`` with workers, where each transaction's open, commit and checkpoint
    in this process would otherwise hold the workers up).
    """
    version = classifier.version
    terms = pd.DataFrame(
        [{"id": t.term_id, "topic_id": t.topic, "label": t.label} for t in load_terms()]
    )
    meta, evaluation = _model_files(model_dir)
    with Writer(db) as writer:
        writer.sync_terms(terms)
        writer.register_model(version, meta=meta, evaluation=evaluation)
    pending, lo, hi = _pending(db, version)
    done = unclassified = 0
    workers = _worker_count(workers, pending)
    if batch_size is None:
        batch_size = PARALLEL_BATCH if workers else BATCH
    batches = _pending_batches(db, version, batch_size, lo, hi)
    # Each batch's refresh of the materialised facts recomputes the cube cells of every
    # submitter it touches (seconds at a million passages): for a long run, refresh once at
    # the end instead (readers use the live views meanwhile, as for any stale facts).
    refresh_each = pending <= DEFERRED_REFRESH_ABOVE
    for batch in _classified_batches(batches, classifier, model_dir, workers):
        with Writer(db) as writer:
            writer.store_classifications(
                "passage",
                version,
                batch.scores,
                batch.terms,
                batch.mentions,
                refresh=refresh_each,
            )
        unclassified += batch.unclassified
        done += len(batch.ids)
        if progress:
            progress(done, pending, "passages")
    if done and not refresh_each:
        with Writer(db) as writer:
            writer.refresh_facts()
    recommendations = db.query(
        "select r.id, r.text from recommendation r where not exists (select 1 from "
        "recommendation_classification c where c.recommendation_id = r.id "
        "and c.model_version = ?) order by r.id",
        [version],
    )
    if len(recommendations):
        ids, texts = recommendations["id"].tolist(), recommendations["text"].tolist()
        results = classifier.classify(texts)
        with Writer(db) as writer:
            writer.store_classifications(
                "recommendation",
                version,
                _score_frame("recommendation_id", ids, results, version),
                _term_frame(ids, results),
            )
    return ClassifyReport(version, done, len(recommendations), unclassified)
