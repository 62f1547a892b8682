"""Building the benchmark database: ingestion (the product's pipeline) and classification
(the product's ``classify_store``), each timed."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..ingest.pipeline import IngestRequest, ingest
from ..settings import Settings
from ..store.db import Database


@dataclass(frozen=True)
class IngestTiming:
    path: str  # "product": pipeline.ingest
    documents: int
    passages: int
    refused: int
    seconds: float  # all of it, search index included
    index_seconds: float  # after the last file: the run's final (thorough) index update

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
    """``pipeline.ingest`` as ``ieg ingest`` runs it: documents parsed in this process and
    stored in chunks (one writer session and bulk transaction each), the BM25 index extended
    with each chunk's passages before its session ends. The index time is what follows the
    last file (the run's final, thorough index check)."""
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
