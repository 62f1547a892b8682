"""``classify_store``: what it stores, and that classifying in worker processes stores
exactly what classifying in this process does."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ieg_analysis.ingest.pipeline import IngestRequest, ingest
from ieg_analysis.nlp.apply import classify_store
from ieg_analysis.settings import Settings
from ieg_analysis.store.db import Database
from tests.factories import SUBMISSION_PARAGRAPHS, make_docx
from tests.nlp.conftest import SHIPPED_MODELS

PARAGRAPHS = [
    *SUBMISSION_PARAGRAPHS,
    "4. Ghana and the Republic of Korea exchanged evidence through their 24/7 points of "
    "contact under a mutual legal assistance request.",
    "5. Notre pays souhaiterait recevoir une assistance technique pour former ses juges à "
    "la preuve électronique.",
    "6. Nuestro país ofrece cursos sobre conservación rápida de datos a los Estados de la región.",
    "7. Спасибо, господин Председатель.",
]


@pytest.fixture(scope="module")
def unclassified_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("apply") / "apply.duckdb"
    items = [("para", text) for text in PARAGRAPHS * 3]
    request = IngestRequest(
        name="ghana.docx",
        data=make_docx(items),
        meeting=5,
        submitter="Ghana",
        kind="written_submission",
        received="2019-03-01",
    )
    report = ingest(
        Database(path), [request], settings=Settings(db_path=path, model_dir=SHIPPED_MODELS)
    )
    assert report.exit_code == 0, report.outcomes
    return path


def _stored(db: Database) -> dict[str, list[tuple]]:
    return {
        "scores": db.query(
            # coalesce: nan != nan, and unclassified rows have no scores
            "select passage_id, classified, coalesce(reason, '') as reason, "
            "coalesce(topic, '') as topic, topic_labels::varchar as labels, "
            "coalesce(capacity_label, '') as capacity, coalesce(round(need, 5), -1) as need, "
            "coalesce(round(prevention, 5), -1) as prevention "
            "from passage_classification order by passage_id"
        )
        .to_records(index=False)
        .tolist(),
        "terms": db.query(
            "select source_id, term_id from text_term where source = 'passage' "
            "order by source_id, term_id"
        )
        .to_records(index=False)
        .tolist(),
        "mentions": db.query(
            "select passage_id, iso3, start_char, end_char from passage_mention "
            "order by passage_id, start_char"
        )
        .to_records(index=False)
        .tolist(),
    }


@pytest.mark.slow
def test_workers_store_the_same_as_one_process(unclassified_db: Path, classifier, tmp_path):
    serial, parallel = tmp_path / "serial.duckdb", tmp_path / "parallel.duckdb"
    shutil.copy(unclassified_db, serial)
    shutil.copy(unclassified_db, parallel)
    one = classify_store(Database(serial), classifier, model_dir=SHIPPED_MODELS, workers=0)
    two = classify_store(
        Database(parallel), classifier, model_dir=SHIPPED_MODELS, workers=2, batch_size=7
    )
    assert one == two and one.passages >= len(PARAGRAPHS)
    first, second = _stored(Database(serial)), _stored(Database(parallel))
    assert first == second
    assert len(first["scores"]) == one.passages
    mentioned = {iso3 for _, iso3, _, _ in first["mentions"]}
    assert {"GHA", "KOR"} <= mentioned and "PRK" not in mentioned
    reasons = {reason for _, classified, reason, *_ in first["scores"] if not classified}
    assert any("'ru'" in reason for reason in reasons)


def test_classify_store_twice_classifies_nothing_new(unclassified_db: Path, classifier, tmp_path):
    path = tmp_path / "again.duckdb"
    shutil.copy(unclassified_db, path)
    first = classify_store(Database(path), classifier, model_dir=SHIPPED_MODELS, workers=0)
    again = classify_store(Database(path), classifier, model_dir=SHIPPED_MODELS)
    assert first.passages > 0 and again.passages == 0


@pytest.mark.parametrize("deferred", [True, False])  # refreshed once at the end / per batch
def test_the_materialised_facts_are_current_after_classifying(
    unclassified_db: Path, classifier, tmp_path, deferred: bool, monkeypatch
) -> None:
    from ieg_analysis.nlp import apply
    from tests.store.test_facts import assert_current

    monkeypatch.setattr(apply, "DEFERRED_REFRESH_ABOVE", 0 if deferred else 10**9)
    path = tmp_path / "facts.duckdb"
    shutil.copy(unclassified_db, path)
    report = classify_store(
        Database(path), classifier, model_dir=SHIPPED_MODELS, workers=0, batch_size=3
    )
    assert report.passages > 4 * 3
    assert_current(Database(path))
