"""Every analytics query the pages use, as the pages call it, with arguments picked from the
benchmark database (a big written submission, the region and topic with the most needs, a
vocabulary term of a sub-theme gap). Each entry is one timed question."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from ..analytics import capacity, documents, explorer, overview, recommendations, topics
from ..analytics.filters import Filters
from ..store.db import Database

NO_FILTERS = Filters()
# a delegate's typical narrowing: one meeting, one region, written submissions
NARROW = Filters(meetings=(5,), regions=("African",), kinds=("written_submission",))
EXPLORER_PAGE = 3  # the explorer's paging: a page past the first
DATA_PAGE_DOCUMENTS = 100  # the Data page lists the documents a page at a time (6_Data.py)


@dataclass(frozen=True)
class Query:
    name: str
    page: str
    call: Callable[[Database], object]


@dataclass(frozen=True)
class Arguments:
    """Values the queries need that depend on the data."""

    document_id: int
    region: str
    topic: str
    term_id: str | None


def pick_arguments(db: Database) -> Arguments:
    """The largest written submission; the (region, topic) cell with most need passages;
    the widest sub-theme gap of that topic."""
    document = db.query(
        "select id from document where kind = 'written_submission' "
        "order by n_passages desc, id limit 1"
    )
    matrix = capacity.needs_matrix(db, NO_FILTERS, value="passages")
    cell = matrix.sort_values(
        ["need_passages", "region", "topic_ordinal"], ascending=[False, True, True]
    )
    region = str(cell["region"].iloc[0]) if len(cell) else "African"
    topic = str(cell["topic_id"].iloc[0]) if len(cell) else "electronic_evidence"
    gaps = recommendations.subtheme_gaps(db, NO_FILTERS, topic)
    return Arguments(
        document_id=int(document["id"].iloc[0]) if len(document) else 1,
        region=region,
        topic=topic,
        term_id=str(gaps["term_id"].iloc[0]) if len(gaps) else None,
    )


def catalogue(args: Arguments) -> list[Query]:
    """One entry per analytics call of the pages (default view, plus the explorer's filtered,
    paged and full-text variants)."""
    a = args
    queries = [
        Query("gateway: select 1", "all", lambda db: db.query("select 1 as one")),
        Query("data_source", "all", overview.data_source),
        Query("meeting_counts", "Overview", overview.meeting_counts),
        Query("workplan", "Overview", overview.workplan),
        Query(
            "search_passages (no filters, page 1)",
            "Explorer",
            lambda db: explorer.search_passages(db, NO_FILTERS, None, 1),
        ),
        Query(
            "search_passages (filters, page 3)",
            "Explorer",
            lambda db: explorer.search_passages(db, NARROW, None, EXPLORER_PAGE),
        ),
        Query(
            "search_passages (BM25 words)",
            "Explorer",
            lambda db: explorer.search_passages(db, NO_FILTERS, "electronic evidence", 1),
        ),
        Query(
            "search_passages (BM25 + filters + phrase)",
            "Explorer",
            lambda db: explorer.search_passages(db, NARROW, 'training "mutual legal"', 2),
        ),
        Query("document_info", "Explorer", lambda db: explorer.document_info(db, a.document_id)),
        Query(
            "document_passages",
            "Explorer",
            lambda db: explorer.document_passages(db, a.document_id),
        ),
        Query("capacity_totals", "Capacity", lambda db: capacity.capacity_totals(db, NO_FILTERS)),
        Query("needs_matrix", "Capacity", lambda db: capacity.needs_matrix(db, NO_FILTERS)),
        Query(
            "cell_evidence",
            "Capacity",
            lambda db: capacity.cell_evidence(db, NO_FILTERS, a.region, a.topic, measure="need"),
        ),
        Query("priority_table", "Capacity", lambda db: capacity.priority_table(db, NO_FILTERS)),
        Query(
            "state_need_intensity",
            "Capacity",
            lambda db: capacity.state_need_intensity(db, NO_FILTERS, a.topic),
        ),
        Query("providers", "Capacity", lambda db: capacity.providers(db, NO_FILTERS, a.topic)),
        Query("model_status", "Recommendations", recommendations.model_status),
        Query(
            "outcomes_by_topic", "Recommendations", lambda db: recommendations.outcomes_by_topic(db)
        ),
        Query("coverage", "Recommendations", lambda db: recommendations.coverage(db, NO_FILTERS)),
        Query(
            "subtheme_gaps",
            "Recommendations",
            lambda db: recommendations.subtheme_gaps(db, NO_FILTERS, a.topic),
        ),
        Query(
            "recommendation_table",
            "Recommendations",
            lambda db: recommendations.recommendation_table(db),
        ),
        Query(
            "topic_distribution (meeting)",
            "Topics",
            lambda db: topics.topic_distribution(db, NO_FILTERS, "meeting"),
        ),
        Query(
            "topic_distribution (region)",
            "Topics",
            lambda db: topics.topic_distribution(db, NO_FILTERS, "region"),
        ),
        Query(
            "confidence_distribution",
            "Topics",
            lambda db: topics.confidence_distribution(db, NO_FILTERS),
        ),
        Query(
            "unclassified_summary",
            "Topics",
            lambda db: topics.unclassified_summary(db, NO_FILTERS),
        ),
        Query(
            "labelled_passages",
            "Topics",
            lambda db: topics.labelled_passages(db, NO_FILTERS, a.topic),
        ),
        Query("model_report", "Topics", topics.model_report),
        Query(
            "document_list",
            "Data",
            lambda db: documents.document_list(db, offset=0, limit=DATA_PAGE_DOCUMENTS),
        ),
    ]
    if a.term_id is not None:
        queries.insert(
            20,
            Query(
                "gap_passages",
                "Recommendations",
                lambda db: recommendations.gap_passages(db, NO_FILTERS, a.topic, a.term_id),
            ),
        )
    return queries


def result_rows(result: object) -> int | None:
    """Rows a query returned (for the report), where that means something."""
    if isinstance(result, pd.DataFrame):
        return len(result)
    if isinstance(result, explorer.SearchResult):
        return result.total
    return None
