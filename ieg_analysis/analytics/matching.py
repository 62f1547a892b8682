"""Needs-to-offers matching (annotation 7 of the work plan), for UNODC programme staff: for
each need for capacity building that a State expressed, the submitters that offer help on
the same work-plan topic with overlapping sub-themes, best first; and the needs that
nobody offers to meet.

Definitions shared by every function here:

- A *need* is a passage of a State (Member or observer State) whose capacity label is
  ``need``; an *offer* a passage of any submitter (States and observers) labelled
  ``provision`` (labels of the current model version, see ``v_passage``). Recommendation
  lists are the Rapporteur's compilation, not anyone's need or offer: left out.
- The filters choose the *needs* (meetings, topics, regions, States, document kinds,
  languages; the submitter-type filter is ignored there, since needs are States'). The
  *offers* are searched among every meeting and region, so that an offer made at another
  meeting or from another region still meets a need; the submitter-type and document-kind
  filters narrow them (e.g. "only organizations").
- A need and an offer *match* when they come from different submitters and share at
  least one work-plan topic label or at least one vocabulary term (``text_term``).
- The *ranking* of the offers that match one need is lexicographic, best first:
  1. ``topic_match``: they share a work-plan topic (true before false);
  2. ``term_jaccard``: the Jaccard index of their vocabulary terms, shared ÷ all distinct
     terms of both (0 when neither has a term);
  3. ``shared_term_count``: the number of shared terms;
  4. ``same_region``: the offering State is in the need's region (in the filters' region
     scheme; observers have no region, so never);
  5. ``same_language``: both passages are in the same language;
  6. then more shared topics, a higher offer score, and the submitter's name.
  Each submitter appears once per need, with its best-ranked offer passage.
"""

from __future__ import annotations

import pandas as pd

from ..reference import REGION_SCHEMES
from ..store.db import Database
from .filters import Filters

STATE_TYPES = ("member_state", "observer_state")
OTHER_PROVIDERS = "Other providers"
RANK_ORDER = """
    topic_match desc, term_jaccard desc, shared_term_count desc, same_region desc,
    same_language desc, shared_topic_count desc, offer_score desc, provider, offer_id
"""


def _region(filters: Filters) -> str:
    column = filters.region_column
    assert column in REGION_SCHEMES  # an identifier from a fixed list, never user text
    return column


def _pairs_sql(filters: Filters) -> tuple[str, list]:
    """CTEs ending in ``best``: one row per (need, offering submitter) that match, with the
    submitter's best offer for that need and its rank among the need's submitters."""
    region = _region(filters)
    need_where, need_params = filters.without("actor_types").where("p")
    offer_where, offer_params = Filters(actor_types=filters.actor_types, kinds=filters.kinds).where(
        "p"
    )
    sql = f"""
    with version as (select value as v from meta where key = 'model_version'),
    passage_terms as (  -- one row per passage with vocabulary terms
        select source_id as passage_id, list_sort(list(distinct term_id)) as terms
        from text_term
        where source = 'passage' and model_version = (select v from version)
        group by source_id
    ),
    needs as (  -- one row per need passage of a State, in the filters
        select p.passage_id as need_id, p.actor_id as need_actor_id,
            p.actor_name as need_state, p.country_iso3 as need_iso3,
            nullif(p.{region}, '') as need_region, p.language as need_language,
            p.meeting as need_meeting, p.topic_labels as need_topics,
            coalesce(t.terms, []::varchar[]) as need_terms, p.need as need_score,
            coalesce(p.title, p.source_name) as need_document,
            p.para_number as need_para, p.text as need_text
        from v_passage p left join passage_terms t on t.passage_id = p.passage_id
        where {need_where} and p.kind <> 'recommendation_list'
          and p.capacity_label = 'need' and p.actor_type in ('member_state', 'observer_state')
    ),
    offers as (  -- one row per offer passage of anyone, any meeting and region
        select p.passage_id as offer_id, p.actor_id as provider_id,
            p.actor_name as provider, p.actor_type as provider_type,
            case when p.actor_type in ('member_state', 'observer_state')
                then p.country_iso3 end as provider_iso3,
            case when p.actor_type in ('member_state', 'observer_state')
                then nullif(p.{region}, '') end as provider_region,
            p.language as offer_language, p.meeting as offer_meeting,
            p.topic_labels as offer_topics, coalesce(t.terms, []::varchar[]) as offer_terms,
            p.provision as offer_score, coalesce(p.title, p.source_name) as offer_document,
            p.para_number as offer_para, p.text as offer_text
        from v_passage p left join passage_terms t on t.passage_id = p.passage_id
        where {offer_where} and p.kind <> 'recommendation_list'
          and p.capacity_label = 'provision'
    ),
    pairs as (  -- one row per (need, offer) of different submitters sharing a topic or term
        select n.*, o.*,
            list_sort(list_intersect(n.need_topics, o.offer_topics)) as shared_topics,
            list_sort(list_intersect(n.need_terms, o.offer_terms)) as shared_terms,
            len(list_distinct(list_concat(n.need_terms, o.offer_terms))) as union_terms
        from needs n join offers o
          on o.provider_id <> n.need_actor_id
         and (list_has_any(n.need_topics, o.offer_topics)
              or list_has_any(n.need_terms, o.offer_terms))
    ),
    scored as (
        select *,
            len(shared_topics) > 0 as topic_match,
            len(shared_topics) as shared_topic_count,
            len(shared_terms) as shared_term_count,
            case when union_terms > 0 then len(shared_terms) / union_terms else 0.0 end
                as term_jaccard,
            coalesce(need_region = provider_region, false) as same_region,
            coalesce(need_language = offer_language, false) as same_language
        from pairs
    ),
    best_offer as (  -- each submitter once per need: its best offer
        select * from scored
        qualify row_number() over (partition by need_id, provider_id order by {RANK_ORDER}) = 1
    ),
    best as (  -- the submitters of each need, ranked
        select *, row_number() over (partition by need_id order by {RANK_ORDER}) as rank
        from best_offer
    )
    """  # noqa: S608 - identifiers from fixed lists; values bound
    return sql, [*need_params, *offer_params]


def need_offer_matches(db: Database, filters: Filters, *, per_need: int = 3) -> pd.DataFrame:
    """Grain: one row per (need passage, offering submitter), the ``per_need`` best-ranked
    submitters of each need in the filters (see the module docstring for the ranking).

    Columns: need_id, need_state, need_iso3, need_region, need_language, need_meeting,
    need_topics, need_terms, need_score, need_document, need_para, need_text; rank (1 =
    best for the need); provider, provider_type, provider_iso3, provider_region (null for
    observers), offer_id, offer_meeting, offer_language, offer_topics, offer_terms,
    offer_score, offer_document, offer_para, offer_text; shared_topics, shared_terms,
    topic_match, shared_topic_count, shared_term_count, term_jaccard (0–1), same_region,
    same_language. Ordered by need (meeting, State, passage) then rank."""
    sql, params = _pairs_sql(filters)
    frame = db.query(
        sql  # noqa: S608 - CTEs from fixed identifiers; values bound
        + """
    select need_id, need_state, need_iso3, need_region, need_language, need_meeting,
        need_topics, need_terms, need_score, need_document, need_para, need_text,
        rank, provider, provider_type, provider_iso3, provider_region,
        offer_id, offer_meeting, offer_language, offer_topics, offer_terms, offer_score,
        offer_document, offer_para, offer_text,
        shared_topics, shared_terms, topic_match, shared_topic_count, shared_term_count,
        term_jaccard, same_region, same_language
    from best
    where rank <= ?
    order by need_meeting, need_state, need_id, rank
    """,
        [*params, int(per_need)],
    )
    for column in ("need_topics", "need_terms", "offer_topics", "offer_terms"):
        frame[column] = frame[column].map(list)
    for column in ("shared_topics", "shared_terms"):
        frame[column] = frame[column].map(list)
    frame["term_jaccard"] = frame["term_jaccard"].astype("float64")
    return frame


def unmet_needs(db: Database, filters: Filters) -> pd.DataFrame:
    """Grain: one row per need passage in the filters that no offer matches (no other
    submitter's offer shares a topic or a term with it). Columns: need_id, state, iso3,
    region, meeting, language, topics, terms, need_score, document, para, text, reason
    (why nothing matches: the need names no topic and no term, or nobody offers help on
    them). Ordered by region, State, meeting."""
    sql, params = _pairs_sql(filters)
    frame = db.query(
        sql  # noqa: S608 - CTEs from fixed identifiers; values bound
        + """
    select n.need_id, n.need_state as state, n.need_iso3 as iso3, n.need_region as region,
        n.need_meeting as meeting, n.need_language as language, n.need_topics as topics,
        n.need_terms as terms, n.need_score, n.need_document as document,
        n.need_para as para, n.need_text as text,
        case when len(n.need_topics) = 0 and len(n.need_terms) = 0
            then 'no work-plan topic or vocabulary term to match on'
            else 'no other submitter offers help on its topics or terms' end as reason
    from needs n
    where not exists (select 1 from best b where b.need_id = n.need_id)
    order by n.need_region nulls last, n.need_state, n.need_meeting, n.need_id
    """,
        params,
    )
    for column in ("topics", "terms"):
        frame[column] = frame[column].map(list)
    return frame


def matching_totals(db: Database, filters: Filters) -> dict[str, int]:
    """Grain: the whole filtered view (a dict): need passages, needs with at least one
    matching offer, needs without any, States with a need, and distinct submitters whose
    offers match some need."""
    sql, params = _pairs_sql(filters)
    row = db.query(
        sql  # noqa: S608 - CTEs from fixed identifiers; values bound
        + """
    select
        (select count(*) from needs) as needs,
        (select count(distinct need_id) from best) as matched,
        (select count(distinct need_iso3) from needs) as need_states,
        (select count(distinct provider_id) from best) as providers,
        (select count(*) from offers) as offers
    """,
        params,
    ).iloc[0]
    totals = {key: int(row[key]) for key in row.index}
    totals["unmet"] = totals["needs"] - totals["matched"]
    return totals


def provider_region_flows(
    matches: pd.DataFrame, *, top: int = 12, best_only: bool = False
) -> pd.DataFrame:
    """Grain: one row per (provider, need region) in ``matches`` (the frame of
    :func:`need_offer_matches`): value = the need passages of the region for which the
    provider is among the ranked matches (only rank 1 with ``best_only``). The ``top``
    providers by total value keep their names; the others are summed as "Other providers".
    Needs of a State without a region count under "No region". Columns: provider,
    provider_type (null for the "Other providers" row), region, value, states (distinct
    States of the region with such needs)."""
    columns = ["provider", "provider_type", "region", "value", "states"]
    if matches.empty:
        return pd.DataFrame(columns=columns)
    data = matches[matches["rank"] == 1] if best_only else matches
    data = data.assign(region=data["need_region"].fillna("No region"))
    totals = data.groupby("provider")["need_id"].nunique()
    ranked = sorted(totals.items(), key=lambda item: (-item[1], item[0]))  # most, then name
    keep = {provider for provider, _ in ranked[:top]}
    types = data.drop_duplicates("provider").set_index("provider")["provider_type"]
    data = data.assign(
        provider_type=data["provider"].map(lambda p: types[p] if p in keep else None),
        provider=data["provider"].where(data["provider"].isin(keep), OTHER_PROVIDERS),
    )
    flows = data.groupby(["provider", "region"], as_index=False, dropna=False).agg(
        value=("need_id", "nunique"),
        states=("need_iso3", "nunique"),
        provider_type=("provider_type", "first"),
    )
    order = flows.groupby("provider")["value"].sum()
    flows["_total"] = flows["provider"].map(order)
    flows["_other"] = flows["provider"] == OTHER_PROVIDERS
    flows = flows.sort_values(
        ["_other", "_total", "provider", "value"], ascending=[True, False, True, False]
    )
    return flows[columns].reset_index(drop=True)


EXPORT_COLUMNS = {
    "need_state": "State with the need",
    "need_region": "Region",
    "need_meeting": "Need: meeting",
    "need_document": "Need: document",
    "need_para": "Need: paragraph",
    "need_text": "Need: passage",
    "need_topics": "Need: topics",
    "need_terms": "Need: terms",
    "rank": "Rank",
    "provider": "Who offers",
    "provider_type": "Submitter type",
    "provider_region": "Provider region",
    "offer_meeting": "Offer: meeting",
    "offer_document": "Offer: document",
    "offer_para": "Offer: paragraph",
    "offer_text": "Offer: passage",
    "shared_topics": "Shared topics",
    "shared_terms": "Shared terms",
    "term_jaccard": "Term overlap (Jaccard)",
    "same_region": "Same region",
    "same_language": "Same language",
}


def matches_for_export(
    matches: pd.DataFrame,
    *,
    topic_labels: dict[str, str] | None = None,
    term_labels: dict[str, str] | None = None,
) -> pd.DataFrame:
    """The matches as a flat table with readable headings (lists joined by "; ", topic
    and term ids replaced by their labels when given): what the XLSX download holds."""
    topics = topic_labels or {}
    terms = term_labels or {}

    def join(values: object, labels: dict[str, str]) -> str:
        return "; ".join(labels.get(v, str(v).replace("_", " ")) for v in (values or []))

    out = matches.copy()
    for column in ("need_topics", "shared_topics"):
        out[column] = out[column].map(lambda v: join(v, topics))
    for column in ("need_terms", "shared_terms"):
        out[column] = out[column].map(lambda v: join(v, terms))
    return out[list(EXPORT_COLUMNS)].rename(columns=EXPORT_COLUMNS)


def term_labels(db: Database) -> dict[str, str]:
    """The vocabulary: term id -> label."""
    frame = db.query("select id, label from term")
    return dict(zip(frame["id"], frame["label"], strict=True))
