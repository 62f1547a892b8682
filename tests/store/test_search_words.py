"""Quoted phrases narrowed by the index (search_word, migration 013; analytics/phrases.py)
find exactly what the text check alone finds, and the writer keeps search_word as a full
build would have it."""

from __future__ import annotations

import pytest

from ieg_analysis.analytics import explorer
from ieg_analysis.analytics.explorer import SearchQuery, _plan, search_passages
from ieg_analysis.analytics.filters import Filters
from ieg_analysis.analytics.phrases import token_patterns
from ieg_analysis.records import Actor, ParsedDocument
from ieg_analysis.store.db import Database
from ieg_analysis.store.writer import Writer
from tests.factories import parsed_document

TEXTS = (
    "Training on mutual legal assistance and electronic evidence.",
    "Illegal access: the legality of mutual-legal help is debated.",
    "MUTUAL LEGAL ASSISTANCE treaties speed up cooperation.",
    "Mútual légal assistance in Côte d'Ivoire, under Article 15bis.",
    "Chain of custody for electronic records; the chain-of-custody form.",
    "Prevention campaigns in schools raise awareness of the risks.",
    "Nonmutual legalese is not mutual legal assistance.",
)


def _document(name: str, actor: Actor, meeting: int, texts=TEXTS) -> ParsedDocument:
    return parsed_document(name, actor, meeting, texts)


@pytest.fixture
def searchable(db: Database, reference) -> Database:
    with Writer(db) as writer:
        writer.sync_reference(reference)
        writer.add_document(_document("a", Actor("Ghana", "member_state", "GHA"), 5))
        writer.add_document(_document("b", Actor("France", "member_state", "FRA"), 5))
        writer.rebuild_search_index()
        # stored after the index was built: not in it yet, and still found by phrases alone
        writer.add_document(_document("c", Actor("Kenya", "member_state", "KEN"), 6))
    return db


@pytest.mark.parametrize(
    ("phrase", "likes"),
    [
        ("mutual legal", ["%mutual", "legal%"]),
        ("legal", ["%legal%"]),
        ("chain of custody", ["%chain", "of", "custody%"]),
        ("mutual-legal help", ["%mutual", "legal", "help%"]),
        (" legal", ["legal%"]),
        ("article 15bis", ["%article", "bis%"]),
        ("d'ivoire", ["%d", "ivoire%"]),
        ("50% more", []),  # LIKE's wildcards: no narrowing
        ("legal_aid", []),
        ("--", []),
    ],
)
def test_token_patterns(phrase: str, likes: list[str]) -> None:
    assert [t.like for t in token_patterns(phrase)] == likes


def _without_words(db: Database) -> None:
    with Writer(db) as writer:
        writer.con.execute("delete from meta where key = 'search_words'")


PHRASES = [
    (Filters(), '"mutual legal"'),
    (Filters(), '"legal"'),  # a substring: illegal, legality, legalese
    (Filters(), '"utual leg"'),
    (Filters(), '"mutual legal assistance"'),
    (Filters(), '"chain of custody"'),
    (Filters(), '"of custody"'),
    (Filters(), '"mutual-legal"'),
    (Filters(), '"égal"'),
    (Filters(), '"article 15bis"'),
    (Filters(), '"the"'),  # a stop word: no narrowing
    (Filters(), '"zebra"'),
    (Filters(), '"50%"'),
    (Filters(meetings=(5,)), 'training "mutual legal"'),
    (Filters(meetings=(6,)), '"mutual legal"'),  # only in passages not yet indexed
    (Filters(), 'assistance "MUTUAL legal" "assistance"'),
    (Filters(regions=("African",)), 'evidence "legal"'),
]


@pytest.mark.parametrize(("filters", "text"), PHRASES)
def test_narrowed_phrases_find_what_the_text_check_finds(
    searchable: Database, filters: Filters, text: str, monkeypatch
) -> None:
    monkeypatch.setattr(explorer, "_LOOKUP_CHUNK", 2)  # several chunks, two threads
    monkeypatch.setattr(explorer, "_LOOKUP_SPLIT", 2)
    narrowed = [search_passages(searchable, filters, text, p, page_size=3) for p in (1, 2, 9)]
    monkeypatch.setattr(explorer, "LOOKUP_MAX", 0)  # narrowed, but checked by a scan
    scanned = [search_passages(searchable, filters, text, p, page_size=3) for p in (1, 2, 9)]
    _without_words(searchable)
    assert not _plan(searchable, SearchQuery.parse(text)).narrowing
    expected = [search_passages(searchable, filters, text, p, page_size=3) for p in (1, 2, 9)]
    for got in (narrowed, scanned):
        for page, want in zip(got, expected, strict=True):
            assert (page.total, page.page, page.pages) == (want.total, want.page, want.pages)
            assert page.rows["passage_id"].tolist() == want.rows["passage_id"].tolist()
            assert page.rows["score"].tolist() == pytest.approx(
                want.rows["score"].tolist(), nan_ok=True
            )
            assert page.rows.columns.tolist() == want.rows.columns.tolist()


def test_the_index_narrows_a_phrase(searchable: Database) -> None:
    plan = _plan(searchable, SearchQuery.parse('"mutual legal"'))
    assert len(plan.narrowing) == 2
    result = search_passages(searchable, Filters(), '"mutual legal"', 1, page_size=50)
    texts = searchable.query("select id, text from passage")
    want = {
        int(i)
        for i, t in zip(texts["id"], texts["text"], strict=True)
        if "mutual legal" in t.lower().replace("ú", "u").replace("é", "e")
    }
    assert set(result.rows["passage_id"]) == want
    assert result.total == len(want) == 3 * 4


def _words(db: Database) -> list[tuple]:
    return (
        db.query("select word, termid from search_word order by all")
        .to_records(index=False)
        .tolist()
    )


def _words_match_the_index(db: Database) -> None:
    wrong = db.query(
        "select w.word from search_word w left join fts_main_passage.dict d "
        "on d.termid = w.termid where d.term is distinct from stem(w.word, 'porter')"
    )
    assert wrong.empty
    assert db.query("select count(*) = count(distinct word) as unique from search_word").iloc[0][
        "unique"
    ]


def test_search_word_is_kept_as_a_full_build_has_it(searchable: Database) -> None:
    with Writer(searchable) as writer:
        assert writer.update_search_index(thorough=False) == "extended"
        writer.add_document(
            _document("d", Actor("Chile", "member_state", "CHL"), 6, ("Zebras cross borders.",))
        )
        assert writer.update_search_index() == "extended"
    extended = _words(searchable)
    with Writer(searchable) as writer:
        writer.rebuild_search_index()
    assert extended == _words(searchable)
    _words_match_the_index(searchable)
    assert "zebras" in {w for w, _ in extended}

    with Writer(searchable) as writer:  # deleting: the words of terms left in no passage go
        document = writer.con.execute(
            "select id from document where content_hash = 'd'"
        ).fetchone()[0]
        writer.delete_document(document, user="tester")
        assert writer.update_search_index() == "pruned"
    pruned = _words(searchable)
    _words_match_the_index(searchable)
    assert not any(w in ("zebras", "cross", "borders") for w, _ in pruned)
    with Writer(searchable) as writer:
        writer.rebuild_search_index()
    assert pruned == _words(searchable)


def test_search_word_behind_the_index_is_rebuilt(searchable: Database) -> None:
    """A stale search_word (e.g. after migration 013 on an indexed store) is not used, and
    the next update of the index builds it whole."""
    with Writer(searchable) as writer:
        writer.update_search_index()
        writer.con.execute("delete from search_word")
        writer.con.execute("delete from meta where key = 'search_words'")
    assert not _plan(searchable, SearchQuery.parse('"mutual legal"')).narrowing
    with Writer(searchable) as writer:
        assert writer.update_search_index() == "current"
    assert _plan(searchable, SearchQuery.parse('"mutual legal"')).narrowing
    built = _words(searchable)
    with Writer(searchable) as writer:
        writer.rebuild_search_index()
    assert built == _words(searchable)


def test_a_word_gone_while_its_term_remains_may_stay(searchable: Database) -> None:
    """The one difference from a full build: a word whose last passage was deleted stays
    while its term is still in the index (it only widens the narrowing); searches find the
    same."""
    with Writer(searchable) as writer:
        writer.update_search_index()
        writer.add_document(
            _document("e", Actor("Chile", "member_state", "CHL"), 6, ("Legally binding.",))
        )
        writer.update_search_index()
        document = writer.con.execute(
            "select id from document where content_hash = 'e'"
        ).fetchone()[0]
        writer.delete_document(document, user="tester")
        writer.update_search_index()
    incremental = set(_words(searchable))
    got = search_passages(searchable, Filters(), '"legal"', 1, page_size=50)
    with Writer(searchable) as writer:
        writer.rebuild_search_index()
    rebuilt = set(_words(searchable))
    assert rebuilt <= incremental
    assert {w for w, _ in incremental - rebuilt} <= {"legally"}
    want = search_passages(searchable, Filters(), '"legal"', 1, page_size=50)
    assert got.rows["passage_id"].tolist() == want.rows["passage_id"].tolist()


def test_phrases_without_a_search_index(db: Database, reference) -> None:
    with Writer(db) as writer:
        writer.sync_reference(reference)
        writer.add_document(_document("a", Actor("Ghana", "member_state", "GHA"), 5))
    fts = "select count(*) from duckdb_tables() where schema_name = 'fts_main_passage'"
    assert db.scalar(fts) == 0
    result = search_passages(db, Filters(), '"mutual legal"', 1, page_size=50)
    assert result.total == 4
