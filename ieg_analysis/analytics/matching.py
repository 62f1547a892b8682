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

Where the answers come from (store/matches.py): the writer keeps every need and offer with
its terms (match_need, match_offer) and the 10 best submitters of each need among every
offer in the UN regional groups (match_link) up to date. A view with every offer reads the
rankings from them (up to 10 per need, regional groups) or needs no ranking (the totals, the
needs nobody meets); a view whose offers are narrowed, or in another region scheme, ranks
its needs from match_need and match_offer; while the tables are behind a write made around
the writer, everything is computed from the passages.
"""

from __future__ import annotations

import pandas as pd

from ..reference import REGION_SCHEMES
from ..store.db import Database
from ..store.facts import passage_source, with_texts
from ..store.matches import (
    RANKING_SQL,
    STATE_TYPES_SQL,
    STORED_NEED_COLUMNS,
    STORED_PER_NEED,
    STORED_SCHEME,
    live_inputs_sql,
    matches_current,
    stored_inputs_sql,
)
from .filters import ACTOR_TYPE_LABELS, Filters

STATE_TYPES = ("member_state", "observer_state")
OTHER_PROVIDERS = "All other providers"
RANK_ORDER = """
    topic_match desc, term_jaccard desc, shared_term_count desc, same_region desc,
    same_language desc, shared_topic_count desc, offer_score desc, provider, offer_id
"""


def _region(filters: Filters) -> str:
    column = filters.region_column
    assert column in REGION_SCHEMES  # an identifier from a fixed list, never user text
    return column


def _offers_narrowed(filters: Filters) -> bool:
    """Whether the filters narrow the offers (the submitter types or document kinds)."""
    return bool(filters.actor_types or filters.kinds)


def _stored(db: Database, filters: Filters, *, per_need: int | None = None) -> bool:
    """Whether the materialised matches (migration 016) answer for these filters: they are
    current, every offer counts, and (for a ranking) they hold the scheme and enough
    submitters per need."""
    if _offers_narrowed(filters):
        return False
    if per_need is not None and (
        filters.region_column != STORED_SCHEME or int(per_need) > STORED_PER_NEED
    ):
        return False
    return matches_current(db)


def _pairs_sql(
    db: Database,
    filters: Filters,
    *,
    per_need: int,
    need_ids: tuple[int, ...] | None = None,
) -> tuple[str, list]:
    """CTEs ending in ``best`` (one row per (need, offering submitter) among the
    ``per_need`` best-ranked submitters of each need, with the need's columns, the
    submitter's best offer for it and its rank), ``needs`` and ``offers``: ranked here
    (store/matches.py: RANKING_SQL), from the needs and offers of match_need and
    match_offer when they are current, else from the passages."""
    region = _region(filters)
    offer_filters = Filters(actor_types=filters.actor_types, kinds=filters.kinds)
    if matches_current(db):
        need_where, need_params = filters.without("actor_types").where("n")
        offer_where, offer_params = offer_filters.where("o")
        inputs = stored_inputs_sql(
            region,
            need_where=need_where,
            offer_where=offer_where,
            need_scope="(?::bigint[] is null or list_contains(?::bigint[], n.passage_id))",
        )
    else:
        need_where, need_params = filters.without("actor_types").where("p")
        offer_where, offer_params = offer_filters.where("p")
        inputs = live_inputs_sql(
            passage_source(db),
            region,
            need_where=need_where,
            offer_where=offer_where,
            need_scope="(?::bigint[] is null or list_contains(?::bigint[], p.passage_id))",
        )
    ids = None if need_ids is None else [int(i) for i in need_ids]
    params = [*need_params, ids, ids, *offer_params, int(per_need), int(per_need)]
    return inputs + RANKING_SQL, params


def _best_sql(
    db: Database,
    filters: Filters,
    *,
    per_need: int,
    need_ids: tuple[int, ...] | None = None,
    offer_side: bool = True,
) -> tuple[str, list]:
    """CTEs ending in ``best``, as :func:`_pairs_sql`'s: read from match_need, match_link
    and match_offer when they answer (a need's ``per_need`` best are the first of its 10),
    else computed live. Without ``offer_side``, ``best`` read from the tables holds the
    need's columns, the rank and the submitter only."""
    if not _stored(db, filters, per_need=per_need):
        return _pairs_sql(db, filters, per_need=per_need, need_ids=need_ids)
    where, params = filters.where("n")
    ids = None if need_ids is None else [int(i) for i in need_ids]
    offer_columns, offer_join = "", ""
    if offer_side:
        offer_columns = f""", o.provider_iso3,
            case when o.actor_type in {STATE_TYPES_SQL}
                then nullif(o.{STORED_SCHEME}, '') end as provider_region,
            o.offer_language, o.offer_topics, o.offer_terms, o.offer_score,
            list_sort(list_intersect(n.topic_labels, o.offer_topics)) as shared_topics,
            list_sort(list_intersect(n.terms, o.offer_terms)) as shared_terms"""
        offer_join = "join match_offer o on o.offer_id = l.offer_id"
    sql = f"""
    with best as (  -- one row per (need in the filters, rank up to per_need)
        select {STORED_NEED_COLUMNS.format(region=STORED_SCHEME)},
            l.* exclude (need_id) {offer_columns}
        from match_need n join match_link l on l.need_id = n.passage_id {offer_join}
        where {where} and l.rank <= ?
          and (?::bigint[] is null or list_contains(?::bigint[], n.passage_id))
    )
    """  # noqa: S608 - identifiers from fixed lists; values bound
    return sql, [*params, int(per_need), ids, ids]


KEYS_SQL = """
    , need_keys_all as (  -- one row per (need passage, topic or term)
        select distinct need_id, need_actor_id, 'topic:' || unnest(need_topics) as key
        from needs
        union all
        select distinct need_id, need_actor_id, 'term:' || unnest(need_terms) as key
        from needs
    ),
    offer_keys_all as (  -- one row per (offering submitter, topic or term)
        select distinct provider_id, 'topic:' || unnest(offer_topics) as key from offers
        union all
        select distinct provider_id, 'term:' || unnest(offer_terms) as key from offers
    ),
    key_providers as (  -- one row per topic or term offered: how many submitters offer it
        select key, count(*) as providers, min(provider_id) as one_provider
        from offer_keys_all group by key
    ),
    key_states as (  -- one row per topic or term needed: how many States need it
        select key, count(distinct need_actor_id) as states, min(need_actor_id) as one_state
        from need_keys_all group by key
    ),
    matched_needs as (  -- the needs some other submitter's offer shares a topic or term with
        select distinct n.need_id
        from need_keys_all n join key_providers k on k.key = n.key
        where k.providers > 1 or k.one_provider <> n.need_actor_id
    )
"""


MATCH_COLUMNS = """
    b.need_id, b.need_state, b.need_iso3, b.need_region, b.need_language, b.need_meeting,
    b.need_topics, b.need_terms, b.need_score,
    coalesce(nd.title, nd.source_name) as need_document, np.para_number as need_para,
    b.rank, b.provider, b.provider_type, b.provider_iso3, b.provider_region,
    b.offer_id, od.meeting as offer_meeting, b.offer_language, b.offer_topics,
    b.offer_terms, b.offer_score,
    coalesce(od.title, od.source_name) as offer_document, op.para_number as offer_para,
    b.shared_topics, b.shared_terms, b.topic_match, b.shared_topic_count,
    b.shared_term_count, b.term_jaccard, b.same_region, b.same_language
"""
PASSAGE_JOINS = """
    join passage np on np.id = b.need_id
    join document nd on nd.id = b.need_document_id
    join passage op on op.id = b.offer_id
    join document od on od.id = op.document_id
"""


def need_offer_matches(
    db: Database,
    filters: Filters,
    *,
    per_need: int = 3,
    offset: int = 0,
    limit: int | None = None,
    need_ids: tuple[int, ...] | None = None,
) -> pd.DataFrame:
    """Grain: one row per (need passage, offering submitter), the ``per_need`` best-ranked
    submitters of each need in the filters (see the module docstring for the ranking).
    ``offset`` and ``limit`` page through the needs that have a match (in the order
    below): the rows of needs ``offset + 1`` to ``offset + limit``. ``need_ids`` keeps
    only those needs (the ranking of one need does not depend on the others, so this is
    the cheap way to show a page of the needs of :func:`match_links`).

    Columns: need_id, need_state, need_iso3, need_region, need_language, need_meeting,
    need_topics, need_terms, need_score, need_document, need_para, need_text; rank (1 =
    best for the need); provider, provider_type, provider_iso3, provider_region (null for
    observers), offer_id, offer_meeting, offer_language, offer_topics, offer_terms,
    offer_score, offer_document, offer_para, offer_text; shared_topics, shared_terms,
    topic_match, shared_topic_count, shared_term_count, term_jaccard (0–1), same_region,
    same_language. Ordered by need (meeting, State, passage) then rank."""
    sql, params = _best_sql(db, filters, per_need=per_need, need_ids=need_ids)
    frame = db.query(
        sql  # noqa: S608 - CTEs from fixed identifiers; values bound
        + f"""
    , need_order as (  -- one row per need with a match, numbered in the order shown
        select need_id,
            row_number() over (order by need_meeting, need_state, need_id) - 1 as position
        from best where rank = 1
    )
    select {MATCH_COLUMNS}
    from best b join need_order o on o.need_id = b.need_id
    {PASSAGE_JOINS}
    where o.position >= ? and (?::bigint is null or o.position < ? + ?::bigint)
    order by b.need_meeting, b.need_state, b.need_id, b.rank
    """,  # noqa: S608 - fixed column lists; values bound
        [*params, int(offset), limit, int(offset), limit],
    )
    # the texts of these rows only, read by id (a join reads every passage's text)
    frame = with_texts(db, frame, id_column="need_id", column="need_text", after="need_para")
    frame = with_texts(db, frame, id_column="offer_id", column="offer_text", after="offer_para")
    for column in ("need_topics", "need_terms", "offer_topics", "offer_terms"):
        frame[column] = frame[column].map(list)
    for column in ("shared_topics", "shared_terms"):
        frame[column] = frame[column].map(list)
    frame["term_jaccard"] = frame["term_jaccard"].astype("float64")
    return frame


def match_links(db: Database, filters: Filters, *, per_need: int = 3) -> pd.DataFrame:
    """Grain: one row per (need passage, offering submitter) as in
    :func:`need_offer_matches`, without the passages' texts: what
    :func:`provider_region_flows` needs for every need at once, and the order in which
    a page lists the needs. Columns: need_id, need_meeting, need_state, need_iso3,
    need_region, rank, provider, provider_type. Ordered by need (meeting, State, passage)
    then rank."""
    sql, params = _best_sql(db, filters, per_need=per_need, offer_side=False)
    return db.query(
        sql  # noqa: S608 - CTEs from fixed identifiers; values bound
        + """
    select need_id, need_meeting, need_state, need_iso3, need_region, rank, provider,
        provider_type
    from best order by need_meeting, need_state, need_id, rank
    """,
        params,
    )


def match_flows(
    db: Database, filters: Filters, *, per_need: int = 3, best_only: bool = False, top: int = 12
) -> pd.DataFrame:
    """:func:`provider_region_flows` of :func:`match_links` (the same rows, in the same
    order), aggregated in the database rather than from every link: grain one row per
    (provider, need region). Columns: provider, provider_type, region, value, states."""
    columns = ["provider", "provider_type", "region", "value", "states"]
    sql, params = _best_sql(db, filters, per_need=per_need, offer_side=False)
    frame = db.query(
        sql  # noqa: S608 - CTEs from fixed identifiers; values bound
        + """
    , data as (  -- one row per (need, submitter) counted
        select need_id, need_iso3, coalesce(need_region, 'No region') as region, provider,
            provider_type
        from best where not ? or rank = 1
    ),
    ranked as (  -- one row per submitter: its place by needs met, then name
        select provider,
            row_number() over (order by count(distinct need_id) desc, provider) as position
        from data group by provider
    ),
    named as (  -- the top submitters by name, the others as one
        select case when r.position <= ? then d.provider else ? end as provider,
            case when r.position <= ? then d.provider_type end as provider_type,
            d.region, d.need_id, d.need_iso3
        from data d join ranked r on r.provider = d.provider
    ),
    flows as (
        select provider, region, count(distinct need_id) as value,
            count(distinct need_iso3) as states, first(provider_type) as provider_type
        from named group by provider, region
    )
    select provider, provider_type, region, value, states
    from (select *, sum(value) over (partition by provider) as total from flows)
    order by provider = ?, total desc, provider, value desc, region
    """,
        [*params, bool(best_only), int(top), OTHER_PROVIDERS, int(top), OTHER_PROVIDERS],
    )
    if frame.empty:
        return pd.DataFrame(columns=columns)
    return frame[columns]


def matched_need_ids(
    db: Database, filters: Filters, *, offset: int = 0, limit: int | None = None
) -> list[int]:
    """The need passages in the filters that some offer matches, in the order of
    :func:`need_offer_matches` (meeting, State, passage): those ``offset + 1`` to
    ``offset + limit``. No ranking needed: the ids of a page of needs, for
    ``need_offer_matches(need_ids=...)``."""
    if _stored(db, filters):
        where, params = filters.where("n")
        sql = f"""
    select n.passage_id as need_id from match_need n
    where {where} and n.matched
    order by n.meeting, n.actor_name, n.passage_id
    """  # noqa: S608 - identifiers from fixed lists; values bound
    else:
        sql, params = _pairs_sql(db, filters, per_need=1)
        sql += (
            KEYS_SQL  # noqa: S608 - fixed CTEs
            + """
    select n.need_id from needs n semi join matched_needs m on m.need_id = n.need_id
    order by n.need_meeting, n.need_state, n.need_id
    """
        )
    frame = db.query(sql + " limit ? offset ?", [*params, limit, int(offset)])
    return [int(i) for i in frame["need_id"]]


def unmet_needs(db: Database, filters: Filters, *, limit: int | None = None) -> pd.DataFrame:
    """Grain: one row per need passage in the filters that no offer matches (no other
    submitter's offer shares a topic or a term with it); the first ``limit`` of them when
    given. Columns: need_id, state, iso3, region, meeting, language, topics, terms,
    need_score, document, para, text, reason (why nothing matches: the need names no topic
    and no term, or nobody offers help on them). Ordered by region, State, meeting."""
    if _stored(db, filters):
        where, params = filters.where("n")
        sql = f"""
    with unmet as (  -- the needs in the filters without a row in match_link
        select {STORED_NEED_COLUMNS.format(region=_region(filters))}
        from match_need n
        where {where} and not n.matched
        order by need_region nulls last, need_state, need_meeting, need_id
        limit ?
    )
    """  # noqa: S608 - identifiers from fixed lists; values bound
    else:
        sql, params = _pairs_sql(db, filters, per_need=1)
        sql += (
            KEYS_SQL  # noqa: S608 - fixed CTEs
            + """
    , unmet as (
        select * from needs n anti join matched_needs m on m.need_id = n.need_id
        order by n.need_region nulls last, n.need_state, n.need_meeting, n.need_id
        limit ?
    )
    """
        )
    frame = db.query(
        sql  # noqa: S608 - CTEs from fixed identifiers; values bound
        + """
    select n.need_id, n.need_state as state, n.need_iso3 as iso3, n.need_region as region,
        n.need_meeting as meeting, n.need_language as language, n.need_topics as topics,
        n.need_terms as terms, n.need_score, coalesce(d.title, d.source_name) as document,
        p.para_number as para,
        case when len(n.need_topics) = 0 and len(n.need_terms) = 0
            then 'no work-plan topic or vocabulary term to match on'
            else 'no other submitter offers help on its topics or terms' end as reason
    from unmet n
    join passage p on p.id = n.need_id
    join document d on d.id = n.need_document_id
    order by n.need_region nulls last, n.need_state, n.need_meeting, n.need_id
    """,
        [*params, limit],
    )
    frame = with_texts(db, frame, id_column="need_id", after="para")  # the shown rows' texts
    for column in ("topics", "terms"):
        frame[column] = frame[column].map(list)
    return frame


def matching_totals(db: Database, filters: Filters) -> dict[str, int]:
    """Grain: the whole filtered view (a dict): need passages, needs with at least one
    matching offer (``matched``), needs without any (``unmet``), needs that another
    submitter's offer shares a vocabulary term with (``term_matched``: a sub-theme, not
    only a work-plan topic; a need that names no term is never among them), States with a
    need, and distinct submitters whose offers match some need. Counted on the topics and
    terms (no ranking needed)."""
    if _stored(db, filters):
        where, params = filters.where("n")
        sql = f"""
    with needs as materialized (  -- one row per need passage in the filters
        select {STORED_NEED_COLUMNS.format(region=_region(filters))}, n.matched
        from match_need n where {where}
    ),
    matched_needs as (select need_id from needs where matched),
    offer_keys_all as (  -- one row per (offering submitter, topic or term)
        select distinct provider_id, 'topic:' || unnest(offer_topics) as key from match_offer
        union all
        select distinct provider_id, 'term:' || unnest(offer_terms) as key from match_offer
    ),
    need_keys_all as (  -- one row per (need passage, topic or term)
        select distinct need_id, need_actor_id, 'topic:' || unnest(need_topics) as key
        from needs
        union all
        select distinct need_id, need_actor_id, 'term:' || unnest(need_terms) as key
        from needs
    ),
    key_states as (  -- one row per topic or term needed: how many States need it
        select key, count(distinct need_actor_id) as states, min(need_actor_id) as one_state
        from need_keys_all group by key
    )
    """  # noqa: S608 - identifiers from fixed lists; values bound
        offer_count = "(select count(*) from match_offer)"
    else:
        sql, params = _pairs_sql(db, filters, per_need=1)
        sql += KEYS_SQL
        offer_count = "(select count(*) from offers)"
    totals_sql = f"""
    select
        (select count(*) from needs) as needs,
        (select count(*) from matched_needs) as matched,
        (select count(distinct n.need_id) from need_keys_all n join (
            select key, count(*) as providers, min(provider_id) as one_provider
            from offer_keys_all where starts_with(key, 'term:') group by key
         ) k on k.key = n.key
         where k.providers > 1 or k.one_provider <> n.need_actor_id) as term_matched,
        (select count(distinct need_iso3) from needs) as need_states,
        (select count(distinct o.provider_id) from offer_keys_all o
         join key_states k on k.key = o.key
         where k.states > 1 or k.one_state <> o.provider_id) as providers,
        {offer_count} as offers
    """  # noqa: S608 - fixed expressions
    row = db.query(sql + totals_sql, params).iloc[0]
    totals = {key: int(row[key]) for key in row.index}
    totals["unmet"] = totals["needs"] - totals["matched"]
    return totals


def provider_region_flows(
    matches: pd.DataFrame, *, top: int = 12, best_only: bool = False
) -> pd.DataFrame:
    """Grain: one row per (provider, need region) in ``matches`` (the frame of
    :func:`need_offer_matches`): value = the need passages of the region for which the
    provider is among the ranked matches (only rank 1 with ``best_only``). The ``top``
    providers by total value keep their names; the others are summed as "All other providers".
    Needs of a State without a region count under "No region". Columns: provider,
    provider_type (null for the "All other providers" row), region, value, states (distinct
    States of the region with such needs)."""
    columns = ["provider", "provider_type", "region", "value", "states"]
    if matches.empty:
        return pd.DataFrame(columns=columns)
    data = matches[matches["rank"] == 1] if best_only else matches
    data = data.assign(region=data["need_region"].fillna("No region"))
    totals = data.groupby("provider")["need_id"].nunique()
    ranked = sorted(totals.items(), key=lambda item: (-item[1], item[0]))  # most, then name
    keep = {provider for provider, _ in ranked[:top]}
    kept = data["provider"].isin(keep)  # a submitter has one type: no lookup needed
    data = data.assign(
        provider_type=data["provider_type"].where(kept, None),
        provider=data["provider"].where(kept, OTHER_PROVIDERS),
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
    and term ids replaced by their labels when given, submitter types by name): what the
    XLSX download holds."""
    topics = topic_labels or {}
    terms = term_labels or {}

    def join(values: object, labels: dict[str, str]) -> str:
        return "; ".join(labels.get(v, str(v).replace("_", " ")) for v in (values or []))

    out = matches.copy()
    for column in ("need_topics", "shared_topics"):
        out[column] = out[column].map(lambda v: join(v, topics))
    for column in ("need_terms", "shared_terms"):
        out[column] = out[column].map(lambda v: join(v, terms))
    out["provider_type"] = out["provider_type"].map(ACTOR_TYPE_LABELS).fillna(out["provider_type"])
    return out[list(EXPORT_COLUMNS)].rename(columns=EXPORT_COLUMNS)


def term_labels(db: Database) -> dict[str, str]:
    """The vocabulary: term id -> label."""
    frame = db.query("select id, label from term")
    return dict(zip(frame["id"], frame["label"], strict=True))
