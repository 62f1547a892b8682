"""What the Data page lists: the stored documents and the audit log."""

from __future__ import annotations

import pandas as pd

from ..store.db import Database

# the documents a user narrowed the list to: a meeting, and words of the file name, title
# or submitter ("" and None: all). ``d`` is the document, ``a`` its actor.
_NARROWED = """
    (?::integer is null or d.meeting = ?::integer)
    and (?::varchar = '' or lower(concat_ws(' ', d.source_name, d.title, a.name))
         like ?::varchar escape '\\')
"""


def _narrowing(meeting: int | None, search: str) -> list:
    words = search.strip().lower()[:200]
    pattern = "%" + words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return [meeting, meeting, words, pattern]


def document_count(db: Database, *, meeting: int | None = None, search: str = "") -> int:
    """How many documents are stored (of ``meeting``, with ``search`` in the file name,
    title or submitter name, when given)."""
    sql = f"""
        select count(*) from document d join actor a on a.id = d.actor_id where {_NARROWED}
        """  # noqa: S608 - a fixed predicate; values bound
    return int(db.scalar(sql, _narrowing(meeting, search)) or 0)


def document_list(
    db: Database,
    *,
    offset: int = 0,
    limit: int | None = None,
    meeting: int | None = None,
    search: str = "",
) -> pd.DataFrame:
    """grain: one row per stored document (of ``meeting``, with ``search`` in the file
    name, title or submitter name, when given), the most recently added first, with its
    submitter and counts; documents ``offset + 1`` to ``offset + limit`` of that order when
    ``limit`` is given (a page: a large store holds tens of thousands). The recommendations
    are counted once per document that has any, not per listed document."""
    sql = f"""
        with listed as (
            select d.* from document d join actor a on a.id = d.actor_id
            where {_NARROWED}
            order by d.id desc limit ? offset ?
        ),
        recommendations as (  -- one row per document with recommendations
            select document_id, count(*) as n from recommendation group by document_id
        )
        select d.id, d.meeting, a.name as submitter, d.kind, d.language, d.received,
               d.source_name, d.source_format, d.n_passages,
               coalesce(r.n, 0) as recommendations,
               d.ingested_at, d.is_sample
        from listed d
        join actor a on a.id = d.actor_id
        left join recommendations r on r.document_id = d.id
        order by d.id desc
        """  # noqa: S608 - a fixed predicate; values bound
    return db.query(sql, [*_narrowing(meeting, search), limit, int(offset)])


def audit_entries(db: Database, limit: int = 500) -> pd.DataFrame:
    """grain: one row per write action, newest first (at most ``limit``)."""
    return db.query(
        "select logged_at, user_name, action, target, detail from audit_log "
        "order by id desc limit ?",
        [limit],
    )


def sample_passage_ids(db: Database, passage_ids: tuple[int, ...]) -> frozenset[int]:
    """Which of ``passage_ids`` belong to an illustrative sample document: what a page
    showing passages from a store that mixes ingested and sample documents tags one by one.
    Read by id, in chunks (a page shows tens of passages, not the store)."""
    ids = sorted({int(i) for i in passage_ids})
    found: set[int] = set()
    for first in range(0, len(ids), 1000):
        chunk = ids[first : first + 1000]
        placeholders = ", ".join("?" for _ in chunk)
        rows = db.query(
            "select p.id from passage p join document d on d.id = p.document_id "  # noqa: S608 - placeholders only
            f"where d.is_sample and p.id in ({placeholders})",
            chunk,
        )
        found.update(int(i) for i in rows["id"])
    return frozenset(found)
