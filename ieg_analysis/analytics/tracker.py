"""The work-plan tracker, for the Secretariat: per meeting its dates, topics and submission
deadline, the written submissions received on time and late per region, and, for the
stock-taking meeting, the comments received on each preliminary recommendation.

Definitions shared by every function here:

- The *submission deadline* of a meeting is the rule of ``data/reference/workplan.csv``
  applied to its first day (three weeks before, :meth:`Reference.deadline`); the store
  keeps it in ``meeting.submission_deadline`` (written from the same rule).
- A written submission is *on time* when it was received on or before the deadline day,
  *late* when received after it, and *undated* when the file came without a received
  date. Statements are delivered at the meeting and never late, so only written
  submissions are counted; the document-kind filter is ignored.
- A comment on a preliminary recommendation is on time when received on or before the
  stock-taking meeting's deadline.
- Regions follow ``filters.region_column``; observers (organizations, private sector,
  academia, UNODC) have none and are counted as "Observers", a State without a region in
  the scheme (the Holy See has no regional group) as "No region".
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from ..reference import REGION_SCHEMES
from ..store.db import Database
from .filters import Filters

ON_TIME, LATE, UNDATED = "on_time", "late", "undated"
TIMELINESS_LABELS = {ON_TIME: "On time", LATE: "Late", UNDATED: "No received date"}
OBSERVERS = "Observers"
NO_REGION = "No region"


def timeliness(received: date | None, deadline: date) -> str:
    """``on_time`` when received on or before the deadline day, ``late`` after it,
    ``undated`` without a received date (the same rule as the SQL below)."""
    if received is None or pd.isna(received):
        return UNDATED
    return ON_TIME if received <= deadline else LATE


def _region(filters: Filters) -> str:
    column = filters.region_column
    assert column in REGION_SCHEMES  # an identifier from a fixed list, never user text
    return column


# grain: one row per meeting of the reference table
SCHEDULE_SQL = """
with topics as (  -- one row per meeting with work-plan topics
    select meeting, list(label order by ordinal) as topics
    from topic group by meeting
),
written as (  -- one row per meeting with written submissions
    select d.meeting,
        count(*) as written_submissions,
        count(*) filter (where d.received <= m.submission_deadline) as on_time,
        count(*) filter (where d.received > m.submission_deadline) as late,
        count(*) filter (where d.received is null) as undated
    from document d join meeting m on m.number = d.meeting
    where d.kind = 'written_submission'
    group by d.meeting
),
comments as (  -- one row per meeting with comments on recommendations
    select d.meeting, count(*) as comments
    from recommendation_comment c join document d on d.id = c.document_id
    group by d.meeting
)
select
    m.number as meeting, m.name, m.start_date, m.end_date, m.submission_deadline,
    m.stocktaking,
    coalesce(t.topics, []::varchar[]) as topics,
    coalesce(m.agenda, '') as agenda,
    coalesce(w.written_submissions, 0) as written_submissions,
    coalesce(w.on_time, 0) as on_time,
    coalesce(w.late, 0) as late,
    coalesce(w.undated, 0) as undated,
    coalesce(c.comments, 0) as comments
from meeting m
left join topics t on t.meeting = m.number
left join written w on w.meeting = m.number
left join comments c on c.meeting = m.number
where len(?::integer[]) = 0 or list_contains(?::integer[], m.number)
order by m.number
"""


def schedule(db: Database, *, meetings: tuple[int, ...] = ()) -> pd.DataFrame:
    """Grain: one row per meeting (every meeting of the reference table, or ``meetings``).
    Columns: meeting, name, start_date, end_date, submission_deadline, stocktaking, topics
    (work-plan topic labels, in order; empty for a meeting without topics), agenda (what
    a meeting without topics treats), written_submissions, on_time, late, undated (see the
    module docstring), comments (comments on recommendations filed for the meeting)."""
    numbers = [int(m) for m in meetings]
    frame = db.query(SCHEDULE_SQL, [numbers, numbers])
    frame["topics"] = frame["topics"].map(list)
    return frame


# grain: one row per (meeting, region) with at least one written submission in the filters
TIMELINESS_SQL = """
with docs as (  -- one row per written submission with a passage in the filters
    select p.document_id, any_value(p.meeting) as meeting, any_value(p.received) as received,
        any_value(p.actor_id) as actor_id, any_value(p.actor_name) as submitter,
        any_value(p.actor_type) as actor_type,
        any_value(case
            when p.actor_type not in ('member_state', 'observer_state') then '{observers}'
            else coalesce(nullif(p.{region}, ''), '{no_region}') end) as region
    from {view} p
    where p.kind = 'written_submission' and {where}
    group by p.document_id
),
judged as (
    select d.*, m.submission_deadline,
        case when d.received is null then 'undated'
             when d.received <= m.submission_deadline then 'on_time'
             else 'late' end as timeliness
    from docs d join meeting m on m.number = d.meeting
)
select meeting, any_value(submission_deadline) as submission_deadline, region,
    count(*) as submissions,
    count(*) filter (where timeliness = 'on_time') as on_time,
    count(*) filter (where timeliness = 'late') as late,
    count(*) filter (where timeliness = 'undated') as undated,
    count(distinct actor_id) as submitters,
    list_sort(list(distinct submitter) filter (where timeliness = 'late')) as late_submitters,
    max(datediff('day', submission_deadline, received)) filter (where timeliness = 'late')
        as most_days_late
from judged
group by meeting, region
-- the States' regions, then States without one, then observers
order by meeting, region = '{observers}', region = '{no_region}', region
"""


def submissions_timeliness(db: Database, filters: Filters) -> pd.DataFrame:
    """Grain: one row per (meeting, region) with at least one written submission under
    the filters (document-kind filter ignored; a document counts when any of its passages
    is in the filters). Columns: meeting, submission_deadline, region (or "Observers",
    "No region"), submissions, on_time, late, undated, submitters (distinct), late_submitters
    (names), most_days_late (days after the deadline of the latest one; null when none is
    late), on_time_share (on time ÷ dated submissions, 0–1; null when none is dated)."""
    where, params = filters.without("kinds").where("p")
    # without a topic filter the model's labels are not needed: v_passage_source spares
    # the join of a million classification rows
    view = "v_passage" if filters.topics else "v_passage_source"
    sql = TIMELINESS_SQL.format(
        view=view, region=_region(filters), where=where, observers=OBSERVERS, no_region=NO_REGION
    )
    frame = db.query(sql, params)  # noqa: S608 - identifiers from fixed lists; values bound
    frame["late_submitters"] = frame["late_submitters"].map(
        lambda names: list(names) if names is not None else []
    )
    frame["most_days_late"] = frame["most_days_late"].astype("Int64")
    dated = frame["on_time"] + frame["late"]
    frame["on_time_share"] = (frame["on_time"] / dated.where(dated > 0)).astype("float64")
    return frame


# grain: one row per preliminary recommendation of the meetings before the stock-taking one
COMMENTS_SQL = """
with stocktaking as (
    select number, submission_deadline from meeting where number = ?
),
comments as (  -- one row per recommendation with comments
    select c.recommendation_id,
        count(*) as comments,
        count(distinct c.actor_id) as commenters,
        count(distinct a.country_iso3) filter (
            where a.actor_type in ('member_state', 'observer_state')) as commenting_states,
        list_sort(list(distinct a.name)) as commenter_names,
        count(*) filter (where c.received <= (select submission_deadline from stocktaking))
            as on_time,
        count(*) filter (where c.received > (select submission_deadline from stocktaking))
            as late,
        max(c.received) as last_received
    from recommendation_comment c join actor a on a.id = c.actor_id
    group by c.recommendation_id
)
select r.id, r.meeting, r.number, r.meeting || '.' || r.number as reference,
    coalesce(r.topic_id, '') as topic_id,
    coalesce(t.label, 'No work-plan topic') as topic,
    coalesce(t.ordinal, 99) as topic_ordinal,
    r.status,
    case when m.id is not null then m.meeting || '.' || m.number end as merged_into,
    coalesce(c.comments, 0) as comments,
    coalesce(c.commenters, 0) as commenters,
    coalesce(c.commenting_states, 0) as commenting_states,
    coalesce(c.commenter_names, []::varchar[]) as commenter_names,
    coalesce(c.on_time, 0) as on_time,
    coalesce(c.late, 0) as late,
    c.last_received,
    r.text
from recommendation r
left join topic t on t.id = r.topic_id
left join recommendation m on m.id = r.merged_into_id
left join comments c on c.recommendation_id = r.id
where r.meeting < (select number from stocktaking)
  and (len(?::varchar[]) = 0 or list_contains(?::varchar[], r.topic_id))
order by r.meeting, r.number
"""


def stocktaking_meeting(db: Database) -> int | None:
    """The number of the (first) stock-taking meeting, or None when there is none."""
    value = db.scalar("select min(number) from meeting where stocktaking")
    return None if value is None else int(value)


def recommendation_comments_status(
    db: Database, *, meeting: int | None = None, topics: tuple[str, ...] = ()
) -> pd.DataFrame:
    """Grain: one row per preliminary recommendation listed at a meeting before the
    stock-taking ``meeting`` (the first stock-taking meeting by default), of ``topics`` if
    given. Columns: id, meeting, number, reference ("4.12"), topic_id, topic, topic_ordinal,
    status, outcome (Adopted / Merged / Withdrawn / Pending), merged_into, comments,
    commenters, commenting_states, commenter_names, on_time / late (comments received on or
    before / after the stock-taking meeting's submission deadline; undated ones in
    neither), last_received, text. Empty when there is no stock-taking meeting."""
    from .recommendations import OUTCOME_LABELS

    number = stocktaking_meeting(db) if meeting is None else int(meeting)
    if number is None:
        number = -1  # no stock-taking meeting: nothing comes before it
    topic_list = list(topics)
    frame = db.query(COMMENTS_SQL, [number, topic_list, topic_list])
    frame["commenter_names"] = frame["commenter_names"].map(list)
    frame["outcome"] = frame["status"].map(OUTCOME_LABELS).fillna(frame["status"])
    return frame


def comments_by_status(frame: pd.DataFrame) -> pd.DataFrame:
    """Grain: one row per (topic, outcome) of :func:`recommendation_comments_status`:
    recommendations, with_comments (recommendations with at least one comment), comments.
    Pure pandas: the chart of the page and the export use the same frame."""
    if frame.empty:
        return pd.DataFrame(
            columns=[
                "topic_id",
                "topic",
                "topic_ordinal",
                "outcome",
                "recommendations",
                "with_comments",
                "comments",
            ]
        )
    grouped = (
        frame.assign(has_comments=frame["comments"] > 0)
        .groupby(["topic_id", "topic", "topic_ordinal", "outcome"], as_index=False)
        .agg(
            recommendations=("id", "count"),
            with_comments=("has_comments", "sum"),
            comments=("comments", "sum"),
        )
    )
    return grouped.sort_values(["topic_ordinal", "outcome"]).reset_index(drop=True)
