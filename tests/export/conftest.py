from __future__ import annotations

from pathlib import Path

import pytest

from ieg_analysis.ingest.pipeline import IngestRequest, ingest
from ieg_analysis.settings import Settings
from ieg_analysis.store.db import Database
from tests.factories import SUBMISSION_PARAGRAPHS, fake_classify, make_docx, make_pdf


@pytest.fixture(scope="session")
def export_db(tmp_path_factory) -> Database:
    """Meeting 4: Ghana (on time), Chile (late, 2018-04-01 after the 13 March deadline) and
    an observer; meeting 6: Japan; two recommendations. Labelled by keyword rules and
    marked as sample data."""
    path = tmp_path_factory.mktemp("export") / "export.duckdb"
    settings = Settings(db_path=path, model_dir=path.parent / "models")
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
            data=make_docx(
                [
                    ("heading", "Criminalization"),
                    ("para", "1. Chile criminalizes ransomware under its new law."),
                    ("para", "2. Chile would welcome training for police on forensic work."),
                    ("para", "3. Chile thanks the Chair."),
                ]
            ),
            meeting=4,
            submitter="Chile",
            kind="written_submission",
            received="2018-04-01",
        ),
        IngestRequest(
            name="lab.docx",
            data=make_docx([("para", "1. The lab offers awareness courses for schools.")]),
            meeting=4,
            submitter="University of Northbridge Cybercrime Lab",
            actor_type="academia",
            kind="written_submission",
            received="2018-03-02",
        ),
        IngestRequest(
            name="japan.docx",
            data=make_docx([("para", "1. Japan offers mutual legal assistance training.")]),
            meeting=6,
            submitter="Japan",
            kind="written_submission",
            received="2020-07-01",
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
    db = Database(path)
    report = ingest(db, requests, settings=settings)
    assert report.exit_code == 0, report.outcomes
    fake_classify(db)
    with db.connect(write=True) as connection:
        connection.execute("update document set is_sample = true")
    return db


@pytest.fixture
def cli_env(export_db, monkeypatch) -> Path:
    monkeypatch.setenv("IEG_DB", str(export_db.path))
    return Path(export_db.path)
