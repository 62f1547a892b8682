from __future__ import annotations

import dataclasses

import duckdb
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


def test_documents_in_bulk_are_stored_whole_in_order_with_audit_entries(db: Database) -> None:
    with Writer(db) as writer:
        ids = writer.add_documents(
            [_document("a"), _document("b", ("Three.", "Four.", "Five."))], user="tester"
        )
        assert ids == {"a": 1, "b": 2}
        with pytest.raises(duckdb.ConstraintException):  # one stored already: none stored
            writer.add_documents([_document("c"), _document("a")], user="tester")
        assert writer.stored_hashes(["a", "c", "b"]) == {"a", "b"}
    passages = db.query("select id, document_id, seq, text from passage order by id")
    assert passages["document_id"].tolist() == [1, 1, 2, 2, 2]
    assert passages["text"].tolist() == ["One.", "Two.", "Three.", "Four.", "Five."]
    audit = db.query("select action, target from audit_log order by id")
    assert audit.values.tolist() == [["add_document", "document 1"], ["add_document", "document 2"]]
    assert db.scalar("select value from meta where key = 'data_version'") == "1"


_TEXTS = (
    "Electronic evidence and the chain of custody of electronic evidence.",
    "Mutual legal assistance requests take months.",
    "Capacity building: training for judges on evidence.",
    "L'État renforce la coopération internationale.",
    "1, 2, 3 - and the.",  # no term left after the stop words
)


def _index(db: Database) -> dict:
    """The index's content, independent of its internal ids, and the scores of queries."""
    tables = {
        "stats": "select num_docs, avgdl from fts_main_passage.stats",
        "docs": "select name, len from fts_main_passage.docs order by name",
        "dict": "select term, df from fts_main_passage.dict order by term",
        "terms": "select d.name, x.term, count(*) as n from fts_main_passage.terms t "
        "join fts_main_passage.docs d using (docid) join fts_main_passage.dict x using (termid) "
        "group by all order by all",
    }
    found = {name: db.query(sql).values.tolist() for name, sql in tables.items()}
    for words in ("evidence", "legal assistance", "coopération", "training judges"):
        found[words] = db.query(
            "select id, round(fts_main_passage.match_bm25(id, ?), 9) as score from passage "
            "where score is not null order by id",
            [words],
        ).values.tolist()
    return found


def test_search_index_extended_with_new_passages_equals_a_rebuild(db: Database) -> None:
    with Writer(db) as writer:
        writer.add_documents([_document("a", _TEXTS[:3])])
        assert writer.update_search_index() == "built"
        assert writer.update_search_index() == "current"
        writer.add_documents([_document("b", _TEXTS[1:])])
        assert writer.update_search_index(thorough=False) == "extended"
        writer.add_documents([_document("c", _TEXTS[3:])])
        assert writer.update_search_index() == "extended"
    extended = _index(db)
    assert extended["evidence"] and extended["coopération"]
    with Writer(db) as writer:
        writer.rebuild_search_index()
    assert _index(db) == extended


def test_search_index_pruned_of_deleted_passages_equals_a_rebuild(db: Database) -> None:
    with Writer(db) as writer:
        writer.add_documents(
            [_document("a", _TEXTS[:2]), _document("b", _TEXTS[2:]), _document("c", _TEXTS)]
        )
        writer.update_search_index()
        writer.delete_document(1, user="tester")
        assert writer.update_search_index(thorough=False) == "current"  # does not look
        assert writer.update_search_index() == "pruned"
        writer.con.execute("delete from passage where document_id = 2")  # as if killed
        writer.add_documents([_document("d", _TEXTS[1:3])])
        assert writer.update_search_index() == "extended"  # and pruned
    pruned = _index(db)
    assert len(pruned["docs"]) == len(_TEXTS) + 2
    with Writer(db) as writer:
        writer.rebuild_search_index()
    assert _index(db) == pruned


def test_a_deleted_passage_id_is_never_given_again(db: Database) -> None:
    """Until a thorough index update prunes them, deleted passages stay in the search index
    under their ids: a new passage must not take one of them (a process killed between the
    deletion and the update, or another one ingesting meanwhile, would leave it indexed
    under the old text)."""
    with Writer(db) as writer:
        writer.add_documents([_document("a", _TEXTS[:2]), _document("b", _TEXTS[2:])])
        writer.update_search_index()
        highest = writer.con.execute("select max(id) from passage").fetchone()[0]
        writer.delete_document(2, user="tester")  # the highest ids; the index still has them
        writer.add_document(_document("c", ("Ransomware attacks on hospitals.",)))
        writer.delete_document(3, user="tester")  # the highest again; never indexed
        writer.add_documents([_document("d", ("Mutual legal assistance requests.",))])
        new_ids = [
            r[0] for r in writer.con.execute("select id from passage where id > 2").fetchall()
        ]
        assert min(new_ids) == highest + 2  # neither the indexed nor the unindexed ids again
        assert writer.update_search_index() in {"extended", "pruned"}
    index = _index(db)
    with Writer(db) as writer:
        writer.rebuild_search_index()
    assert _index(db) == index
