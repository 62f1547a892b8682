"""Create a database file atomically: built beside the target, then moved into place, so a
reader never sees a half-built database and a failed build leaves nothing behind."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

from ..ingest.pipeline import Progress
from ..reference import load_reference
from ..settings import Settings
from ..store.db import Database
from ..store.writer import Writer


def create_database(
    path: Path,
    settings: Settings,
    *,
    sample: bool,
    seed: int = 2018,
    scale: float = 1.0,
    progress: Progress | None = None,
    classify: bool = True,
) -> str:
    """Build a new database at ``path`` (replacing any file there); return a summary."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = path.with_name(f".{path.name}.building-{os.getpid()}-{uuid.uuid4().hex[:8]}")
    for leftover in (staging, staging.with_name(staging.name + ".wal")):
        leftover.unlink(missing_ok=True)
    db = Database(staging)
    try:
        if sample:
            from .build import build_sample

            build = build_sample(
                db, settings.with_db(staging), seed=seed, scale=scale, progress=progress
            )
            report = build.report
            summary = (
                f"Sample: {report.count('stored')} files stored, {report.passages} passages, "
                f"{report.count('refused')} refused."
            )
            if report.count("refused"):
                reasons = "; ".join(
                    f"{o.name}: {o.message}" for o in report.outcomes if o.status == "refused"
                )
                raise RuntimeError(f"the sample did not ingest cleanly: {reasons[:500]}")
            if classify:
                from ..nlp.apply import classify_store
                from ..nlp.classifier import Classifier

                result = classify_store(
                    db, Classifier.load(settings.model_dir), model_dir=settings.model_dir
                )
                summary += f" Classified with model {result.version}."
        else:
            with Writer(db) as writer:
                writer.sync_reference(load_reference())
            summary = "Empty database with the reference tables."
        os.replace(staging, path)
        Path(str(path) + ".wal").unlink(missing_ok=True)
    finally:
        staging.unlink(missing_ok=True)
        Path(str(staging) + ".wal").unlink(missing_ok=True)
    return summary
