from __future__ import annotations

from pathlib import Path

import pytest

from ieg_analysis.ingest.pipeline import IngestRequest, ingest
from ieg_analysis.settings import Settings
from ieg_analysis.store.db import Database

# Two recommendation lists: 4.1 / 5.1 and 4.2 / 5.2 say the same things; 4.3 stands alone.
MEETING_4 = (
    "number,topic,text\n"
    '1,international_cooperation,"Member States should designate a 24/7 point of contact '
    'for urgent requests for assistance in cybercrime investigations."\n'
    '2,prevention,"Member States should conduct public awareness campaigns on the risks of '
    'cybercrime for children and older persons."\n'
    '3,criminalization,"Member States should criminalize the non-consensual distribution of '
    'intimate images."\n'
)
MEETING_5 = (
    "number,topic,text\n"
    '1,electronic_evidence,"Member States should designate a point of contact available 24/7 '
    'to handle urgent requests for assistance in cybercrime investigations."\n'
    '2,law_enforcement,"States should conduct awareness campaigns on cybercrime risks for '
    'children and older persons, with the police."\n'
)


def build_recommendation_db(path: Path) -> Database:
    settings = Settings(db_path=path, model_dir=path.parent / "models")
    requests = [
        IngestRequest(
            name=f"recs{meeting}.csv",
            data=data.encode(),
            meeting=meeting,
            submitter="UNODC Secretariat",
            actor_type="unodc",
            kind="recommendation_list",
        )
        for meeting, data in ((4, MEETING_4), (5, MEETING_5))
    ]
    db = Database(path)
    report = ingest(db, requests, settings=settings)
    assert report.exit_code == 0, report.outcomes
    return db


@pytest.fixture
def rec_db(tmp_path: Path) -> Database:
    return build_recommendation_db(tmp_path / "recs.duckdb")
