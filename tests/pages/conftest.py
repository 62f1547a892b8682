from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st

from ieg_analysis.ingest.pipeline import IngestRequest, ingest
from ieg_analysis.settings import Settings
from tests.factories import SUBMISSION_PARAGRAPHS, fake_classify, make_docx, make_pdf

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def small_db(tmp_path: Path, monkeypatch) -> Path:
    """A database with three documents and two recommendations, labelled by keyword rules
    (``fake_classify``), selected via IEG_DB."""
    path = tmp_path / "pages.duckdb"
    settings = Settings(db_path=path, model_dir=tmp_path / "models")
    from ieg_analysis.store.db import Database

    requests = [
        IngestRequest(
            name="ghana.pdf",
            data=make_pdf([SUBMISSION_PARAGRAPHS]),
            meeting=4,
            submitter="Ghana",
            kind="written_submission",
            received="2018-03-01",
        ),
        IngestRequest(
            name="chile.docx",
            data=make_docx([("heading", "Prevention"), ("para", "1. Schools teach safety.")]),
            meeting=6,
            submitter="Chile",
            kind="written_submission",
            received="2020-07-20",
        ),
        IngestRequest(
            name="recs.csv",
            data=b"number,topic,text\n1,prevention,States should raise awareness.\n"
            b"2,criminalization,States should criminalize ransomware.\n",
            meeting=4,
            submitter="UNODC Secretariat",
            actor_type="unodc",
            kind="recommendation_list",
        ),
    ]
    report = ingest(Database(path), requests, settings=settings)
    assert report.exit_code == 0, report.outcomes
    fake_classify(Database(path))
    monkeypatch.setenv("IEG_DB", str(path))
    st.cache_resource.clear()
    st.cache_data.clear()
    yield path
    st.cache_resource.clear()
    st.cache_data.clear()
