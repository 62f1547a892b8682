"""The submissions explorer: full-text search (BM25) combined with the shared filters,
paged; and the document view."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from ..store.db import Database
from ..store.facts import LIVE_VIEW, passage_source
from .filters import Filters

PAGE_SIZE = 20
EXPORT_ROW_CAP = 50_000
_RESULT_COLUMNS = """
    v.passage_id, v.document_id, v.meeting, v.actor_name, v.actor_type, v.country_iso3,
    v.regional_group, v.m49_region, v.m49_subregion, v.kind, v.title, v.source_name,
    v.heading, v.para_number, v.seq, x.text, v.language, v.topic, v.topic_labels,
    v.capacity_label, v.need, v.provision
"""


@dataclass(frozen=True)
class SearchQuery:
    """What a user typed: words ranked by BM25, and "quoted phrases" that must appear."""

    words: tuple[str, ...]
    phrases: tuple[str, ...]

    @classmethod
    def parse(cls, text: str | None) -> SearchQuery:
        text = (text or "")[:500]
        phrases = tuple(p.strip() for p in re.findall(r'"([^"]+)"', text) if p.strip())
        rest = re.sub(r'"[^"]*"', " ", text)
        words = tuple(re.findall(r"[^\W_]+(?:[-'][^\W_]+)*", rest, flags=re.UNICODE))
        return cls(words[:30], phrases[:10])

    @property
    def empty(self) -> bool:
        return not self.words and not self.phrases

    @property
    def ranking_text(self) -> str:
        """Everything typed, for BM25 (phrases contribute their words to the ranking)."""
        return " ".join([*self.words, *self.phrases])

    @property
    def highlight_terms(self) -> tuple[str, ...]:
        return (*self.phrases, *self.words)


@dataclass(frozen=True)
class SearchResult:
    rows: pd.DataFrame
    total: int
    page: int
    pages: int


# BM25 as fts_main_passage.match_bm25 computes it (any of the words; k = 1.2, b = 0.75),
# from passage_postings (migration 010: tf and length per term and passage, in term order)
# and the index's current document frequencies and statistics: only the postings of the
# query's terms are read.
_BM25_HITS = """hits as (  -- one row per passage containing a query term, with its BM25 score
    select p.passage_id, sum(
        log((((s.num_docs - d.df) + 0.5) / (d.df + 0.5)) + 1)
        * ((p.tf * (1.2 + 1)) / (p.tf + (1.2 * ((1 - 0.75) + (0.75 * (p.len / s.avgdl))))))
    ) as score
    from passage_postings p
    join fts_main_passage.dict d on d.termid = p.termid
    cross join fts_main_passage.stats s
    where p.termid in ({placeholders})
    group by p.passage_id
),"""
_MACRO_HITS = """hits as (  -- one row per passage matching a word, with its BM25 score
    select id as passage_id, score from (
        select id, fts_main_passage.match_bm25(id, ?) as score from passage
    ) where score is not null
),"""
# the index terms of a search text, and whether
# passage_postings was built from the current index
_TERMS_SQL = """
select
    coalesce(list(d.termid order by d.termid), []::bigint[]) as termids,
    coalesce((select value from meta where key = 'search_postings')
        = (select num_docs || '/' || avgdl from fts_main_passage.stats), false) as postings
from fts_main_passage.dict d
where d.term in (select distinct stem(unnest(fts_main_passage.tokenize(?)), 'porter'))
"""


def _hits_sql(db: Database, query: SearchQuery) -> tuple[str, list]:
    """The ``hits`` CTE of a search with words, and its parameters."""
    terms = db.query(_TERMS_SQL, [query.ranking_text]).iloc[0]
    if not bool(terms["postings"]):
        return _MACRO_HITS, [query.ranking_text]
    termids = [int(t) for t in terms["termids"]]
    placeholders = ", ".join("?" for _ in termids) or "null"  # no indexed word: no match
    return _BM25_HITS.format(placeholders=placeholders), termids


def _search_sql(db: Database, filters: Filters, query: SearchQuery) -> tuple[str, list]:
    """grain: one row per matching passage: passage_id, meeting, document_id, seq and its
    BM25 score (null without words). Only these narrow columns: the page's rows are read
    afterwards for the few passages shown (``_rows_sql``).

    Filters are applied to ``passage_fact`` (or, while it is not up to date, the views);
    the BM25 scores come from ``passage_postings`` for the search's terms only; the text
    is read only for quoted phrases, and only for the passages that pass the rest."""
    predicate, params = filters.where("v")
    source = passage_source(db)
    if source == LIVE_VIEW and not filters.topics:
        source = "v_passage_source"
    sql_params: list = []
    if query.words:
        hits, sql_params = _hits_sql(db, query)
        join, score = "join hits h on h.passage_id = v.passage_id", "h.score"
    else:
        hits, join, score = "", "", "cast(null as double)"
    phrases = ""
    for phrase in query.phrases:
        # the pattern also names a column of the candidates (always ''), so that the test is
        # made after the join, on the candidates only: a test of x.text alone would be
        # pushed below the join and run over every passage's text (5 s at a million)
        phrases += (
            " and strip_accents(lower(x.text)) like "
            "'%' || strip_accents(lower(?)) || '%' || left(c.kind, 0)"
        )
        params.append(phrase)
    if phrases:
        matched = f"""select c.passage_id, c.meeting, c.document_id, c.seq, c.score
            from candidates c join passage x on x.id = c.passage_id
            where true {phrases}"""  # noqa: S608 - fixed SQL, values bound
    else:
        matched = "select passage_id, meeting, document_id, seq, score from candidates"
    sql = f"""
        with {hits} candidates as (
            select v.passage_id, v.meeting, v.document_id, v.seq, v.kind, {score} as score
            from {source} v {join}
            where {predicate}
        ),
        matched as ({matched})
        select * from matched
    """  # noqa: S608 - the predicate comes from Filters.where (fixed columns, bound values)
    return sql, sql_params + params


def _rows_sql(db: Database, sql: str, words: bool) -> str:
    """The result columns of one slice (``limit ? offset ?``) of ``_search_sql``, in order:
    best BM25 match first, or in meeting and document order without search words (for
    exports; a page reads its rows by id, ``_page_rows``)."""
    order = "score desc, passage_id" if words else "meeting, document_id, seq"
    outer = "m.score desc, m.passage_id" if words else "m.meeting, m.document_id, m.seq"
    return f"""
        with m as ({sql} order by {order} limit ? offset ?)
        select {_RESULT_COLUMNS}, m.score
        from m join {passage_source(db)} v on v.passage_id = m.passage_id
        join passage x on x.id = m.passage_id
        order by {outer}
    """  # noqa: S608 - fixed ordering clauses around _search_sql


_LABEL_COLUMNS = ("topic", "topic_labels", "capacity_label", "need", "provision")


def _page_rows(db: Database, page: pd.DataFrame) -> pd.DataFrame:
    """The result columns of the passages of ``page`` (passage_id, score), in its order.
    The rows are read by id, the ids bound as a list of values: the passage, document and
    submitter columns with the text from ``v_passage_source`` (whose joins start from these
    few passages), the labels from the passage source; joining the tables instead reads
    every row of them (0.5 s at a million passages)."""
    ids = [int(i) for i in page["passage_id"]]
    placeholders = ", ".join("?" for _ in ids) or "null"
    rows = db.query(
        f"select * exclude (is_sample, received) from v_passage_source "  # noqa: S608
        f"where passage_id in ({placeholders})",
        ids,
    )
    labels = db.query(
        f"select passage_id, {', '.join(_LABEL_COLUMNS)} from {passage_source(db)} "  # noqa: S608
        f"where passage_id in ({placeholders})",
        ids,
    )
    rows = rows.merge(labels, on="passage_id", how="left")
    columns = [c.strip().removeprefix("v.").removeprefix("x.") for c in _RESULT_COLUMNS.split(",")]
    order = {passage_id: position for position, passage_id in enumerate(ids)}
    rows = rows.sort_values("passage_id", key=lambda c: c.map(order)).reset_index(drop=True)
    rows = rows[columns]
    rows["score"] = page["score"].to_numpy()
    return rows


def search_passages(
    db: Database,
    filters: Filters,
    text: str | None = None,
    page: int = 1,
    *,
    page_size: int = PAGE_SIZE,
) -> SearchResult:
    """One page of passages matching the search and the filters: best BM25 match first, or
    in meeting and document order without search words."""
    query = SearchQuery.parse(text)
    sql, params = _search_sql(db, filters, query)
    order = "score desc, passage_id" if query.words else "meeting, document_id, seq"
    page = max(1, page)
    if query.words:  # one query for the page and the count
        found = db.query(
            f"select passage_id, score, count(*) over () as total_matches from ({sql}) s "  # noqa: S608
            f"order by {order} limit ? offset ?",
            [*params, page_size, (page - 1) * page_size],
        )
        if len(found):
            total = int(found["total_matches"].iloc[0])
            rows = _page_rows(db, found)
            return SearchResult(rows, total, page, max(1, -(-total // page_size)))
        # no match, or a page past the last: counted below
    total = int(db.query(f"select count(*) as n from ({sql})", params)["n"].item())  # noqa: S608
    pages = max(1, -(-total // page_size))
    page = min(page, pages)
    found = db.query(
        f"select passage_id, score from ({sql}) s order by {order} limit ? offset ?",  # noqa: S608
        [*params, page_size, (page - 1) * page_size],
    )
    return SearchResult(_page_rows(db, found), total, page, pages)


def export_passages(db: Database, filters: Filters, text: str | None = None) -> pd.DataFrame:
    """Every passage of the current view, for download (at most EXPORT_ROW_CAP rows), with
    readable column names."""
    query = SearchQuery.parse(text)
    sql, params = _search_sql(db, filters, query)
    frame = db.query(_rows_sql(db, sql, bool(query.words)), [*params, EXPORT_ROW_CAP, 0])
    frame["topic_labels"] = frame["topic_labels"].map(
        lambda labels: ", ".join(labels) if labels is not None else ""
    )
    return frame[
        [
            "meeting",
            "actor_name",
            "actor_type",
            "country_iso3",
            "regional_group",
            "kind",
            "title",
            "source_name",
            "heading",
            "para_number",
            "text",
            "language",
            "topic_labels",
            "capacity_label",
        ]
    ].rename(
        columns={
            "actor_name": "submitter",
            "actor_type": "submitter_type",
            "country_iso3": "iso3",
            "regional_group": "regional_group",
            "source_name": "source_file",
            "para_number": "paragraph",
            "topic_labels": "topics",
            "capacity_label": "capacity",
        }
    )


def document_passages(db: Database, document_id: int) -> pd.DataFrame:
    """grain: one row per passage of the document, in reading order."""
    return db.query(
        "select v.passage_id, v.seq, v.page, v.heading, v.para_number, x.text, "  # noqa: S608
        "v.language, v.topic_labels, v.capacity_label "
        f"from {passage_source(db)} v join passage x on x.id = v.passage_id "
        "where v.document_id = ? order by v.seq",
        [int(document_id)],
    )


def document_info(db: Database, document_id: int) -> dict | None:
    """The document's metadata, or None when it does not exist."""
    frame = db.query(
        "select d.id, d.meeting, d.kind, d.language, d.received, d.title, d.source_name, "
        "d.source_format, d.n_passages, d.n_pages, d.is_sample, d.ingested_at, a.name as "
        "submitter, a.actor_type, c.regional_group, m.submission_deadline "
        "from document d join actor a on a.id = d.actor_id "
        "left join country c on c.iso3 = a.country_iso3 "
        "join meeting m on m.number = d.meeting where d.id = ?",
        [int(document_id)],
    )
    if frame.empty:
        return None
    return frame.astype(object).where(frame.notna(), None).iloc[0].to_dict()
