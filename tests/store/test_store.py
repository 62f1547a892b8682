from __future__ import annotations

import dataclasses

import pytest

from ieg_analysis.records import Actor, DocumentMeta, ParsedDocument, PassageDraft
from ieg_analysis.store.db import Database, QueryTimeoutError, fts_extension_path
from ieg_analysis.store.schema import migrations
from ieg_analysis.store.writer import Writer


def _document(content_hash: str = "h1", texts: tuple[str, ...] = ("One.", "Two.")):
    return ParsedDocument(
        source_name="x.txt",
        source_format="txt",
        content_hash=content_hash,
        meta=DocumentMeta(meeting=4, actor=Actor("Ghana", "member_state", "GHA"), kind="statement"),
        passages=[
            PassageDraft(i, None, str(i), text, "en") for i, text in enumerate(texts, start=1)
        ],
        language="en",
    )


def test_migrations_are_applied_once(db: Database) -> None:
    assert db.initialise() == [number for number, _ in migrations()]
    assert db.initialise() == []
    assert db.is_current()


def test_a_document_is_stored_whole_or_not_at_all(db: Database, reference) -> None:
    with Writer(db) as writer:
        writer.sync_reference(reference)
        writer.add_document(_document())
        broken = _document("h2")
        broken.passages.append(dataclasses.replace(broken.passages[0], text=None))  # not null
        with pytest.raises(Exception):  # noqa: B017 - any database error
            writer.add_document(broken)
    assert db.scalar("select count(*) from document") == 1
    assert db.scalar("select count(*) from passage") == 2
    assert db.scalar("select count(*) from actor") == 1


def test_passage_ids_stay_unique_across_documents(db: Database) -> None:
    with Writer(db) as writer:
        writer.add_document(_document("a"))
        writer.add_document(_document("b", ("Three.", "Four.", "Five.")))
    ids = db.query("select id from passage order by id")["id"].tolist()
    assert ids == [1, 2, 3, 4, 5]


def test_values_are_bound_never_spliced(db: Database) -> None:
    with Writer(db) as writer:
        writer.add_document(_document())
    hostile = "x' or '1'='1"
    frame = db.query("select * from document where source_name = ?", [hostile])
    assert frame.empty
    assert db.scalar("select count(*) from document") == 1


def test_row_cap_and_time_limit(tmp_path) -> None:
    db = Database(tmp_path / "cap.duckdb", timeout_s=0.3, row_cap=10)
    db.initialise()
    assert len(db.query("select * from range(1000)")) == 10
    with pytest.raises(QueryTimeoutError, match="longer than 0.3 s"):
        db.query("select count(*) from range(100000000000) a")


def test_full_text_search_loads_offline(db: Database) -> None:
    assert fts_extension_path() is not None
    with Writer(db) as writer:
        writer.add_document(
            _document(
                texts=(
                    "Electronic evidence and chain of custody.",
                    "Mutual legal assistance requests.",
                )
            )
        )
        writer.rebuild_search_index()
    hits = db.query(
        "select text, fts_main_passage.match_bm25(id, ?) as score from passage "
        "where score is not null order by score desc",
        ["evidence"],
    )
    assert hits["text"].tolist() == ["Electronic evidence and chain of custody."]
