"""The Overview: what the store holds, per meeting, and where it came from."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..store.db import Database
from ..store.facts import cube_source, once_per_version

# grain: one row per meeting (all meetings of the reference table, with zero counts)
MEETING_COUNTS_SQL = """
with submissions as (
    select d.meeting, d.id, d.received, a.actor_type, a.id as actor_id
    from document d join actor a on a.id = d.actor_id
    where d.kind in ('written_submission', 'statement', 'comment')
),
per_meeting as (
    select
        meeting,
        count(*) as documents,
        count(distinct actor_id) filter (where actor_type in ('member_state', 'observer_state'))
            as states,
        count(distinct actor_id) filter (where actor_type not in ('member_state', 'observer_state'))
            as observers
    from submissions group by meeting
),
late as (
    select d.meeting,
        count(*) filter (where d.received > m.submission_deadline) as late_documents,
        count(*) as written_submissions
    from document d join meeting m on m.number = d.meeting
    where d.kind = 'written_submission'
    group by d.meeting
),
passages as (  -- passage counts, from cube_source (a table, or a query in parentheses)
    select meeting, cast(sum(n) as bigint) as passages
    from {cube}
    where kind in ('written_submission', 'statement', 'comment')
    group by meeting
),
recommendations as (
    select meeting, count(*) as recommendations from recommendation group by meeting
)
select
    m.number as meeting, m.name, m.start_date, m.end_date, m.submission_deadline,
    m.stocktaking,
    coalesce(pm.documents, 0) as documents,
    coalesce(pm.states, 0) as states,
    coalesce(pm.observers, 0) as observers,
    coalesce(p.passages, 0) as passages,
    coalesce(r.recommendations, 0) as recommendations,
    coalesce(l.written_submissions, 0) as written_submissions,
    coalesce(l.late_documents, 0) as late_documents
from meeting m
left join per_meeting pm on pm.meeting = m.number
left join passages p on p.meeting = m.number
left join recommendations r on r.meeting = m.number
left join late l on l.meeting = m.number
order by m.number
"""

# grain: one row per (meeting, topic) of the work plan
WORKPLAN_SQL = """
select m.number as meeting, m.name, m.start_date, m.end_date, m.submission_deadline,
       m.stocktaking, m.note, m.agenda, t.id as topic_id, t.label as topic,
       t.short_label as topic_short
from meeting m left join topic t on t.meeting = m.number
order by m.number, t.ordinal
"""


@dataclass(frozen=True)
class DataSource:
    path: str
    documents: int
    passages: int
    recommendations: int
    comments: int
    submitters: int
    states: int
    sample_documents: int
    last_ingest: pd.Timestamp | None
    data_version: int

    @property
    def is_sample(self) -> bool:
        """Some of the documents are the illustrative sample."""
        return self.sample_documents > 0

    @property
    def sample_only(self) -> bool:
        """Every document is the illustrative sample."""
        return self.documents > 0 and self.sample_documents == self.documents

    @property
    def name(self) -> str:
        """The database file's name: what the pages show (the folders are the server's)."""
        return Path(self.path).name

    @property
    def description(self) -> str:
        if not self.documents:
            return "empty"
        if self.sample_only:
            return "illustrative sample data"
        if self.sample_documents:
            return "real documents mixed with illustrative sample data"
        return "ingested documents"


def meeting_counts(db: Database) -> pd.DataFrame:
    """One row per meeting: documents (written submissions, statements, comments),
    submitting States and observers, passages, recommendations, and written submissions in
    all and received after the deadline (statements are delivered at the meeting, so they
    are never late)."""
    return db.query(MEETING_COUNTS_SQL.format(cube=cube_source(db)))


def workplan(db: Database) -> pd.DataFrame:
    """One row per (meeting, work-plan topic); meetings without topics appear once."""
    return db.query(WORKPLAN_SQL)


def data_source(db: Database) -> DataSource:
    """What the store holds, in counts. Every page shows it on every rerun, so it is
    counted once per data version and database file (``once_per_version``)."""
    return once_per_version(db, "data_source", lambda: _count_source(db))


def _count_source(db: Database) -> DataSource:
    row = db.query(
        """
        select
            (select count(*) from document) as documents,
            (select count(*) from passage) as passages,
            (select count(*) from recommendation) as recommendations,
            (select count(*) from recommendation_comment) as comments,
            (select count(distinct actor_id) from document
              where kind <> 'recommendation_list') as submitters,
            (select count(distinct d.actor_id) from document d join actor a on a.id = d.actor_id
              where d.kind <> 'recommendation_list'
                and a.actor_type in ('member_state', 'observer_state')) as states,
            (select count(*) from document where is_sample) as sample_documents,
            (select max(finished_at) from ingest_run) as last_ingest,
            (select coalesce(max(cast(value as bigint)), 0) from meta
              where key = 'data_version') as data_version
        """
    ).iloc[0]
    last = row["last_ingest"]
    return DataSource(
        path=str(db.path),
        documents=int(row["documents"]),
        passages=int(row["passages"]),
        recommendations=int(row["recommendations"]),
        comments=int(row["comments"]),
        submitters=int(row["submitters"]),
        states=int(row["states"]),
        sample_documents=int(row["sample_documents"]),
        last_ingest=None if pd.isna(last) else pd.Timestamp(last),
        data_version=int(row["data_version"]),
    )


def status_tables(db: Database) -> list[tuple[str, pd.DataFrame]]:
    """What ``ieg status`` prints: counts by meeting, kind and language, and the last runs."""
    source = data_source(db)
    totals = pd.DataFrame(
        [
            {
                "database": source.path,
                "contents": source.description,
                "documents": source.documents,
                "passages": source.passages,
                "recommendations": source.recommendations,
                "comments": source.comments,
                "submitters": source.submitters,
            }
        ]
    )
    counts = meeting_counts(db)[
        [
            "meeting",
            "name",
            "documents",
            "states",
            "observers",
            "passages",
            "recommendations",
            "late_documents",
        ]
    ]
    kinds = db.query(
        "select kind, count(*) as documents, sum(n_passages) as passages "
        "from document group by kind order by kind"
    )
    languages = db.query(
        "select language, count(*) as passages from passage group by language "
        "order by passages desc"
    )
    runs = db.query(
        "select id as run, source, started_at, finished_at, documents_added, passages_added, "
        "skipped, refused from ingest_run order by id desc limit 5"
    )
    return [
        ("Database", totals),
        ("By meeting", counts),
        ("By kind", kinds),
        ("By passage language", languages),
        ("Last ingest runs", runs),
    ]
