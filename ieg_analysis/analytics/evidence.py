"""The evidence behind each recommendation, for delegates: the submission passages most
similar to a preliminary recommendation, with their States and regions, and, per work-plan
topic, whether some regions' submissions are reflected in the recommendations less than
their share of the submitting States.

Definitions shared by every function here:

- *Candidate evidence* for a recommendation listed at meeting M: passages of written
  submissions and statements (never recommendation lists, nor comments, which answer the
  recommendations rather than inspire them) of meetings up to M.
- *Similarity* of a passage to a recommendation =
  ``bm25_norm + TERM_WEIGHT × term_overlap``, where
  ``bm25_norm`` is the passage's BM25 score for the recommendation's words (the search
  index of the explorer: Porter stems, English stop words, k1 = 1.2, b = 0.75) divided by
  the best score among the recommendation's candidates (0–1), and ``term_overlap`` is the
  share of the recommendation's vocabulary terms (``text_term``) that the passage also
  raises (0–1; 0 when the recommendation has no term). A passage with neither a word nor
  a term in common is no candidate. The ``top`` passages by similarity are its evidence.
- Regions follow ``filters.region_column``; a submitter that is not a State has its kind
  ("Private sector", "UNODC") in the region column.
- The filters: meetings and topics choose the recommendations (listed meeting, listed
  topic); regions, States, submitter types and languages narrow the evidence passages of
  :func:`recommendation_evidence` (a delegate can ask "what of my region's submissions is
  behind this?"). :func:`representation` compares regions, so it ignores the region and
  State filters.
"""

from __future__ import annotations

import pandas as pd

from ..errors import IEGError
from ..records import OBSERVER_TYPES
from ..reference import REGION_SCHEMES
from ..store.db import Database
from ..store.facts import passage_source
from .filters import ACTOR_TYPE_LABELS, Filters

EVIDENCE_KINDS = ("written_submission", "statement")
TERM_WEIGHT = 0.5
DEFAULT_TOP = 10
NO_REGION = "No region"
# the region column of a submitter that is not a State: its kind ("Private sector", not a
# catch-all "Observers" that hides a company among intergovernmental organisations)
NON_STATE_GROUPS = " ".join(
    f"when '{kind}' then '{ACTOR_TYPE_LABELS[kind]}'" for kind in OBSERVER_TYPES
)


class NoSearchIndexError(IEGError):
    def __init__(self) -> None:
        super().__init__(
            "The database has no full-text index yet: ingest a document (the index is "
            "rebuilt after each ingest) and try again."
        )


def _region(filters: Filters) -> str:
    column = filters.region_column
    assert column in REGION_SCHEMES  # an identifier from a fixed list, never user text
    return column


def has_search_index(db: Database) -> bool:
    """True when the BM25 index (``fts_main_passage``) exists."""
    return bool(
        db.scalar(
            "select count(*) from duckdb_tables() "
            "where schema_name = 'fts_main_passage' and table_name = 'docs'"
        )
    )


def recommendation_by_reference(db: Database, reference: str) -> tuple[int, str] | None:
    """The id and text of the recommendation "MEETING.NUMBER" (e.g. "4.12"), or None."""
    meeting, _, number = (reference or "").strip().partition(".")
    found = db.query(
        "select id, text from recommendation "
        "where cast(meeting as varchar) = ? and cast(number as varchar) = ?",
        [meeting.strip()[:10], number.strip()[:10]],
    )
    return None if found.empty else (int(found["id"].iloc[0]), str(found["text"].iloc[0]))


# the BM25 CTEs of _evidence_sql (the formula of fts_main_passage.match_bm25, k = 1.2,
# b = 0.75, for every (recommendation, passage) pair at once), from the index's terms table
# (one row per token of every passage) ...
_BM25_FROM_TERMS = """term_freq as (  -- one row per (recommendation, passage, word): its tf
        select w.rec_id, te.docid, w.termid, count(*) as tf, any_value(w.df) as df
        from rec_words w join fts_main_passage.terms te on te.termid = w.termid
        group by w.rec_id, te.docid, w.termid
    ),
    bm25 as (
        select f.rec_id, docs.name as passage_id,
            sum(log((stats.num_docs - f.df + 0.5) / (f.df + 0.5) + 1)
                * (f.tf * (1.2 + 1))
                / (f.tf + 1.2 * (1 - 0.75 + 0.75 * docs.len / stats.avgdl))) as bm25
        from term_freq f
        join fts_main_passage.docs docs on docs.docid = f.docid
        cross join fts_main_passage.stats stats
        group by f.rec_id, docs.name
    ),"""
# ... or from passage_postings (migration 010: tf and length per term and passage, in term
# order), reading the postings of the recommendations' terms only (bound as values)
_BM25_FROM_POSTINGS = """bm25 as (
        select w.rec_id, p.passage_id,
            sum(log((stats.num_docs - w.df + 0.5) / (w.df + 0.5) + 1)
                * (p.tf * (1.2 + 1))
                / (p.tf + 1.2 * (1 - 0.75 + 0.75 * p.len / stats.avgdl))) as bm25
        from rec_words w
        join passage_postings p on p.termid = w.termid
        cross join fts_main_passage.stats stats
        where p.termid in ({placeholders})
        group by w.rec_id, p.passage_id
    ),"""
# grain: one row: the index terms of a recommendation's words, and whether passage_postings
# was built from the current index
_POSTINGS_TERMS_SQL = """
select
    coalesce(list(distinct d.termid order by d.termid), []::bigint[]) as termids,
    coalesce((select value from meta where key = 'search_postings')
        = (select num_docs || '/' || avgdl from fts_main_passage.stats), false) as postings
from fts_main_passage.dict d
where d.term in (
    select stem(unnest(fts_main_passage.tokenize(text)), 'porter')
    from recommendation where id = ?
)
"""


def _postings_termids(db: Database, recommendation_id: int) -> list[int] | None:
    """The index terms of the recommendation's words when passage_postings is current,
    else None (BM25 is then computed from the index's terms table)."""
    row = db.query(_POSTINGS_TERMS_SQL, [int(recommendation_id)]).iloc[0]
    return [int(t) for t in row["termids"]] if bool(row["postings"]) else None


def _evidence_sql(
    filters: Filters,
    *,
    passage_filters: Filters,
    recommendation_id: int | None = None,
    topic_id: str | None = None,
    source: str = "v_passage_source",
    termids: list[int] | None = None,
) -> tuple[str, list]:
    """CTEs ending in ``ranked``: one row per (recommendation, candidate passage) with its
    similarity and rank (1 = most similar) among the recommendation's candidates.

    The pairs are driven by what matches (the passages sharing a word or a term with a
    recommendation), never by recommendations x all passages; the passage attributes are
    joined only for those, and the text is left for the caller to fetch for its top rows.

    ``source``: the relation of passage attributes (a fixed identifier: ``v_passage_source``
    or :func:`passage_source`). ``termids``: the index terms of the recommendations' words
    when ``passage_postings`` is current (:func:`_postings_termids`): the BM25 scores are
    then computed from the postings of these terms only, else from the index's terms table."""
    region = _region(filters)
    rec_clauses, rec_params = [], []
    if filters.meetings:
        rec_clauses.append("list_contains(?, r.meeting)")
        rec_params.append(list(filters.meetings))
    if filters.topics:
        rec_clauses.append("list_contains(?, r.topic_id)")
        rec_params.append(list(filters.topics))
    rec_where = " and ".join(rec_clauses) or "true"
    passage_where, passage_params = passage_filters.without("meetings", "topics", "kinds").where(
        "p"
    )
    if termids is None:
        bm25_ctes, bm25_params = _BM25_FROM_TERMS, []
    else:
        placeholders = ", ".join("?" for _ in termids) or "null"
        bm25_ctes = _BM25_FROM_POSTINGS.format(placeholders=placeholders)
        bm25_params = [int(t) for t in termids]
    assert source in ("v_passage_source", "v_passage", "passage_fact")  # fixed identifiers
    sql = f"""
    with version as (select value as v from meta where key = 'model_version'),
    recs as (  -- the recommendations in view
        select r.id as rec_id, r.meeting as rec_meeting, r.topic_id as rec_topic, r.text
        from recommendation r
        where {rec_where} and (?::integer is null or r.id = ?::integer)
          and (?::varchar is null or r.topic_id = ?::varchar)
    ),
    rec_tokens as (  -- one row per (recommendation, distinct stemmed word)
        select distinct rec_id,
            stem(unnest(fts_main_passage.tokenize(text)), 'porter') as token
        from recs
    ),
    rec_words as (  -- the words of the index vocabulary (stop words are not in it)
        select t.rec_id, d.termid, d.df
        from rec_tokens t join fts_main_passage.dict d on d.term = t.token
    ),
{bm25_ctes}
    rec_terms as (
        select source_id as rec_id, list_sort(list(distinct term_id)) as terms
        from text_term
        where source = 'recommendation' and model_version = (select v from version)
          and source_id in (select rec_id from recs)
        group by source_id
    ),
    shared as (  -- one row per (recommendation, passage) sharing vocabulary terms
        select rt.rec_id, pt.source_id as passage_id,
            list_sort(list(distinct pt.term_id)) as shared_terms
        from rec_terms rt, unnest(rt.terms) as u(term_id)
        join text_term pt on pt.term_id = u.term_id and pt.source = 'passage'
            and pt.model_version = (select v from version)
        group by rt.rec_id, pt.source_id
    ),
    matched as (  -- one row per (recommendation, passage) sharing a word or a term
        select coalesce(b.rec_id, s.rec_id) as rec_id,
            coalesce(b.passage_id, s.passage_id) as passage_id,
            coalesce(b.bm25, 0.0) as bm25,
            coalesce(s.shared_terms, []::varchar[]) as shared_terms
        from bm25 b full join shared s on s.rec_id = b.rec_id and s.passage_id = b.passage_id
    ),
    pairs as (  -- the matches among the candidate evidence of each recommendation
        select r.rec_id, r.rec_meeting, r.rec_topic, m.passage_id, m.bm25, m.shared_terms,
            coalesce(len(rt.terms), 0) as rec_term_count,
            p.meeting, p.actor_name as submitter, p.actor_type, p.country_iso3,
            p.country_name,
            case p.actor_type {NON_STATE_GROUPS}
                else coalesce(nullif(p.{region}, ''), '{NO_REGION}') end as region,
            p.kind, p.language
        from matched m
        join recs r on r.rec_id = m.rec_id
        join {source} p on p.passage_id = m.passage_id
        left join rec_terms rt on rt.rec_id = r.rec_id
        where p.meeting <= r.rec_meeting and list_contains(?, p.kind) and {passage_where}
    ),
    scored as (
        select *,
            bm25 / nullif(max(bm25) over (partition by rec_id), 0) as bm25_norm,
            case when rec_term_count > 0 then len(shared_terms) / rec_term_count else 0.0 end
                as term_overlap
        from pairs
    ),
    ranked as (
        select *, coalesce(bm25_norm, 0.0) + {TERM_WEIGHT} * term_overlap as similarity,
            row_number() over (
                partition by rec_id
                order by coalesce(bm25_norm, 0.0) + {TERM_WEIGHT} * term_overlap desc,
                    passage_id
            ) as rank
        from scored
    )
    """  # noqa: S608 - identifiers and constants from fixed lists; values bound
    rec_id = None if recommendation_id is None else int(recommendation_id)
    topic = None if topic_id is None else str(topic_id)
    return sql, [
        *rec_params,
        rec_id,
        rec_id,
        topic,
        topic,
        *bm25_params,
        list(EVIDENCE_KINDS),
        *passage_params,
    ]


def recommendation_evidence(
    db: Database, recommendation_id: int, filters: Filters, *, top: int = DEFAULT_TOP
) -> pd.DataFrame:
    """Grain: one row per evidence passage of one recommendation, the ``top`` most similar
    (see the module docstring), best first. Columns: rank, passage_id, similarity,
    bm25_norm, term_overlap, shared_terms, submitter, actor_type, country_iso3,
    country_name, region, meeting, kind, document, para_number, language, text.
    Raises NoSearchIndexError when the database has no search index."""
    if not has_search_index(db):
        raise NoSearchIndexError()
    sql, params = _evidence_sql(
        filters.without("meetings", "topics"),
        passage_filters=filters,
        recommendation_id=recommendation_id,
        source=passage_source(db),
        termids=_postings_termids(db, recommendation_id),
    )
    frame = db.query(
        sql  # noqa: S608 - CTEs from fixed identifiers; values bound
        + """
    select r.rank, r.passage_id, r.similarity, coalesce(r.bm25_norm, 0.0) as bm25_norm,
        r.term_overlap, r.shared_terms, r.submitter, r.actor_type, r.country_iso3,
        r.country_name, r.region, r.meeting, r.kind,
        coalesce(p.title, p.source_name) as document, p.para_number, r.language, p.text
    from ranked r join v_passage_source p on p.passage_id = r.passage_id
    where r.rank <= ? order by r.rank
    """,
        [*params, int(top)],
    )
    frame["shared_terms"] = frame["shared_terms"].map(list)
    for column in ("similarity", "bm25_norm", "term_overlap"):
        frame[column] = frame[column].astype("float64")
    return frame


def region_shares(evidence: pd.DataFrame) -> pd.DataFrame:
    """Grain: one row per region among ``evidence`` (the frame of
    :func:`recommendation_evidence`): passages, states (distinct), share (passages ÷ all
    evidence passages, 0–1). Each kind of non-State submitter, and the States without a
    region, are rows of their own. Largest share first."""
    if evidence.empty:
        return pd.DataFrame(columns=["region", "passages", "states", "share"])
    grouped = evidence.groupby("region", as_index=False).agg(
        passages=("passage_id", "count"), states=("country_iso3", "nunique")
    )
    grouped["share"] = grouped["passages"] / grouped["passages"].sum()
    return grouped.sort_values(["share", "region"], ascending=[False, True]).reset_index(drop=True)


def representation(
    db: Database, filters: Filters, *, top: int = DEFAULT_TOP, topic_id: str | None = None
) -> pd.DataFrame:
    """Grain: one row per (work-plan topic, region) for the topics with recommendations in
    view (only ``topic_id`` when given: the evidence of every recommendation is ranked, so
    one topic at a time is what a page can afford at scale) and the regions of the States
    that submitted on them.

    - ``evidence_passages``: passages of the region's States among the ``top`` evidence of
      each of the topic's recommendations (a passage behind two recommendations counts
      twice); ``evidence_share`` = that ÷ the evidence passages of all States for the topic.
    - ``states_submitting``: distinct States of the region with a submission passage that
      the model labels with the topic, at a meeting no later than the last meeting of the
      topic's recommendations in view; ``state_share`` = that ÷ all such States.
    - ``ratio`` = evidence_share ÷ state_share: 1 when the region is reflected in the
      evidence as much as it is among the submitting States, below 1 when less.
    - ``recommendations``: the topic's recommendations in view (same on every row).
    Observers are left out (they have no region). Region and State filters are ignored.
    Columns also: topic_id, topic_label, topic_ordinal, region.
    """
    if not has_search_index(db):
        raise NoSearchIndexError()
    scope = filters.without("regions", "states")
    region = _region(filters)
    sql, params = _evidence_sql(scope, passage_filters=scope, topic_id=topic_id)
    passage_where, passage_params = scope.without("meetings", "topics", "kinds").where("p")
    tail = f"""
    , evidence as (  -- one row per (topic, region) of the State evidence
        select rec_topic as topic_id, region, count(*) as evidence_passages
        from ranked
        where rank <= ? and rec_topic is not null
          and actor_type in ('member_state', 'observer_state') and region <> '{NO_REGION}'
        group by all
    ),
    topic_scope as (  -- one row per topic with recommendations in view
        select rec_topic as topic_id, max(rec_meeting) as last_meeting,
            count(distinct rec_id) as recommendations
        from recs where rec_topic is not null group by rec_topic
    ),
    submitting as (  -- one row per (topic, region): States submitting on the topic
        select s.topic_id, nullif(p.{region}, '') as region,
            count(distinct p.country_iso3) as states_submitting
        from topic_scope s
        join v_passage p on list_contains(p.topic_labels, s.topic_id)
            and p.meeting <= s.last_meeting
        where list_contains(?, p.kind) and {passage_where}
          and p.actor_type in ('member_state', 'observer_state')
          and nullif(p.{region}, '') is not null
        group by all
    )
    select t.id as topic_id, t.label as topic_label, t.ordinal as topic_ordinal,
        coalesce(s.region, e.region) as region, ts.recommendations,
        coalesce(e.evidence_passages, 0) as evidence_passages,
        coalesce(s.states_submitting, 0) as states_submitting
    from submitting s
    full join evidence e on e.topic_id = s.topic_id and e.region = s.region
    join topic t on t.id = coalesce(s.topic_id, e.topic_id)
    join topic_scope ts on ts.topic_id = t.id
    order by t.ordinal, region
    """  # noqa: S608 - identifiers from fixed lists; values bound
    frame = db.query(
        sql + tail,
        [
            *params,
            int(top),
            list(EVIDENCE_KINDS),
            *passage_params,
        ],
    )
    totals = frame.groupby("topic_id")[["evidence_passages", "states_submitting"]].transform("sum")
    frame["evidence_share"] = (
        frame["evidence_passages"]
        / totals["evidence_passages"].where(totals["evidence_passages"] > 0)
    ).astype("float64")
    frame["state_share"] = (
        frame["states_submitting"]
        / totals["states_submitting"].where(totals["states_submitting"] > 0)
    ).astype("float64")
    frame["ratio"] = (
        frame["evidence_share"] / frame["state_share"].where(frame["state_share"] > 0)
    ).astype("float64")
    return frame
