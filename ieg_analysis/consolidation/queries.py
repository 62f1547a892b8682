"""What the consolidation reads from the store, one question per function, grain stated."""

from __future__ import annotations

import json
from collections.abc import Sequence

import pandas as pd

from ..store.db import Database

# Recommendations withdrawn at a meeting are not consolidated; all others are (preliminary,
# adopted, and those already merged, so that an accepted cluster stays visible).
CLUSTERED_STATUSES = ("preliminary", "adopted", "merged")


def recommendations(db: Database, statuses: Sequence[str] = CLUSTERED_STATUSES) -> pd.DataFrame:
    """grain: one row per recommendation with a status in ``statuses``, in meeting and
    number order: its reference (meeting.number), topic heading, status, the reference it
    is merged into, and the language of the list it came from."""
    return db.query(
        """
        with recs as (
            select r.id, r.meeting, r.number, r.topic_id, r.text, r.status, r.merged_into_id,
                   coalesce(d.language, 'en') as language
            from recommendation r
            left join document d on d.id = r.document_id
            where list_contains($statuses, r.status)
        ),
        labelled as (
            select recs.*,
                   cast(recs.meeting as varchar) || '.' || cast(recs.number as varchar)
                       as reference,
                   coalesce(t.label, 'No topic heading') as topic,
                   coalesce(t.short_label, 'No topic') as topic_short,
                   cast(m.meeting as varchar) || '.' || cast(m.number as varchar)
                       as merged_into
            from recs
            left join topic t on t.id = recs.topic_id
            left join recommendation m on m.id = recs.merged_into_id
        )
        select * from labelled order by meeting, number
        """,
        {"statuses": list(statuses)},
    )


def decisions(db: Database) -> pd.DataFrame:
    """grain: one row per Secretariat decision, oldest first."""
    frame = db.query(
        """
        select id, decided_at, user_name, action, member_ids, representative_id, removed_id,
               previous, threshold, note
        from consolidation_decision
        order by id
        """
    )
    frame["member_ids"] = frame["member_ids"].map(lambda ids: [int(i) for i in ids])
    frame["previous"] = frame["previous"].map(
        lambda value: json.loads(value) if isinstance(value, str) else []
    )
    return frame


def links(db: Database) -> pd.DataFrame:
    """grain: one row per pair constraint, in the order the decisions were taken."""
    return db.query(
        """
        select decision_id, recommendation_a, recommendation_b, kind
        from consolidation_link
        order by decision_id, recommendation_a, recommendation_b
        """
    )
