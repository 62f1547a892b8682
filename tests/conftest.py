from __future__ import annotations

from pathlib import Path

import pytest

from ieg_analysis.reference import load_reference
from ieg_analysis.settings import REPO_ROOT, Settings
from ieg_analysis.store.db import Database


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        db_path=tmp_path / "test.duckdb", model_dir=tmp_path / "models", max_upload_mb=2
    )


@pytest.fixture
def db(settings: Settings) -> Database:
    return Database(settings.db_path)


@pytest.fixture(scope="session")
def reference():
    return load_reference()


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory) -> Database:
    """The whole bundled sample, built and classified once per test session (under a
    minute)."""
    from ieg_analysis.sample.database import create_database

    path = tmp_path_factory.mktemp("sample") / "sample.duckdb"
    settings = Settings(db_path=path, model_dir=REPO_ROOT / "models")  # the shipped models
    create_database(path, settings, sample=True)
    return Database(path)


SMALL_TRAINING_PER_LANGUAGE = 90


@pytest.fixture(scope="session")
def small_training_dir(tmp_path_factory) -> Path:
    """A training folder of about SMALL_TRAINING_PER_LANGUAGE written passages per language,
    spread over every file (so every genre, topic and capacity label occurs): the training
    tests exercise the whole workflow in seconds instead of training on all the data."""
    import json

    from ieg_analysis.nlp.data import read_training

    by_language: dict[str, list] = {}
    for passage in read_training():
        by_language.setdefault(passage.lang, []).append(passage)
    target = tmp_path_factory.mktemp("training")
    files: dict[str, list[str]] = {}  # the writers' files, as in data/training
    for passages in by_language.values():
        step = max(1, len(passages) // SMALL_TRAINING_PER_LANGUAGE)
        for p in passages[::step]:
            record = {"id": p.id, "text": p.text, "lang": p.lang, "topics": list(p.topics)}
            record |= {"capacity": p.capacity, "genre": p.genre}
            files.setdefault(p.source, []).append(json.dumps(record, ensure_ascii=False) + "\n")
    for source, lines in files.items():
        (target / f"{source}.jsonl").write_text("".join(lines), encoding="utf-8")
    return target
