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


def _start(reference: Reference, observers: dict, settings: Settings) -> None:
    _state.update(reference=reference, observers=observers, settings=settings)


def _parse(request: IngestRequest, data: bytes, is_sample: bool) -> ParsedDocument | str:
    """The parsed document, or the one sentence that refuses the file."""
    from .pipeline import parse_file

    try:
        return parse_file(
            request,
            data,
            reference=_state["reference"],
            observers=_state["observers"],
            settings=_state["settings"],
            is_sample=is_sample,
        )
    except IEGError as error:
        return error.reason if isinstance(error, InputFileError) else str(error)


class ParsePool:
    """``with ParsePool(n, reference=..., observers=..., settings=...) as pool:`` then
    ``pool.submit(request, data, is_sample)`` returns a future of :func:`_parse`'s result."""

    def __init__(
        self, workers: int, *, reference: Reference, observers: dict, settings: Settings
    ) -> None:
        self._executor = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_start,
            initargs=(reference, dict(observers), settings),
        )

    def __enter__(self) -> ParsePool:
        return self

    def __exit__(self, *exc: object) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)

    def submit(
        self, request: IngestRequest, data: bytes, is_sample: bool
    ) -> Future[ParsedDocument | str]:
        return self._executor.submit(_parse, request, data, is_sample)
