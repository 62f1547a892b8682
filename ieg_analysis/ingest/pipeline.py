"""Whole files in, whole documents out: validate everything about a file before anything is
written, then hand it to the store's writer as one transaction. A batch goes on past a bad
file, and reports each file with its outcome."""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb

from ..audit import local_operator
from ..errors import IEGError, InputFileError, ManifestError
from ..records import OBSERVER_TYPES, Actor, ParsedDocument
from ..reference import Reference, load_reference, normalise_name
from ..settings import Settings
from ..store.db import Database
from ..store.writer import Writer
from .language import dominant_language
from .metadata import build_meta
from .readers import READERS
from .segment import segment
from .sniff import check_content, check_name
from .structured import (
    comments_from_rows,
    passages_from_rows,
    recommendations_from_passages,
    recommendations_from_rows,
)

Progress = Callable[[int, int, str], None]
MANIFEST_COLUMNS = ("path", "meeting", "submitter", "kind")
# A writer stores at most this many documents (or passages) per hold of the database, in
# one bulk transaction, so readers wait at most a fraction of a second while a long batch
# goes in; and it stores what it has at least every FLUSH_SECONDS, so that progress shows.
CHUNK_DOCUMENTS = 400
CHUNK_PASSAGES = 5000
FLUSH_SECONDS = 2.0


@dataclass(frozen=True)
class IngestRequest:
    """One file to ingest and what is said about it (command line, manifest or form)."""

    name: str
    meeting: object
    submitter: str
    kind: str
    path: Path | None = None
    data: bytes | None = None
    received: str | date | None = None
    actor_type: str | None = None
    title: str | None = None
    is_sample: bool = False  # illustrative text: the app shows the sample banner for it


@dataclass(frozen=True)
class FileOutcome:
    name: str
    status: str  # "stored" | "skipped" | "refused" (and "ready" from validate)
    message: str
    document_id: int | None = None
    passages: int = 0


@dataclass
class BatchReport:
    outcomes: list[FileOutcome] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(o.status == status for o in self.outcomes)

    @property
    def passages(self) -> int:
        return sum(o.passages for o in self.outcomes if o.status == "stored")

    @property
    def exit_code(self) -> int:
        """0 when every file went in (or was already there), 2 when any was refused."""
        return 2 if self.count("refused") else 0

    def summary(self) -> str:
        return (
            f"{self.count('stored')} stored ({self.passages} passages), "
            f"{self.count('skipped')} already present, {self.count('refused')} refused."
        )


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def parse_file(
    request: IngestRequest,
    data: bytes,
    *,
    reference: Reference,
    observers: dict,
    settings: Settings,
    is_sample: bool = False,
) -> ParsedDocument:
    """Everything about one file, checked, without touching the store."""
    name = request.name
    check_name(name, upload=request.path is None)
    fmt = check_content(name, data, max_bytes=settings.max_upload_mb * 1_048_576)
    try:
        meta = build_meta(
            meeting=request.meeting,
            submitter=request.submitter,
            kind=request.kind,
            received=request.received,
            reference=reference,
            observers=observers,
            actor_type=request.actor_type,
            title=request.title,
        )
    except InputFileError:
        raise
    except IEGError as error:
        raise InputFileError(name, str(error)) from error
    raw = READERS[fmt](name, data)
    recommendations, comments = [], []
    if raw.rows is not None:
        if meta.kind == "recommendation_list":
            recommendations = recommendations_from_rows(
                name, raw.rows, meta, reference, row_names=raw.row_names
            )
            passages = []
        elif meta.kind == "comment" and any(k in raw.rows[0] for k in ("recommendation", "number")):
            comments = comments_from_rows(
                name, raw.rows, meta, reference, observers, row_names=raw.row_names
            )
            passages = []
        else:
            passages = passages_from_rows(name, raw.rows)
    else:
        passages = segment(raw.blocks)
        if not passages:
            raise InputFileError(name, "no text passages were found in the file.")
        if meta.kind == "recommendation_list":
            recommendations = recommendations_from_passages(name, passages, meta, reference)
    if len(passages) > settings.max_passages_per_document:
        raise InputFileError(
            name,
            f"the file has {len(passages)} passages, over the limit of "
            f"{settings.max_passages_per_document} per document.",
        )
    characters = sum(len(p.text) for p in passages)
    if characters > settings.max_chars_per_document:
        raise InputFileError(
            name,
            f"the file has {characters:,} characters of text, over the limit of "
            f"{settings.max_chars_per_document:,} per document.",
        )
    return ParsedDocument(
        source_name=Path(name).name,
        source_format=fmt,
        content_hash=content_hash(data),
        meta=meta,
        passages=passages,
        language=dominant_language([p.language for p in passages]),
        n_pages=raw.n_pages,
        recommendations=recommendations,
        comments=comments,
        is_sample=is_sample,
    )


def _read_bytes(request: IngestRequest, settings: Settings) -> bytes:
    if request.data is not None:
        return request.data
    if request.path is None:  # read_manifest leaves out a path outside the manifest's folder
        raise InputFileError(
            request.name, "the path leads outside the manifest's folder; list only files in it."
        )
    path = request.path
    if not path.is_file():
        raise InputFileError(request.name, "the file does not exist.")
    limit = settings.max_upload_mb * 1_048_576
    if path.stat().st_size > limit:
        raise InputFileError(
            request.name,
            f"the file is {path.stat().st_size / 1_048_576:.1f} MB, over the "
            f"{settings.max_upload_mb} MB limit.",
        )
    try:
        return path.read_bytes()
    except OSError as error:
        raise InputFileError(
            request.name, f"the file cannot be read ({error.strerror})."
        ) from error


def ingest(
    db: Database,
    requests: Iterable[IngestRequest],
    *,
    settings: Settings,
    source: str = "cli",
    progress: Progress | None = None,
    is_sample: bool = False,
    reference: Reference | None = None,
    user: str | None = None,
) -> BatchReport:
    """Ingest a batch; each file is stored whole, skipped as a duplicate, or refused.

    The writer holds the database only while it stores one chunk of documents (files are
    read and parsed outside it; see CHUNK_DOCUMENTS), so the dashboard keeps answering during
    a long batch and shows the chunk's documents, searchable, once it is let go. A batch
    killed midway leaves whole documents only; running it again stores the rest and skips
    what is there."""
    reference = reference or load_reference()
    user = user or local_operator()
    items = list(requests)
    with Writer(db) as writer:
        writer.sync_reference(reference)
        run_id = writer.start_run(source)
        observers = writer.observers()
        stored_hashes = writer.content_hashes()
    outcomes: list[FileOutcome | None] = [None] * len(items)
    pending: list[tuple[int, ParsedDocument]] = []
    pending_passages = done = 0

    def finish(index: int, outcome: FileOutcome) -> None:
        nonlocal done
        outcomes[index] = outcome
        done += 1
        if progress:
            progress(done, len(items), items[index].name)

    last_flush = time.monotonic()

    def flush() -> None:
        nonlocal last_flush
        stored: list[tuple[int, FileOutcome]] = []
        try:
            _store_chunk(db, pending, user=user, results=stored)
        finally:  # what was committed counts, even when a later transaction failed
            for index, outcome in stored:
                finish(index, outcome)
        pending.clear()
        last_flush = time.monotonic()

    try:
        for index, request in enumerate(items):
            outcome, parsed = _prepare(
                request, settings, reference, observers, stored_hashes, is_sample
            )
            if outcome is not None:
                finish(index, outcome)
                continue
            assert parsed is not None
            stored_hashes.add(parsed.content_hash)
            for actor in [parsed.meta.actor, *(c.actor for c in parsed.comments)]:
                if actor.actor_type in OBSERVER_TYPES:  # known to the rest of the batch
                    observers.setdefault(normalise_name(actor.name), actor)
            pending.append((index, parsed))
            pending_passages += len(parsed.passages)
            if (
                len(pending) >= CHUNK_DOCUMENTS
                or pending_passages >= CHUNK_PASSAGES
                or time.monotonic() - last_flush >= FLUSH_SECONDS
            ):
                flush()
                pending_passages = 0
        flush()
    except BaseException:
        # an internal fault or an interrupt: the run is closed with what was stored, the
        # files not stored counted as refused, so no run is left looking unfinished
        _close_failed_run(db, run_id, outcomes)
        raise
    report = BatchReport([o for o in outcomes if o is not None])
    with Writer(db) as writer:
        if report.count("stored"):  # whole already, unless a run was killed mid-chunk
            writer.update_search_index()
        writer.finish_run(
            run_id,
            added=report.count("stored"),
            passages=report.passages,
            refused=report.count("refused"),
            skipped=report.count("skipped"),
        )
    return report


def _close_failed_run(db: Database, run_id: int, outcomes: list[FileOutcome | None]) -> None:
    """Close a run that a fault or an interrupt stopped: count what was committed as stored,
    index it for search (the chunk being written did not get that far), and count the
    files not stored as refused. Nothing raised here hides the fault being reported."""
    done = BatchReport([o for o in outcomes if o is not None])
    try:
        with Writer(db) as writer:
            if done.count("stored"):
                with contextlib.suppress(Exception):  # the run is closed all the same
                    writer.update_search_index()
            writer.finish_run(
                run_id,
                added=done.count("stored"),
                passages=done.passages,
                refused=len(outcomes) - done.count("stored") - done.count("skipped"),
                skipped=done.count("skipped"),
            )
    except Exception:  # noqa: S110  (the fault being raised is the one to report)
        pass


def validate(
    db: Database,
    requests: Iterable[IngestRequest],
    *,
    settings: Settings,
    reference: Reference | None = None,
) -> list[FileOutcome]:
    """What :func:`ingest` would do with each file, without writing anything: "ready"
    (with its passage count), "skipped" (already stored) or "refused" (with the reason)."""
    reference = reference or load_reference()
    known = _observers(db) if db.exists() else {}
    outcomes = []
    for request in requests:
        try:
            data = _read_bytes(request, settings)
            if db.exists() and _has_hash(db, content_hash(data)):
                outcomes.append(FileOutcome(request.name, "skipped", "already stored."))
                continue
            parsed = parse_file(
                request, data, reference=reference, observers=known, settings=settings
            )
        except IEGError as error:
            message = error.reason if isinstance(error, InputFileError) else str(error)
            outcomes.append(FileOutcome(request.name, "refused", message))
            continue
        extra = []
        if parsed.recommendations:
            extra.append(f"{len(parsed.recommendations)} recommendations")
        if parsed.comments:
            extra.append(f"{len(parsed.comments)} comments")
        outcomes.append(
            FileOutcome(
                request.name,
                "ready",
                f"{parsed.source_format.upper()}, {len(parsed.passages)} passages"
                + (", " + ", ".join(extra) if extra else "")
                + f", language {parsed.language or 'unknown'}.",
                passages=len(parsed.passages),
            )
        )
    return outcomes


def _has_hash(db: Database, digest: str) -> bool:
    return bool(db.scalar("select count(*) from document where content_hash = ?", [digest]))


def _observers(db: Database) -> dict:
    frame = db.query(
        "select name, actor_type, country_iso3 from actor "
        "where actor_type not in ('member_state', 'observer_state')"
    )
    return {
        normalise_name(name): Actor(name, kind, iso3)
        for name, kind, iso3 in frame.itertuples(index=False)
    }


def _prepare(
    request: IngestRequest,
    settings: Settings,
    reference: Reference,
    observers: dict,
    stored_hashes: set[str],
    is_sample: bool,
) -> tuple[FileOutcome | None, ParsedDocument | None]:
    """Read, check and parse one file without holding the database: an outcome when it is
    refused or already stored, else the parsed document."""
    try:
        data = _read_bytes(request, settings)
        if data and content_hash(data) in stored_hashes:
            return FileOutcome(request.name, "skipped", "already stored; nothing changed."), None
        parsed = parse_file(
            request,
            data,
            reference=reference,
            observers=observers,
            settings=settings,
            is_sample=is_sample or request.is_sample,
        )
    except IEGError as error:
        message = error.reason if isinstance(error, InputFileError) else str(error)
        return FileOutcome(request.name, "refused", message), None
    return None, parsed


def _store_chunk(
    db: Database,
    chunk: list[tuple[int, ParsedDocument]],
    *,
    user: str,
    results: list[tuple[int, FileOutcome]],
) -> None:
    """Store parsed documents during one short hold of the database (readers wait at most
    this long). Runs of plain documents go in together, one transaction and one bulk insert
    per table; a recommendation list or comment file goes in alone, in its own transaction.
    A crash loses the documents of the transaction being written, never part of one.

    Each transaction's outcomes are appended to ``results`` as soon as it is committed, so
    when a later one raises the caller still knows what was stored."""
    if not chunk:
        return
    start = len(results)
    with Writer(db) as writer:
        run: list[tuple[int, ParsedDocument]] = []
        for index, parsed in chunk:
            if parsed.recommendations or parsed.comments:
                _store_plain(writer, run, user=user, results=results)
                run = []
                results.append(_store_one(writer, index, parsed, user=user))
            else:
                run.append((index, parsed))
        _store_plain(writer, run, user=user, results=results)
        if any(outcome.status == "stored" for _, outcome in results[start:]):
            # before the gate opens, so no reader sees documents that search cannot find
            writer.update_search_index(thorough=False)


def _store_plain(
    writer: Writer,
    run: list[tuple[int, ParsedDocument]],
    *,
    user: str,
    results: list[tuple[int, FileOutcome]],
) -> None:
    """Documents without recommendations or comments, in one transaction; their outcomes
    are appended to ``results`` once it is committed."""
    if not run:
        return
    hashes = [parsed.content_hash for _, parsed in run]
    present = writer.stored_hashes(hashes)  # stored meanwhile by another writer
    fresh = [(i, p) for i, p in run if p.content_hash not in present]
    try:
        ids = writer.add_documents([p for _, p in fresh], user=user)
    except duckdb.ConstraintException:  # another writer came between: one by one
        for index, parsed in run:
            results.append(_store_one(writer, index, parsed, user=user))
        return
    for index, parsed in run:
        if parsed.content_hash in present:
            results.append((index, _skipped(parsed.source_name)))
        else:
            results.append((index, _stored(parsed, ids[parsed.content_hash])))


def _skipped(name: str) -> FileOutcome:
    return FileOutcome(name, "skipped", "already stored; nothing changed.")


def _stored(parsed: ParsedDocument, document_id: int) -> FileOutcome:
    extra = "".join(
        f" and {n} {what}"
        for n, what in (
            (len(parsed.recommendations), "recommendations"),
            (len(parsed.comments), "comments"),
        )
        if n
    )
    message = f"stored as document {document_id} with {len(parsed.passages)} passages{extra}."
    return FileOutcome(parsed.source_name, "stored", message, document_id, len(parsed.passages))


def _store_one(
    writer: Writer, index: int, parsed: ParsedDocument, *, user: str
) -> tuple[int, FileOutcome]:
    """One document in its own transaction (recommendations and comments are checked
    against the store one by one, and may refuse the file)."""
    name = parsed.source_name
    try:
        if writer.has_hash(parsed.content_hash):  # stored meanwhile by another writer
            raise duckdb.ConstraintException("duplicate content hash")
        document_id = writer.add_document(parsed, user=user)
    except IEGError as error:
        message = error.reason if isinstance(error, InputFileError) else str(error)
        return index, FileOutcome(name, "refused", message)
    except duckdb.ConstraintException:
        return index, _skipped(name)
    return index, _stored(parsed, document_id)


def read_manifest(path: Path) -> list[IngestRequest]:
    """A manifest CSV: one row per file with path (relative to the manifest), meeting,
    submitter, kind, and optionally received, actor_type, title."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as error:
        raise ManifestError(f"The manifest {path} does not exist.") from error
    except UnicodeDecodeError as error:
        raise ManifestError(f"The manifest {path} is not UTF-8 text.") from error
    reader = csv.DictReader(io.StringIO(text))
    header = [(h or "").strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in MANIFEST_COLUMNS if c not in header]
    if missing:
        raise ManifestError(
            f"The manifest {path.name} lacks the column{'s' if len(missing) > 1 else ''} "
            f"{', '.join(missing)}; it needs {', '.join(MANIFEST_COLUMNS)} "
            "(and may have received, actor_type, title, is_sample)."
        )
    requests = []
    for row_no, row in enumerate(reader, start=2):
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items() if k}
        if not row.get("path"):
            continue
        file_path: Path | None = (path.parent / row["path"]).resolve()
        if not file_path.is_relative_to(path.parent.resolve()):
            file_path = None  # refused, with its reason, when the batch reaches it
        requests.append(
            IngestRequest(
                name=row["path"],
                path=file_path,
                meeting=row["meeting"],
                submitter=row["submitter"],
                kind=row["kind"],
                received=row.get("received") or None,
                actor_type=row.get("actor_type") or None,
                title=row.get("title") or None,
                is_sample=_flag(path, row_no, "is_sample", row.get("is_sample", "")),
            )
        )
    if not requests:
        raise ManifestError(f"The manifest {path.name} lists no files.")
    return requests


def _flag(path: Path, row_no: int, column: str, value: str) -> bool:
    text = value.strip().lower()
    if text not in ("true", "yes", "1", "false", "no", "0", ""):
        raise ManifestError(
            f"Row {row_no} of the manifest {path.name} has {column} '{value}'; use true or "
            "false (or yes/no, 1/0, or leave it empty)."
        )
    return text in ("true", "yes", "1")
