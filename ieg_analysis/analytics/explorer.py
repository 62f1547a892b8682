"""The submissions explorer: full-text search (BM25) combined with the shared filters,
paged; and the document view."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from ..store.db import Database
from .filters import Filters

PAGE_SIZE = 20
EXPORT_ROW_CAP = 50_000
_RESULT_COLUMNS = """
    v.passage_id, v.document_id, v.meeting, v.actor_name, v.actor_type, v.country_iso3,
    v.regional_group, v.m49_region, v.m49_subregion, v.kind, v.title, v.source_name,
    v.heading, v.para_number, v.seq, v.text, v.language, v.topic, v.topic_labels,
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


def _search_sql(filters: Filters, query: SearchQuery) -> tuple[str, list]:
    """grain: one row per matching passage: passage_id, meeting, document_id, seq and its
    BM25 score (null without words). Only these narrow columns: the page's rows are read
    afterwards for the few passages shown (``_rows_sql``).

    The BM25 scores are computed over the passage table alone, where the index's macro is
    fast, and joined to the view; evaluated row by row over the joined view they took
    longer than the gateway's time limit at a million passages. Without a topic filter the
    rows are found in ``v_passage_source``, which does not join the classifications."""
    predicate, params = filters.where("v")
    source = "v_passage" if filters.topics else "v_passage_source"
    sql_params: list = []
    if query.words:
        hits = """hits as (  -- one row per passage matching a word, with its BM25 score
            select id as passage_id, score from (
                select id, fts_main_passage.match_bm25(id, ?) as score from passage
            ) where score is not null
        ),"""
        join, score = "join hits h on h.passage_id = v.passage_id", "h.score"
        sql_params.append(query.ranking_text)
    else:
        hits, join, score = "", "", "cast(null as double)"
    clauses = [predicate]
    for phrase in query.phrases:
        clauses.append("strip_accents(lower(v.text)) like '%' || strip_accents(lower(?)) || '%'")
        params.append(phrase)
    sql = f"""
        with {hits} matched as (
            select v.passage_id, v.meeting, v.document_id, v.seq, {score} as score
            from {source} v {join}
            where {" and ".join(clauses)}
        )
        select * from matched
    """  # noqa: S608 - the predicate comes from Filters.where (fixed columns, bound values)
    return sql, sql_params + params


def _rows_sql(sql: str, words: bool) -> str:
    """The result columns of one slice (``limit ? offset ?``) of ``_search_sql``, in order:
    best BM25 match first, or in meeting and document order without search words."""
    order = "score desc, passage_id" if words else "meeting, document_id, seq"
    outer = "m.score desc, m.passage_id" if words else "m.meeting, m.document_id, m.seq"
    return f"""
        with m as ({sql} order by {order} limit ? offset ?)
        select {_RESULT_COLUMNS}, m.score
        from m join v_passage v on v.passage_id = m.passage_id
        order by {outer}
    """  # noqa: S608 - fixed ordering clauses around _search_sql


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
    sql, params = _search_sql(filters, query)
    total = int(db.query(f"select count(*) as n from ({sql})", params)["n"].item())  # noqa: S608
    pages = max(1, -(-total // page_size))
    page = min(max(1, page), pages)
    rows = db.query(_rows_sql(sql, bool(query.words)), [*params, page_size, (page - 1) * page_size])
    return SearchResult(rows, total, page, pages)


def export_passages(db: Database, filters: Filters, text: str | None = None) -> pd.DataFrame:
    """Every passage of the current view, for download (at most EXPORT_ROW_CAP rows), with
    readable column names."""
    query = SearchQuery.parse(text)
    sql, params = _search_sql(filters, query)
    frame = db.query(_rows_sql(sql, bool(query.words)), [*params, EXPORT_ROW_CAP, 0])
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
        "select passage_id, seq, page, heading, para_number, text, language, topic_labels, "
        "capacity_label from v_passage where document_id = ? order by seq",
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
