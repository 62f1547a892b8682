"""Classify what the store holds: every passage and recommendation not yet classified by the
current model version gets scores, labels, matched terms and (passages) country mentions,
stored through the store's writer in batches, each batch one transaction."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..records import CAPACITY_LABELS, TOPIC_IDS
from ..store.db import Database
from ..store.writer import Writer
from .terms import load_terms

Progress = Callable[[int, int, str], None]
TOPIC_IDS = TOPIC_IDS


@dataclass(frozen=True)
class ClassifyReport:
    version: str
    passages: int
    recommendations: int
    unclassified: int


def _score_frame(key: str, ids: list[int], results: list, version: str) -> pd.DataFrame:
    rows = []
    for item_id, result in zip(ids, results, strict=True):
        row = {
            key: item_id,
            "model_version": version,
            "classified": result.classified,
            "reason": result.reason,
            "topic": result.topic,
            "topic_labels": list(result.topic_labels),
            "capacity_label": result.capacity_label,
        }
        for topic in TOPIC_IDS:
            row[topic] = result.topics.get(topic) if result.classified else None
        for label in CAPACITY_LABELS:
            row[label] = result.capacity.get(label) if result.classified else None
        rows.append(row)
    frame = pd.DataFrame(rows)
    for column in (*TOPIC_IDS, *CAPACITY_LABELS):
        frame[column] = frame[column].astype("float32")
    return frame


def _term_frame(ids: list[int], results: list) -> pd.DataFrame:
    rows = [
        {"source_id": item_id, "term_id": term, "start_char": None, "end_char": None}
        for item_id, result in zip(ids, results, strict=True)
        for term in dict.fromkeys(result.terms)
    ]
    frame = pd.DataFrame(rows, columns=["source_id", "term_id", "start_char", "end_char"])
    return frame.astype({"start_char": "Int32", "end_char": "Int32"})


def _mention_frame(ids: list[int], texts: list[str], languages: list[str]) -> pd.DataFrame:
    from .mentions import country_matcher

    rows = []
    for item_id, text, language in zip(ids, texts, languages, strict=True):
        matcher = country_matcher(language if language in ("en", "fr", "es") else "en")
        for mention in matcher.find(text):
            rows.append(
                {
                    "passage_id": item_id,
                    "iso3": mention.iso3,
                    "start_char": mention.start_char,
                    "end_char": mention.end_char,
                }
            )
    return pd.DataFrame(rows, columns=["passage_id", "iso3", "start_char", "end_char"])


def _model_files(model_dir: Path) -> tuple[str, str | None]:
    meta_path, evaluation_path = model_dir / "meta.json", model_dir / "evaluation.json"
    meta = meta_path.read_text(encoding="utf-8") if meta_path.is_file() else "{}"
    evaluation = evaluation_path.read_text(encoding="utf-8") if evaluation_path.is_file() else None
    json.loads(meta)  # both must be JSON; a broken file is an internal fault
    if evaluation is not None:
        json.loads(evaluation)
    return meta, evaluation


def classify_store(
    db: Database,
    classifier,
    *,
    model_dir: Path,
    batch_size: int = 5000,
    progress: Progress | None = None,
) -> ClassifyReport:
    """Classify everything the current model version has not classified yet."""
    version = classifier.version
    terms = pd.DataFrame(
        [{"id": t.term_id, "topic_id": t.topic, "label": t.label} for t in load_terms()]
    )
    meta, evaluation = _model_files(model_dir)
    with Writer(db) as writer:
        writer.sync_terms(terms)
        writer.register_model(version, meta=meta, evaluation=evaluation)
    pending = db.query(
        "select count(*) as n from passage p where not exists (select 1 from "
        "passage_classification c where c.passage_id = p.id and c.model_version = ?)",
        [version],
    )["n"].item()
    done = unclassified = 0
    last_id = -1
    while True:
        batch = db.query(
            "select p.id, p.text, p.language from passage p where p.id > ? and not exists "
            "(select 1 from passage_classification c where c.passage_id = p.id "
            "and c.model_version = ?) order by p.id limit ?",
            [last_id, version, batch_size],
        )
        if batch.empty:
            break
        ids, texts = batch["id"].tolist(), batch["text"].tolist()
        languages = batch["language"].tolist()
        results = classifier.classify(texts, languages)
        with Writer(db) as writer:
            writer.store_classifications(
                "passage",
                version,
                _score_frame("passage_id", ids, results, version),
                _term_frame(ids, results),
                _mention_frame(ids, texts, languages),
            )
        unclassified += sum(not r.classified for r in results)
        done += len(ids)
        last_id = ids[-1]
        if progress:
            progress(done, pending, "passages")
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
