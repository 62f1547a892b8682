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
