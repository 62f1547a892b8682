"""Build the bundled sample database: generate the illustrative corpus, render it to real
PDF, DOCX, TXT, CSV and JSON files, and read them back through the ingestion pipeline."""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from ..ingest.pipeline import BatchReport, IngestRequest, Progress, ingest
from ..reference import Reference, load_reference
from ..settings import Settings
from ..store.db import Database
from ..store.writer import Writer
from .generator import Corpus, generate, load_actors
from .render import render, render_recommendation_list

SECRETARIAT = "UNODC Secretariat of the Expert Group"
_ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII"]


@dataclass(frozen=True)
class SampleBuild:
    report: BatchReport
    documents: int
    recommendations: int
    comments: int


def _submitter(submitter: str, reference: Reference, observers: dict[str, str]) -> tuple:
    if submitter in reference.countries:
        return submitter, None
    return submitter, observers[submitter]


def sample_requests(corpus: Corpus, reference: Reference) -> list[IngestRequest]:
    """Every file of the sample, rendered, in the order a Secretariat would receive them."""
    observers = {actor.name: actor.actor_type for actor in load_actors()}
    requests = []
    for index, doc in enumerate(corpus.documents, start=1):
        submitter, actor_type = _submitter(doc.submitter, reference, observers)
        requests.append(
            IngestRequest(
                name=f"{doc.key}.{doc.file_format}",
                data=render(doc, index),
                meeting=doc.meeting,
                submitter=submitter,
                kind=doc.kind,
                received=doc.received,
                actor_type=actor_type,
                title=doc.title,
            )
        )
    by_meeting: dict[int, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for rec in corpus.recommendations:
        by_meeting[rec.meeting][rec.topic].append(rec)
    for meeting, topics in sorted(by_meeting.items()):
        ordered = sorted(topics.items(), key=lambda item: reference.topics[item[0]].ordinal)
        items = [
            (f"{_ROMAN[i]}. {reference.topics[topic].label}", sorted(recs, key=lambda r: r.number))
            for i, (topic, recs) in enumerate(ordered)
        ]
        title = (
            f"Preliminary conclusions and recommendations suggested by Member States at the "
            f"{reference.meetings[meeting].name.lower()}"
        )
        requests.append(
            IngestRequest(
                name=f"m{meeting}-preliminary-recommendations.docx",
                data=render_recommendation_list(meeting, title, items),
                meeting=meeting,
                submitter=SECRETARIAT,
                kind="recommendation_list",
                received=reference.meetings[meeting].end_date,
                actor_type="unodc",
                title=title,
            )
        )
    outcome = [
        {
            "meeting": rec.meeting,
            "number": rec.number,
            "topic": rec.topic,
            "text": rec.text,
            "status": rec.status,
            "merged_into": f"{rec.merged_into[0]}.{rec.merged_into[1]}" if rec.merged_into else "",
        }
        for rec in corpus.recommendations
    ]
    stocktaking = max(m.number for m in reference.meetings.values() if m.stocktaking)
    requests.append(
        IngestRequest(
            name="m7-stocktaking-outcome.json",
            data=json.dumps({"recommendations": outcome}, ensure_ascii=False, indent=1).encode(),
            meeting=stocktaking,
            submitter=SECRETARIAT,
            kind="recommendation_list",
            received=reference.meetings[stocktaking].end_date,
            actor_type="unodc",
            title="Outcome of the stock-taking meeting (illustrative)",
        )
    )
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["meeting", "recommendation", "submitter", "actor_type", "received", "text"])
    for comment in corpus.comments:
        submitter, actor_type = _submitter(comment.submitter, reference, observers)
        writer.writerow(
            [
                comment.meeting,
                comment.number,
                submitter,
                actor_type or "",
                comment.received.isoformat(),
                comment.text,
            ]
        )
    requests.append(
        IngestRequest(
            name="m7-comments-on-preliminary-recommendations.csv",
            data=buffer.getvalue().encode("utf-8"),
            meeting=stocktaking,
            submitter=SECRETARIAT,
            kind="comment",
            received=reference.deadline(stocktaking),
            actor_type="unodc",
            title="Comments on the preliminary recommendations (illustrative)",
        )
    )
    return requests


def build_sample(
    db: Database,
    settings: Settings,
    *,
    seed: int = 2018,
    scale: float = 1.0,
    progress: Progress | None = None,
) -> SampleBuild:
    reference = load_reference()
    corpus = generate(seed=seed, scale=scale)
    requests = sample_requests(corpus, reference)
    report = ingest(
        db,
        requests,
        settings=settings,
        source="sample",
        progress=progress,
        is_sample=True,
        reference=reference,
    )
    with Writer(db) as writer:
        writer.set_meta("is_sample", "true")
        writer.set_meta("sample_seed", str(seed))
    return SampleBuild(
        report, len(corpus.documents), len(corpus.recommendations), len(corpus.comments)
    )


def write_sample_files(
    directory: Path, *, limit: int | None = None, seed: int = 2018, kinds: tuple[str, ...] = ()
) -> Path:
    """Write sample documents as real files (PDF, DOCX, TXT) with a manifest CSV, the way
    a Secretariat would prepare a batch for ``ieg ingest --manifest``; return the
    manifest's path. Submitters are written as UN names, as documents name them."""
    reference = load_reference()
    observers = {actor.name: actor.actor_type for actor in load_actors()}
    directory.mkdir(parents=True, exist_ok=True)
    rows = []
    for index, doc in enumerate(generate(seed=seed).documents, start=1):
        if kinds and doc.kind not in kinds:
            continue
        if limit is not None and len(rows) >= limit:
            break
        name = f"{doc.key}.{doc.file_format}"
        (directory / name).write_bytes(render(doc, index))
        state = reference.countries.get(doc.submitter)
        rows.append(
            {
                "path": name,
                "meeting": doc.meeting,
                "submitter": state.name if state else doc.submitter,
                "kind": doc.kind,
                "received": doc.received.isoformat(),
                "actor_type": "" if state else observers[doc.submitter],
                "title": doc.title,
                "is_sample": "true",
            }
        )
    manifest = directory / "manifest.csv"
    with manifest.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]) if rows else ["path"])
        writer.writeheader()
        writer.writerows(rows)
    return manifest
