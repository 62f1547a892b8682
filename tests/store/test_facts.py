"""passage_fact, passage_cube and term_cube (migrations 009, 011, 012) stay equal to what
v_passage says after every kind of write, and readers fall back to the views when a write
went around the writer."""

from __future__ import annotations

import pandas as pd
import pytest

from ieg_analysis.records import Actor, ParsedDocument
from ieg_analysis.store.db import Database
from ieg_analysis.store.facts import (
    CUBE_SQL,
    TERM_CUBE_SQL,
    cube_source,
    passage_source,
    term_cube_source,
)
from ieg_analysis.store.writer import Writer
from tests.factories import fake_classify, parsed_document

TEXTS = (
    "Ghana would welcome training for prosecutors on electronic evidence.",
    "Ghana offers mutual legal assistance training to its neighbours.",
    "A general remark on the agenda.",
)


def _document(content_hash: str, actor: Actor, meeting: int = 5) -> ParsedDocument:
    return parsed_document(content_hash, actor, meeting, TEXTS)


def _frame(db: Database, sql: str, params: list | None = None) -> pd.DataFrame:
    """The rows of ``sql`` as comparable values, in a fixed order."""
    frame = db.query(sql, params)
    frame = frame.astype(object).where(frame.notna(), None)
    for column in frame.columns:
        frame[column] = frame[column].map(
            lambda v: tuple(v) if hasattr(v, "__len__") and not isinstance(v, str) else v
        )
    order = frame.apply(lambda row: repr(tuple(row)), axis=1).sort_values().index
    return frame.loc[order].reset_index(drop=True)


def assert_current(db: Database) -> None:
    """The materialised tables are used, and hold what the live view computes."""
    assert passage_source(db) == "passage_fact"
    assert cube_source(db) == "passage_cube"
    facts = _frame(db, "select * from passage_fact")
    live = _frame(db, "select * exclude (text) from v_passage")
    pd.testing.assert_frame_equal(facts, live)
    cube_columns = (
        "meeting, kind, language, actor_id, actor_name, topic_labels, capacity_label, "
        "classified, topic_bin, capacity_bin, n, need_passage, provision_passage"
    )
    cube = _frame(db, f"select {cube_columns} from passage_cube")  # noqa: S608
    expected = _frame(
        db,
        f"select {cube_columns} from ({CUBE_SQL.format(source='v_passage')})",  # noqa: S608
    )
    pd.testing.assert_frame_equal(cube, expected)
    assert term_cube_source(db) == "term_cube"
    terms = _frame(db, "select * from term_cube")
    expected_terms = _frame(db, TERM_CUBE_SQL.format(source="v_passage"))
    pd.testing.assert_frame_equal(terms, expected_terms)


def match_terms(db: Database) -> None:
    """Store matched terms for every passage (the current model's scores kept as they are):
    "training" and "evidence" where the text says so, twice for a repeated match."""
    with Writer(db) as writer:
        version = writer.con.execute(
            "select value from meta where key = 'model_version'"
        ).fetchone()[0]
        scores = writer.con.execute(
            "select * from passage_classification where model_version = ?", [version]
        ).df()
        texts = dict(writer.con.execute("select id, text from passage").fetchall())
        rows = []
        for passage_id in scores["passage_id"]:
            text = texts[int(passage_id)].lower()
            for word, term in (("training", "training"), ("evidence", "electronic_evidence")):
                if word in text:
                    rows += [(int(passage_id), term, 0, 5), (int(passage_id), term, 6, 9)]
        terms = pd.DataFrame(rows, columns=["source_id", "term_id", "start_char", "end_char"])
        writer.store_classifications("passage", version, scores, terms)


@pytest.fixture
def stored(db: Database, reference) -> Database:
    with Writer(db) as writer:
        writer.sync_reference(reference)
        writer.add_document(_document("a", Actor("Ghana", "member_state", "GHA")))
        writer.add_document(_document("b", Actor("Kenya", "member_state", "KEN"), meeting=6))
    return db


def test_ingest_classify_correct_delete_keep_the_tables_current(stored: Database) -> None:
    db = stored
    assert_current(db)  # ingested, not classified
    fake_classify(db)
    assert_current(db)
    assert db.scalar("select count(*) from passage_cube where classified") > 0
    match_terms(db)
    assert_current(db)
    assert db.scalar("select sum(n) from term_cube") == 6  # 2 training + 1 evidence, x2
    passage = int(db.scalar("select min(id) from passage"))
    with Writer(db) as writer:
        writer.record_correction(
            passage, user="alice", topics=["prevention"], topic="prevention", capacity="none"
        )
    assert_current(db)
    assert db.scalar("select corrected from passage_fact where passage_id = ?", [passage])
    with Writer(db) as writer:
        writer.add_document(_document("c", Actor("Ghana", "member_state", "GHA"), meeting=6))
    assert_current(db)
    with Writer(db) as writer:  # the bulk path of an ingest run's chunks
        writer.add_documents(
            [
                _document("d", Actor("Chile", "member_state", "CHL"), meeting=4),
                _document("e", Actor("Ghana", "member_state", "GHA"), meeting=4),
            ]
        )
    assert_current(db)
    with Writer(db) as writer:
        first = int(writer.con.execute("select min(id) from document").fetchone()[0])
        writer.delete_document(first, user="alice")
    assert_current(db)
    match_terms(db)
    assert_current(db)
    fake_classify(db, version="test-2")  # a new model version: rebuilt whole
    assert_current(db)


def test_a_write_around_the_writer_makes_readers_use_the_views(stored: Database) -> None:
    db = stored
    fake_classify(db)
    with Writer(db) as writer:  # as a bulk load would: new rows, data version bumped
        writer.con.execute("delete from passage_classification where passage_id = 1")
        writer._bump_version()
    assert passage_source(db) == "v_passage"
    assert cube_source(db).startswith("(")
    assert term_cube_source(db).startswith("(")
    assert db.scalar(f"select sum(n) from {cube_source(db)}") == 6  # noqa: S608
    with Writer(db) as writer:  # the next write through the writer rebuilds them whole
        writer.rebuild_search_index()
    assert_current(db)


def test_refresh_rebuilds_the_tables_whole(stored: Database) -> None:
    with Writer(stored) as writer:
        writer.con.execute("delete from passage_cube")
        writer.con.execute("delete from term_cube")
        writer.refresh_facts()
    assert_current(stored)
