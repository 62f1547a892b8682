"""Building the benchmark database: ingestion (the product's pipeline, or the same parsing
and writer with one write session for many documents) and classification (the product's
``classify_store``), each timed."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..audit import local_operator
from ..errors import IEGError
from ..ingest.pipeline import IngestRequest, ingest, parse_file
from ..reference import Reference, load_reference
from ..settings import Settings
from ..store.db import Database
from ..store.writer import Writer


@dataclass(frozen=True)
class IngestTiming:
    path: str  # "product" (pipeline.ingest) or "session" (one writer session per batch)
    documents: int
    passages: int
    refused: int
    seconds: float  # all of it, search index included
    index_seconds: float  # the BM25 index rebuild alone

    def as_dict(self) -> dict:
        store = self.seconds - self.index_seconds
        return {
            "path": self.path,
            "documents": self.documents,
            "passages": self.passages,
            "refused": self.refused,
            "seconds": round(self.seconds, 2),
            "index_seconds": round(self.index_seconds, 2),
            "documents_per_s": round(self.documents / store, 1) if store else None,
            "passages_per_s": round(self.passages / store, 1) if store else None,
            "passages_per_s_with_index": round(self.passages / self.seconds, 1)
            if self.seconds
            else None,
        }


def ingest_product(
    db: Database, requests: Sequence[IngestRequest], settings: Settings
) -> IngestTiming:
    """``pipeline.ingest`` as ``ieg ingest`` runs it: one writer session and transaction per
    document, then the BM25 index rebuilt. The index time is what follows the last file."""
    marks: list[float] = []
    started = time.perf_counter()
    report = ingest(
        db,
        requests,
        settings=settings,
        source="bench",
        progress=lambda done, total, name: marks.append(time.perf_counter()),
    )
    finished = time.perf_counter()
    last = marks[-1] if marks else started
    return IngestTiming(
        "product",
        report.count("stored"),
        report.passages,
        report.count("refused"),
        finished - started,
        finished - last,
    )


def ingest_sessions(
    db: Database,
    requests: Sequence[IngestRequest],
    settings: Settings,
    *,
    documents_per_session: int = 250,
    reference: Reference | None = None,
) -> IngestTiming:
    """The fix measured: the same reading, validation and parsing (``parse_file``) and the
    same ``Writer.add_document`` (still one transaction per document), but one writer session
    (connection, extension load, migration check) for ``documents_per_session`` documents
    instead of one per document, and no per-document reader connections for the duplicate
    and observer look-ups. The index is rebuilt once at the end, as ``ingest`` does."""
    reference = reference or load_reference()
    user = local_operator()
    started = time.perf_counter()
    with Writer(db) as writer:
        writer.sync_reference(reference)
        run_id = writer.start_run("bench-sessions")
    stored = passages = refused = 0
    for first in range(0, len(requests), documents_per_session):
        parsed = []
        for request in requests[first : first + documents_per_session]:
            try:
                data = request.data if request.data is not None else Path(request.path).read_bytes()
                parsed.append(
                    parse_file(request, data, reference=reference, observers={}, settings=settings)
                )
            except IEGError:
                refused += 1
        with Writer(db) as writer:
            for document in parsed:
                if writer.has_hash(document.content_hash):
                    continue
                writer.add_document(document, user=user)
                stored += 1
                passages += len(document.passages)
    index_started = time.perf_counter()
    with Writer(db) as writer:
        writer.rebuild_search_index()
        writer.finish_run(run_id, added=stored, passages=passages, refused=refused, skipped=0)
    finished = time.perf_counter()
    return IngestTiming(
        "session", stored, passages, refused, finished - started, finished - index_started
    )


@dataclass(frozen=True)
class ClassifyTiming:
    passages: int
    recommendations: int
    unclassified: int
    seconds: float
    model_only_passages_per_s: float | None  # the spaCy pipelines alone, on a sample

    def as_dict(self) -> dict:
        return {
            "passages": self.passages,
            "recommendations": self.recommendations,
            "unclassified": self.unclassified,
            "seconds": round(self.seconds, 2),
            "passages_per_s": round(self.passages / self.seconds, 1) if self.seconds else None,
            "model_only_passages_per_s": self.model_only_passages_per_s,
        }


def classify(db: Database, model_dir: Path, *, sample: int = 2000) -> ClassifyTiming:
    """``classify_store`` over the whole database; then the classifier alone on ``sample``
    stored passages, to tell the model's cost from the storing around it."""
    from ..nlp.apply import classify_store
    from ..nlp.classifier import Classifier

    classifier = Classifier.load(model_dir)
    started = time.perf_counter()
    report = classify_store(db, classifier, model_dir=model_dir)
    seconds = time.perf_counter() - started
    rows = db.query("select text, language from passage order by id limit ?", [int(sample)])
    model_rate = None
    if len(rows):
        texts, languages = rows["text"].tolist(), rows["language"].tolist()
        model_started = time.perf_counter()
        classifier.classify(texts, languages)
        model_rate = round(len(texts) / (time.perf_counter() - model_started), 1)
    return ClassifyTiming(
        report.passages, report.recommendations, report.unclassified, seconds, model_rate
    )
