"""The explorer's BM25 from passage_postings (migration 010) ranks and counts as the FTS
extension's match_bm25 does, with filters, quoted phrases and paging."""

from __future__ import annotations

import pytest

from ieg_analysis.analytics.explorer import matching_submitters, search_passages
from ieg_analysis.analytics.filters import Filters
from ieg_analysis.records import Actor, ParsedDocument
from ieg_analysis.store.db import Database
from ieg_analysis.store.writer import Writer
from tests.factories import parsed_document

TEXTS = (
    "Electronic evidence and chain of custody for electronic records.",
    "Training on mutual legal assistance and electronic evidence.",
    "Mutual legal assistance treaties speed up cooperation.",
    "Prevention campaigns in schools raise awareness.",
    "The evidence of the evidence: evidence everywhere.",
    "Judges need training on digital evidence and mutual legal help.",
    "The 24/7 network answered 2017 requests under Article 16.",
)


def _document(name: str, actor: Actor, meeting: int) -> ParsedDocument:
    return parsed_document(name, actor, meeting, TEXTS)


@pytest.fixture
def searchable(db: Database, reference) -> Database:
    with Writer(db) as writer:
        writer.sync_reference(reference)
        writer.add_document(_document("a", Actor("Ghana", "member_state", "GHA"), 5))
        writer.add_document(_document("b", Actor("France", "member_state", "FRA"), 5))
        writer.add_document(_document("c", Actor("Kenya", "member_state", "KEN"), 6))
        writer.rebuild_search_index()
    return db


def _without_postings(db: Database) -> None:
    with Writer(db) as writer:
        writer.con.execute("delete from meta where key = 'search_postings'")


@pytest.mark.parametrize(
    ("filters", "text"),
    [
        (Filters(), "electronic evidence"),
        (Filters(), "evidence"),
        (Filters(meetings=(5,)), 'training "mutual legal"'),
        (Filters(regions=("African",)), "mutual legal assistance"),
        (Filters(), "the of"),  # stop words only: nothing
        (Filters(), "zebra"),
        (Filters(meetings=(6,)), '"chain of custody"'),
    ],
)
def test_postings_rank_as_match_bm25(searchable: Database, filters: Filters, text: str) -> None:
    pages = [search_passages(searchable, filters, text, page, page_size=4) for page in (1, 2, 9)]
    _without_postings(searchable)
    expected = [search_passages(searchable, filters, text, page, page_size=4) for page in (1, 2, 9)]
    for got, want in zip(pages, expected, strict=True):
        assert (got.total, got.page, got.pages) == (want.total, want.page, want.pages)
        assert got.rows["passage_id"].tolist() == want.rows["passage_id"].tolist()
        assert got.rows["score"].tolist() == pytest.approx(want.rows["score"].tolist(), nan_ok=True)
        assert got.rows.columns.tolist() == want.rows.columns.tolist()


def test_a_page_past_the_last_shows_the_last(searchable: Database) -> None:
    result = search_passages(searchable, Filters(), "evidence", 50, page_size=2)
    assert result.page == result.pages == -(-result.total // 2)
    assert len(result.rows) == result.total - (result.pages - 1) * 2
    listing = search_passages(searchable, Filters(meetings=(6,)), None, 1, page_size=4)
    assert listing.total == len(TEXTS)
    assert listing.rows["seq"].tolist() == [1, 2, 3, 4]


def test_numbers_are_searched_as_phrases(searchable: Database) -> None:
    """The index keeps letters only: a year or "24/7" typed as a word must still be found
    (it was silently dropped: "no passage matches")."""
    for text in ("2017", "24/7", "network 24/7", "Article 16"):
        result = search_passages(searchable, Filters(), text)
        assert result.total == 3, text  # the passage of each of the three documents
        assert all("24/7" in t for t in result.rows["text"])
    assert search_passages(searchable, Filters(), "1999").total == 0
    # a number does not run on into more digits: "Article 1" is not "Article 16", nor "201"
    # part of "2017"; through the index's narrowing and through a scan alike
    for text in ("Article 1", "201", '"24/7 network answered 201"', "network 4/7"):
        assert search_passages(searchable, Filters(), text).total == 0, text
    assert search_passages(searchable, Filters(), 'evidence "zebra crossing"').total == 0


def _postings(db: Database) -> list[tuple]:
    return (
        db.query(
            "select d.term, p.passage_id, p.len, p.tf from passage_postings p "
            "join fts_main_passage.dict d on d.termid = p.termid order by all"
        )
        .to_records(index=False)
        .tolist()
    )


def test_incremental_index_updates_keep_the_postings_exact(searchable: Database) -> None:
    """New passages appended and deleted ones removed by update_search_index leave the
    postings (and so the ranking) as a full rebuild would."""
    with Writer(searchable) as writer:
        writer.add_document(_document("d", Actor("Chile", "member_state", "CHL"), 6))
        assert writer.update_search_index(thorough=False) == "extended"
        document = writer.con.execute(
            "select id from document where content_hash = 'a'"
        ).fetchone()[0]
        writer.delete_document(document, user="tester")
        assert writer.update_search_index() == "pruned"
    incremental = _postings(searchable)
    got = search_passages(searchable, Filters(), "electronic evidence", 1, page_size=20)
    with Writer(searchable) as writer:
        writer.rebuild_search_index()
    assert incremental == _postings(searchable)
    _without_postings(searchable)
    want = search_passages(searchable, Filters(), "electronic evidence", 1, page_size=20)
    assert got.total == want.total == 3 * 4  # three documents left, four passages each match
    assert got.rows["passage_id"].tolist() == want.rows["passage_id"].tolist()
    assert got.rows["score"].tolist() == pytest.approx(want.rows["score"].tolist())


@pytest.mark.parametrize(
    ("filters", "text"),
    [
        (Filters(), None),
        (Filters(), "evidence"),
        (Filters(meetings=(5,)), 'training "mutual legal"'),
        (Filters(regions=("African",)), "mutual legal assistance"),
        (Filters(), '"chain of custody"'),
        (Filters(), "zebra"),
    ],
)
@pytest.mark.parametrize("lookup_max", [6_000, 0])  # a phrase's candidates by id, or a scan
def test_matching_submitters_are_those_of_the_matches(
    searchable: Database, monkeypatch, filters: Filters, text: str | None, lookup_max: int
) -> None:
    from ieg_analysis.analytics import explorer

    monkeypatch.setattr(explorer, "LOOKUP_MAX", lookup_max)
    rows = search_passages(searchable, filters, text, page_size=1_000).rows
    submitters = matching_submitters(searchable, filters, text)
    assert dict(zip(submitters["actor_name"], submitters["passages"], strict=True)) == (
        rows.groupby("actor_name").size().to_dict()
    )


def test_matching_submitters_put_states_first_then_most_passages(searchable: Database) -> None:
    with Writer(searchable) as writer:
        writer.add_document(
            parsed_document("u", Actor("UNODC Secretariat", "unodc", None), 5, TEXTS * 3)
        )
        writer.add_document(_document("d", Actor("Chile", "member_state", "CHL"), 6))
        writer.add_document(_document("e", Actor("Chile", "member_state", "CHL"), 6))
        writer.rebuild_search_index()
    submitters = matching_submitters(searchable, Filters(), "evidence")
    assert submitters["actor_name"].tolist() == [
        "Chile",  # two documents
        "France",
        "Ghana",
        "Kenya",
        "UNODC Secretariat",  # not a State: last, though it has the most passages
    ]
    assert submitters["is_state"].tolist() == [True, True, True, True, False]
    assert submitters["passages"].tolist() == [8, 4, 4, 4, 12]
