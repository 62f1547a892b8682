"""The benchmark corpus: the sample generator at a chosen size, rendered to plain-text files
(PDF rendering is slow and measures fpdf2, not the product) that are read back through the
real ingestion path, plus the Rapporteur's recommendation lists, the stock-taking outcome and
the comments, exactly as the bundled sample has them."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..ingest.pipeline import IngestRequest
from ..reference import Reference, load_reference
from ..sample.build import _submitter, sample_requests
from ..sample.generator import Corpus, generate, iter_documents, load_actors
from ..sample.render import render_txt


@dataclass(frozen=True)
class BenchCorpus:
    """What was generated: document requests (TXT files on disk), the structured requests
    (recommendation lists, outcome, comments) and the paragraph count the generator wrote."""

    documents: list[IngestRequest]
    structured: list[IngestRequest]
    paragraphs: int
    scale: float
    bytes_written: int

    @property
    def requests(self) -> list[IngestRequest]:
        return [*self.documents, *self.structured]


@lru_cache(maxsize=4)
def paragraphs_per_scale(seed: int) -> int:
    """Paragraphs the generator writes at scale 1 (about 4,900)."""
    return sum(
        len(section.paragraphs)
        for doc in iter_documents(seed=seed, scale=1.0)
        for section in doc.sections
    )


def scale_for(passages: int, *, seed: int = 2018) -> float:
    """The generator scale that gives about ``passages`` paragraphs."""
    return max(passages / paragraphs_per_scale(seed), 0.01)


def write_corpus(
    directory: Path,
    passages: int,
    *,
    seed: int = 2018,
    reference: Reference | None = None,
) -> BenchCorpus:
    """Generate about ``passages`` paragraphs, write each document as a TXT file under
    ``directory`` and return the ingest requests (documents first, in generation order).
    Memory stays bounded: documents are generated lazily and only paths are kept."""
    reference = reference or load_reference()
    observers = {actor.name: actor.actor_type for actor in load_actors()}
    scale = scale_for(passages, seed=seed)
    directory.mkdir(parents=True, exist_ok=True)
    documents: list[IngestRequest] = []
    paragraphs = written = 0
    for index, doc in enumerate(iter_documents(seed=seed, scale=scale), start=1):
        data = render_txt(doc, index)
        path = directory / f"{index:07d}-{doc.key}.txt"
        path.write_bytes(data)
        written += len(data)
        paragraphs += sum(len(section.paragraphs) for section in doc.sections)
        submitter, actor_type = _submitter(doc.submitter, reference, observers)
        documents.append(
            IngestRequest(
                name=path.name,
                path=path,
                meeting=doc.meeting,
                submitter=submitter,
                kind=doc.kind,
                received=doc.received,
                actor_type=actor_type,
                title=doc.title,
            )
        )
    full = generate(seed=seed, scale=0.0)  # recommendations and comments do not scale
    structured = sample_requests(
        Corpus(documents=(), recommendations=full.recommendations, comments=full.comments),
        reference,
    )
    return BenchCorpus(documents, structured, paragraphs, scale, written)
