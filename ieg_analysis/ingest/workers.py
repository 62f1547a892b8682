"""Parsing files in worker processes while the parent writes: reading, checking, segmenting
and language detection are pure Python and need no database, so a long batch uses every core
for them, and the parent (the only writer) stores what the workers have parsed.

Workers start with ``spawn`` (the parent holds DuckDB's threads; forking them is unsafe) and
parse with the batch's starting list of observers; :func:`pipeline.ingest` re-checks what a
later file of the same batch could resolve differently. A worker that dies takes no data
with it: the parent parses the rest itself."""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import Future, ProcessPoolExecutor
from typing import TYPE_CHECKING

from ..errors import IEGError, InputFileError

if TYPE_CHECKING:
    from ..records import ParsedDocument
    from ..reference import Reference
    from ..settings import Settings
    from .pipeline import IngestRequest

# Below this many files a batch is parsed in the parent: starting workers costs about a second.
POOL_MIN_FILES = 64
# Files handed to a worker at once (fewer round trips, one query for their terms).
FILES_PER_JOB = 16
# Formats parsed in workers; CSV and JSON (recommendations, comments: few, small, and
# resolved against the batch's own observers) are parsed in the parent.
POOLED_FORMATS = (".txt", ".md", ".markdown", ".pdf", ".docx")

_state: dict = {}


def worker_count() -> int:
    """One worker per core the process may use."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return max(1, cores)


def _start(
    reference: Reference,
    observers: dict,
    settings: Settings,
    tokenizer: tuple[str, list[str]] | None,
) -> None:
    _state.update(reference=reference, observers=observers, settings=settings)
    if tokenizer is not None:
        from ..store.search_terms import SearchTerms

        _state["terms"] = SearchTerms(tokenizer)


def _parse_many(
    jobs: list[tuple[IngestRequest, bytes, bool]],
) -> list[tuple[ParsedDocument, list[list[str]] | None] | str]:
    """Per file: the parsed document with its passages' search-index terms (None without a
    tokenizer), or the one sentence that refuses the file. The terms of all the files come
    from one query (a query per file would cost more than the words)."""
    from .pipeline import parse_file

    results: list = []
    for request, data, is_sample in jobs:
        try:
            parsed = parse_file(
                request,
                data,
                reference=_state["reference"],
                observers=_state["observers"],
                settings=_state["settings"],
                is_sample=is_sample,
            )
        except IEGError as error:
            results.append(error.reason if isinstance(error, InputFileError) else str(error))
        else:
            results.append((parsed, None))
    search_terms = _state.get("terms")
    if search_terms is not None:
        documents = [r[0] for r in results if isinstance(r, tuple)]
        terms = iter(search_terms([p.text for d in documents for p in d.passages]))
        results = [
            (r[0], [next(terms) for _ in r[0].passages]) if isinstance(r, tuple) else r
            for r in results
        ]
    return results


class ParsePool:
    """``with ParsePool(n, reference=..., observers=..., settings=...) as pool:`` then
    ``pool.submit(jobs)`` returns a future of :func:`_parse_many`'s results.
    With a ``tokenizer`` (``Writer.search_tokenizer``) the workers also compute the search
    index's terms of each passage."""

    def __init__(
        self,
        workers: int,
        *,
        reference: Reference,
        observers: dict,
        settings: Settings,
        tokenizer: tuple[str, list[str]] | None = None,
    ) -> None:
        self._executor = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_start,
            initargs=(reference, dict(observers), settings, tokenizer),
        )

    def __enter__(self) -> ParsePool:
        return self

    def __exit__(self, *exc: object) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)

    def submit(
        self, jobs: list[tuple[IngestRequest, bytes, bool]]
    ) -> Future[list[tuple[ParsedDocument, list[list[str]] | None] | str]]:
        """Parse files (request, content, is_sample) in one worker: a future of the list of
        :func:`_parse_many`'s results, in order."""
        return self._executor.submit(_parse_many, jobs)
