"""Recommendation coverage, for the Secretariat: what became of the preliminary
recommendations, which work-plan topics they cover thinly compared with what was submitted,
which sub-themes of the submissions they leave out, and the recommendations themselves.

"Submission passages" are passages of written submissions, statements and comments (never of
recommendation lists). A recommendation's topic is the heading it was listed under; the
model's labels are shown beside it, never instead of it. Labels and terms are those of the
current model version (``meta.model_version``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from ..records import THIN_RATIO, TOPIC_IDS
from ..store.db import Database
from ..store.facts import (
    cube_source,
    once_per_version,
    passage_rows,
    passage_source,
    term_cube_source,
    with_texts,
)
from .filters import Filters

SUBMISSION_KINDS = ("written_submission", "statement", "comment")
OUTCOME_LABELS = {
    "adopted": "Adopted",
    "merged": "Merged",
    "preliminary": "Pending",
    "withdrawn": "Withdrawn",
}
# a recommendation the model places elsewhere with at least this score is worth a look
DISAGREEMENT_SCORE = 0.5
# a term is "rare" in recommendations when they mention it at less than this fraction of
# the rate at which the submissions on the topic do
RARE_FRACTION = 0.5
TOPIC_COLUMNS = TOPIC_IDS


@dataclass(frozen=True)
class ModelStatus:
    """What the current model version has produced so far."""

    version: str | None
    passages_classified: int
    recommendations_classified: int
    passage_terms: int
    recommendation_terms: int

    @property
    def has_terms(self) -> bool:
        return self.passage_terms > 0


def model_status(db: Database) -> ModelStatus:
    """One summary of the current model version's output (for empty states), counted once
    per data and model version (``once_per_version``)."""
    return once_per_version(db, "model_status", lambda: _model_status(db))


def _model_status(db: Database) -> ModelStatus:
    row = db.query(
        """
        with v as (select value as version from meta where key = 'model_version')
        select
            (select version from v) as version,
            (select count(*) from passage_classification c, v
              where c.model_version = v.version) as passages_classified,
            (select count(*) from recommendation_classification c, v
              where c.model_version = v.version) as recommendations_classified,
            (select count(*) from text_term t, v
              where t.model_version = v.version and t.source = 'passage') as passage_terms,
            (select count(*) from text_term t, v
              where t.model_version = v.version and t.source = 'recommendation')
              as recommendation_terms
        """
    ).iloc[0]
    version = row["version"]
    return ModelStatus(
        version=None if pd.isna(version) else str(version),
        passages_classified=int(row["passages_classified"]),
        recommendations_classified=int(row["recommendations_classified"]),
        passage_terms=int(row["passage_terms"]),
        recommendation_terms=int(row["recommendation_terms"]),
    )


def _recommendation_predicate(
    alias: str,
    *,
    meetings: Sequence[int] = (),
    topics: Sequence[str] = (),
    statuses: Sequence[str] = (),
) -> tuple[str, list]:
    """A predicate over ``recommendation`` (fixed column names; values bound)."""
    clauses, params = [], []
    for values, column in ((meetings, "meeting"), (topics, "topic_id"), (statuses, "status")):
        if values:
            clauses.append(f"list_contains(?, {alias}.{column})")
            params.append(list(values))
    return " and ".join(clauses) or "true", params


def _submission_predicate(filters: Filters, alias: str) -> tuple[str, list]:
    """Submission passages within the filters (the topic filter is the caller's business)."""
    where, params = filters.where(alias)
    return f"list_contains(?, {alias}.kind) and {where}", [list(SUBMISSION_KINDS), *params]


# grain: one row per (listed topic, meeting, status) with at least one recommendation
OUTCOMES_SQL = """
select
    coalesce(r.topic_id, '') as topic_id,
    coalesce(t.label, 'No work-plan topic') as topic,
    coalesce(t.short_label, 'No topic') as short_label,
    coalesce(t.ordinal, 99) as ordinal,
    r.meeting,
    r.status,
    count(*) as recommendations
from recommendation r
left join topic t on t.id = r.topic_id
where {where}
group by all
order by r.meeting, ordinal, r.status
"""


def outcomes_by_topic(
    db: Database, *, meetings: Sequence[int] = (), topics: Sequence[str] = ()
) -> pd.DataFrame:
    """One row per (listed topic, meeting, status) that has recommendations: topic_id,
    topic, short_label, ordinal, meeting, status, outcome (Adopted, Merged, Withdrawn, or
    Pending for a preliminary recommendation the stock-taking meeting has not decided on),
    recommendations (count). A recommendation listed under no work-plan heading has
    topic_id '' and topic "No work-plan topic". ``topics`` narrows to listed topics."""
    where, params = _recommendation_predicate("r", meetings=meetings, topics=topics)
    frame = db.query(OUTCOMES_SQL.format(where=where), params)
    frame["outcome"] = frame["status"].map(OUTCOME_LABELS).fillna(frame["status"])
    return frame


# grain: one row per work-plan topic
COVERAGE_SQL = """
with submission as (  -- passage counts, from cube_source (a table, or a query in parentheses)
    select p.classified, p.topic_labels, p.n
    from {source} p
    where {passage_where}
),
totals as (
    select
        cast(coalesce(sum(n), 0) as bigint) as passages_in_view,
        cast(coalesce(sum(n) filter (where classified), 0) as bigint) as passages_classified,
        cast(coalesce(sum(n) filter (where len(topic_labels) > 0), 0) as bigint)
            as passages_labelled
    from submission
),
passage_topic as (
    select topic_id, cast(sum(n) as bigint) as passages
    from (select unnest(topic_labels) as topic_id, n from submission)
    group by 1
),
rec_topic as (
    select r.topic_id, count(*) as recommendations
    from recommendation r
    where r.topic_id is not null and {rec_where}
    group by 1
)
select
    t.id as topic_id, t.label as topic, t.short_label, t.ordinal, t.meeting as topic_meeting,
    coalesce(rt.recommendations, 0) as recommendations,
    coalesce(pt.passages, 0) as passages,
    tot.passages_in_view, tot.passages_classified, tot.passages_labelled
from topic t
cross join totals tot
left join rec_topic rt on rt.topic_id = t.id
left join passage_topic pt on pt.topic_id = t.id
order by t.ordinal
"""


def coverage(db: Database, filters: Filters, *, statuses: Sequence[str] = ()) -> pd.DataFrame:
    """One row per work-plan topic: how much of the recommendations it holds against how
    much of the submissions it holds.

    - ``recommendations``: recommendations listed under the topic's heading (in the
      filters' meetings; of ``statuses`` if given, else all). ``recommendation_share`` is
      that count over the recommendations listed under any work-plan topic.
    - ``passages``: submission passages in the filters that the model labels with the topic
      (a passage can carry several labels). ``passage_share`` is that count over the sum of
      these counts across the six topics, so both shares add up to 1.
    - ``coverage_ratio`` = recommendation_share / passage_share: 1 means the topic has as
      many recommendations as its weight in the submissions; below 1 it is covered thinly.
      Null where the submissions in view never raise the topic.
    - ``expected_recommendations`` = passage_share x all recommendations counted: what a
      proportional share would be; ``shortfall`` = expected minus actual.
    - ``on_agenda``: the topic is on the work plan of one of the filters' meetings (always
      true without a meeting filter): a topic off the agenda has few recommendations by
      design. ``thin``: on the agenda with a coverage_ratio below 0.8 (``THIN_RATIO``).
    - ``passages_in_view``, ``passages_classified``, ``passages_labelled``: the same on
      every row, so a reader can tell "not raised" from "not classified yet".

    The topic filter is ignored (the topics are the rows); region, State, submitter type
    and language filters narrow the submission passages only.
    """
    passage_where, passage_params = _submission_predicate(filters.without("topics"), "p")
    rec_where, rec_params = _recommendation_predicate(
        "r", meetings=filters.meetings, statuses=statuses
    )
    sql = COVERAGE_SQL.format(
        source=cube_source(db), passage_where=passage_where, rec_where=rec_where
    )
    frame = db.query(sql, [*passage_params, *rec_params])
    rec_total = frame["recommendations"].sum()
    passage_total = frame["passages"].sum()
    frame["recommendation_share"] = frame["recommendations"] / rec_total if rec_total else 0.0
    frame["passage_share"] = frame["passages"] / passage_total if passage_total else 0.0
    ratio = frame["recommendation_share"] / frame["passage_share"].where(frame["passage_share"] > 0)
    frame["coverage_ratio"] = ratio.astype("float64")
    frame["expected_recommendations"] = frame["passage_share"] * rec_total
    frame["shortfall"] = frame["expected_recommendations"] - frame["recommendations"]
    frame["on_agenda"] = frame["topic_meeting"].isin(filters.meetings) if filters.meetings else True
    thin = (frame["coverage_ratio"] < THIN_RATIO).fillna(False).astype(bool)
    frame["thin"] = thin & frame["on_agenda"]
    return frame


def least_covered_topic(cover: pd.DataFrame) -> str | None:
    """The topic of :func:`coverage`'s frame with the lowest coverage ratio among those on
    the agenda of the filters' meetings (a topic off the agenda has no recommendations by
    design), else among all; None when no topic has a ratio."""
    ratios = cover.dropna(subset=["coverage_ratio"])
    on_agenda = ratios[ratios["on_agenda"].astype(bool)]
    ratios = on_agenda if len(on_agenda) else ratios
    if ratios.empty:
        return None
    return str(ratios.sort_values(["coverage_ratio", "ordinal"])["topic_id"].iloc[0])


# grain: one row per vocabulary term of the topic that submission passages on it mention.
# A passage lies in exactly one row of {cube} and of {terms} (its meeting, kind, language,
# submitter and labels), so summing their counts counts each passage once; a submitter has
# one State, so distinct States and submitters are counted over the rows.
GAPS_SQL = """
with version as (select value as v from meta where key = 'model_version'),
topic_rec as (
    select r.id from recommendation r where r.topic_id = ? and {rec_where}
),
passage_terms as (
    select p.term_id,
           cast(sum(p.n) as bigint) as passages,
           count(distinct p.country_iso3) as states,
           count(distinct p.actor_id) as submitters
    from {terms} p
    where list_contains(p.topic_labels, ?) and {passage_where}
    group by 1
),
rec_terms as (
    select tt.term_id, count(distinct tt.source_id) as recommendations
    from text_term tt
    join topic_rec tr on tr.id = tt.source_id
    where tt.source = 'recommendation' and tt.model_version = (select v from version)
    group by 1
)
select
    pt.term_id,
    coalesce(te.label, replace(pt.term_id, '_', ' ')) as label,
    te.topic_id as term_topic,
    pt.passages, pt.states, pt.submitters,
    coalesce(rt.recommendations, 0) as recommendations,
    (select cast(coalesce(sum(p.n), 0) as bigint) from {cube} p
      where list_contains(p.topic_labels, ?) and {passage_where}) as topic_passages,
    (select count(*) from topic_rec) as topic_recommendations
from passage_terms pt
left join term te on te.id = pt.term_id
left join rec_terms rt on rt.term_id = pt.term_id
where {term_where}
"""


def subtheme_gaps(
    db: Database,
    filters: Filters,
    topic: str,
    *,
    top: int = 15,
    own_vocabulary: bool = True,
    min_passages: int = 2,
) -> pd.DataFrame:
    """One row per vocabulary term (at most ``top``) that submission passages on ``topic``
    raise more prominently than the recommendations listed under it: term_id, label,
    term_topic, passages / states / submitters mentioning it (in passages the model labels
    with the topic, within the filters), recommendations mentioning it (listed under the
    topic, in the filters' meetings), topic_passages and topic_recommendations (the
    denominators), passage_share and recommendation_share (term mentions over those
    denominators), gap = passage_share - recommendation_share, and coverage "absent"
    (no recommendation mentions it) or "rare" (recommendations mention it at less than
    half the rate the passages do; terms mentioned more often than that are left out).

    Only terms of the topic's own vocabulary count unless ``own_vocabulary`` is false; a
    term needs at least ``min_passages`` passages. Ordered by gap, widest first. Empty when
    the current model version has matched no terms.
    """
    passage_where, passage_params = _submission_predicate(filters.without("topics"), "p")
    rec_where, rec_params = _recommendation_predicate("r", meetings=filters.meetings)
    term_where = "pt.passages >= ?" + (" and te.topic_id = ?" if own_vocabulary else "")
    term_params: list = [min_passages] + ([topic] if own_vocabulary else [])
    sql = GAPS_SQL.format(
        terms=term_cube_source(db),
        cube=cube_source(db),
        passage_where=passage_where,
        rec_where=rec_where,
        term_where=term_where,
    )
    frame = db.query(
        sql,
        [topic, *rec_params, topic, *passage_params, topic, *passage_params, *term_params],
    )
    if frame.empty:
        return frame.assign(
            passage_share=pd.Series(dtype="float64"),
            recommendation_share=pd.Series(dtype="float64"),
            gap=pd.Series(dtype="float64"),
            coverage=pd.Series(dtype="str"),
        )
    frame["passage_share"] = frame["passages"] / frame["topic_passages"]
    recs = frame["topic_recommendations"]
    frame["recommendation_share"] = (frame["recommendations"] / recs.where(recs > 0)).fillna(0.0)
    frame["gap"] = frame["passage_share"] - frame["recommendation_share"]
    frame["coverage"] = frame["recommendations"].map(lambda n: "absent" if n == 0 else "rare")
    kept = frame["recommendation_share"] < frame["passage_share"] * RARE_FRACTION
    frame = frame[kept].sort_values(
        ["gap", "states", "passages", "term_id"], ascending=[False, False, False, True]
    )
    return frame.head(top).reset_index(drop=True)


# grain: one row per submission passage on the topic that mentions the term
# grain: one row per shown passage (its id, in the order shown): the submission passages
# labelled with the topic, within the filters, that mention the term. Only the ids and the
# ordering columns are read here (the other columns of a million rows cost more than the
# whole query); the shown rows' columns are read by id (GAP_COLUMNS).
GAP_PASSAGES_SQL = """
select p.passage_id
from {source} p
where list_contains(p.topic_labels, ?) and {passage_where}
  and p.passage_id in (
      select tt.source_id from text_term tt
      where tt.source = 'passage' and tt.term_id = ?
        and tt.model_version = (select value from meta where key = 'model_version')
  )
order by p.meeting, p.actor_name, p.document_id, p.seq
limit ?
"""
# the columns of a shown passage, over v_passage_source (facts.passage_rows)
GAP_COLUMNS = """meeting, actor_name, actor_type, country_name, kind,
    coalesce(title, source_name) as document, heading, para_number"""


def gap_passages(
    db: Database, filters: Filters, topic: str, term_id: str, limit: int = 50
) -> pd.DataFrame:
    """One row per submission passage (at most ``limit``) labelled with ``topic`` and within
    the filters that mentions ``term_id``: the evidence behind a row of
    :func:`subtheme_gaps`. Columns: passage_id, meeting, actor_name, actor_type,
    country_name, kind, document, heading, para_number, text."""
    passage_where, passage_params = _submission_predicate(filters.without("topics"), "p")
    sql = GAP_PASSAGES_SQL.format(source=passage_source(db), passage_where=passage_where)
    shown = db.query(sql, [topic, *passage_params, term_id, int(limit)])
    rows = passage_rows(db, shown["passage_id"].tolist(), GAP_COLUMNS)
    return with_texts(db, shown.merge(rows, on="passage_id", how="left"))  # in shown's order


# grain: one row per recommendation
RECOMMENDATIONS_SQL = """
with version as (select value as v from meta where key = 'model_version'),
scores as (
    unpivot (
        select c.recommendation_id, {topic_columns}
        from recommendation_classification c
        where c.model_version = (select v from version) and c.classified
    )
    on {topic_columns} into name topic_id value score
),
ranked as (
    -- the model's best topic; on a tie the heading's own topic wins, then work-plan order
    select s.recommendation_id, s.topic_id, s.score,
           row_number() over (
               partition by s.recommendation_id
               order by s.score desc, (s.topic_id = r.topic_id) desc, t.ordinal
           ) as rank
    from scores s
    join recommendation r on r.id = s.recommendation_id
    join topic t on t.id = s.topic_id
),
best as (
    select recommendation_id, topic_id as model_topic_id, score as model_score
    from ranked where rank = 1
),
labels as (
    select c.recommendation_id, string_agg(t.label, '; ' order by t.ordinal) as model_labels
    from recommendation_classification c, unnest(c.topic_labels) as u(topic_id)
    join topic t on t.id = u.topic_id
    where c.model_version = (select v from version)
    group by 1
),
comments as (
    select recommendation_id, count(*) as comments
    from recommendation_comment group by 1
)
select
    r.id,
    r.meeting,
    r.number,
    r.meeting || '.' || r.number as reference,
    r.topic_id,
    coalesce(t.label, 'No work-plan topic') as listed_topic,
    coalesce(t.short_label, 'No topic') as listed_short,
    b.model_topic_id,
    mt.label as model_topic,
    mt.short_label as model_short,
    b.model_score,
    ls.score as listed_topic_score,
    lb.model_labels,
    coalesce(
        b.model_topic_id is not null and b.model_score >= ?
        and b.model_topic_id is distinct from r.topic_id,
        false
    ) as disagreement,
    r.status,
    case when m.id is not null then m.meeting || '.' || m.number end as merged_into,
    coalesce(cm.comments, 0) as comments,
    r.text
from recommendation r
left join topic t on t.id = r.topic_id
left join best b on b.recommendation_id = r.id
left join topic mt on mt.id = b.model_topic_id
left join scores ls on ls.recommendation_id = r.id and ls.topic_id = r.topic_id
left join recommendation m on m.id = r.merged_into_id
left join comments cm on cm.recommendation_id = r.id
left join labels lb on lb.recommendation_id = r.id
where {where}
order by r.meeting, r.number
"""


def recommendation_table(
    db: Database,
    *,
    meetings: Sequence[int] = (),
    topics: Sequence[str] = (),
    statuses: Sequence[str] = (),
    search: str | None = None,
    disagreements_only: bool = False,
) -> pd.DataFrame:
    """One row per recommendation: id, meeting, number, reference ("4.12"), topic_id,
    listed_topic and listed_short (the heading it was listed under), model_topic_id /
    model_topic / model_short / model_score (the model's best-scoring topic, the heading's
    own on a tie, and its score; null until classified),
    listed_topic_score (the model's score for the heading's topic), model_labels (every
    topic the model labels it with, "; "-separated; null if none), disagreement (the
    model's best topic differs from the heading's with a score of at least 0.5), status,
    outcome (Adopted / Merged / Withdrawn / Pending), merged_into ("meeting.number"),
    comments (count), text.

    ``search`` matches words in the text (case-insensitive substring) or a reference
    such as "4.12"; ``topics`` are listed topics."""
    where, params = _recommendation_predicate(
        "r", meetings=meetings, topics=topics, statuses=statuses
    )
    needle = (search or "").strip()
    if needle:
        where += " and (contains(lower(r.text), lower(?)) or (r.meeting || '.' || r.number) = ?)"
        params += [needle[:200], needle[:20]]
    if disagreements_only:
        where += " and disagreement"
    columns = ", ".join(TOPIC_COLUMNS)
    sql = RECOMMENDATIONS_SQL.format(topic_columns=columns, where=where)
    frame = db.query(sql, [DISAGREEMENT_SCORE, *params])
    frame["outcome"] = frame["status"].map(OUTCOME_LABELS).fillna(frame["status"])
    return frame


def recommendation_comments(db: Database, recommendation_id: int) -> pd.DataFrame:
    """One row per comment on one recommendation: submitter, actor_type, received, text."""
    return db.query(
        """
        select a.name as submitter, a.actor_type, c.received, c.text
        from recommendation_comment c join actor a on a.id = c.actor_id
        where c.recommendation_id = ?
        order by c.received nulls last, a.name
        """,
        [int(recommendation_id)],
    )
