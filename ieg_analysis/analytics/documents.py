"""What the Data page lists: the stored documents and the audit log."""

from __future__ import annotations

import pandas as pd

from ..store.db import Database


def document_count(db: Database) -> int:
    """How many documents are stored."""
    return int(db.scalar("select count(*) from document") or 0)


def document_list(db: Database, *, offset: int = 0, limit: int | None = None) -> pd.DataFrame:
    """grain: one row per stored document, newest first, with its submitter and counts;
    documents ``offset + 1`` to ``offset + limit`` of that order when ``limit`` is given
    (a page: a large store holds tens of thousands). The recommendations are counted once
    per document that has any, not per listed document."""
    return db.query(
        """
        with listed as (
            select * from document order by id desc limit ? offset ?
        ),
        recommendations as (  -- one row per document with recommendations
            select document_id, count(*) as n from recommendation group by document_id
        )
        select d.id, d.meeting, a.name as submitter, d.kind, d.language, d.received,
               d.source_name, d.source_format, d.n_passages,
               coalesce(r.n, 0) as recommendations,
               d.ingested_at
        from listed d
        join actor a on a.id = d.actor_id
        left join recommendations r on r.document_id = d.id
        order by d.id desc
        """,
        [limit, int(offset)],
    )


def audit_entries(db: Database, limit: int = 500) -> pd.DataFrame:
    """grain: one row per write action, newest first (at most ``limit``)."""
    return db.query(
        "select logged_at, user_name, action, target, detail from audit_log "
        "order by id desc limit ?",
        [limit],
    )
