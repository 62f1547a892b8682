"""The Secretariat's writes, for the Data page: check uploads, store them, classify what is
new, delete a document. Every function takes the user it acts for, recorded in the audit log;
the caller (the page) has already checked that this user is signed in as Secretariat."""

from __future__ import annotations

from collections.abc import Callable

from .errors import NotAuthorisedError
from .ingest.pipeline import BatchReport, FileOutcome, IngestRequest, ingest, validate
from .settings import Settings
from .store.db import Database
from .store.writer import Writer

Progress = Callable[[int, int, str], None]


def check_uploads(
    db: Database, requests: list[IngestRequest], *, settings: Settings
) -> list[FileOutcome]:
    """Each file's outcome if it were stored now; nothing is written."""
    return validate(db, requests, settings=settings)


def store_uploads(
    db: Database,
    requests: list[IngestRequest],
    *,
    settings: Settings,
    user: str,
    progress: Progress | None = None,
) -> BatchReport:
    """Store the files, each whole or not at all, as ``user``."""
    _require(user)
    return ingest(db, requests, settings=settings, source="upload", progress=progress, user=user)


def classify_new(db: Database, settings: Settings, progress: Progress | None = None) -> str:
    """Classify what the current model has not classified yet; a sentence saying what."""
    from .nlp.apply import classify_store
    from .nlp.classifier import Classifier

    if not (settings.model_dir / "meta.json").is_file():
        return "No trained model is installed; the new passages are not classified yet."
    report = classify_store(
        db, Classifier.load(settings.model_dir), model_dir=settings.model_dir, progress=progress
    )
    return f"Model {report.version} classified {report.passages:,} new passages."


def delete_document(db: Database, document_id: int, *, user: str) -> str:
    """Delete a document and everything derived from it, in one transaction, as ``user``."""
    _require(user)
    with Writer(db) as writer:
        detail = writer.delete_document(document_id, user=user)
        writer.update_search_index()  # its passages out of the index, as a rebuild would
    return detail


def _require(user: str) -> None:
    if not user or not user.strip():
        raise NotAuthorisedError()
