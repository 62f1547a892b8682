"""The needs-to-offers ranking as SQL (the definitions: analytics/matching.py explains the
ranking), and its materialised form (migration 016).

- :data:`RANKING_SQL`: CTEs ending in ``best``, the ``per_need`` best-ranked submitters of
  each need, from CTEs ``needs`` and ``offers`` computed from the passages
  (:func:`live_inputs_sql`; :func:`ranked_sql` is both) or read from the tables below
  (:func:`stored_inputs_sql`), for any filters and region scheme.
- ``match_need``, ``match_offer`` and ``match_link`` (migration 016): every need and
  every offer with its vocabulary terms; the 10 best-ranked submitters of each need among
  every offer, "same region" in the UN regional groups. The writer keeps them up to date in
  each write's transaction (:data:`MATCH_NEED_SQL`, :data:`MATCH_OFFER_SQL`,
  :func:`fill_links_sql`): the rows of the needs and offers the write touches, and the
  rankings of the needs those offers leave or enter (:func:`affected_needs_sql`), or all of
  them. It stamps them (``match_stamp`` in ``meta``); readers use them only when the stamps
  are current (:func:`matches_current`), else compute live."""

from __future__ import annotations

import duckdb

from .db import Database

# match_link holds this many submitters per need (the page's "offers per need" goes to 10)
STORED_PER_NEED = 10
# the region scheme match_link is ranked in (same_region); other schemes are computed live
STORED_SCHEME = "regional_group"
STATE_TYPES_SQL = "('member_state', 'observer_state')"


def live_inputs_sql(
    source: str,
    region: str,
    *,
    need_where: str = "true",
    offer_where: str = "true",
    need_scope: str = "true",
) -> str:
    """CTEs ``needs`` (one row per need passage of a State in the filters) and ``offers``
    (one row per offer passage, narrowed by the filters), the inputs of :data:`RANKING_SQL`,
    computed from ``source`` (passage_fact or v_passage) and the matched terms. ``region``:
    the region column of the scheme (a fixed identifier); ``need_where`` and
    ``offer_where``: predicates over the passage columns (alias ``p``) that choose the needs
    and narrow the offers; ``need_scope``: a predicate over ``p.passage_id``. Bound
    parameters, in order: those of need_where, need_scope, offer_where."""
    return f"""
    with version as (select value as v from meta where key = 'model_version'),
    labelled as materialized (  -- one row per need or offer passage (any filter)
        select p.passage_id, p.actor_id, p.actor_name, p.actor_type, p.country_iso3,
            p.{region}, p.language, p.meeting, p.kind, p.topic_labels, p.capacity_label,
            p.need, p.provision, p.document_id
        from {source} p
        where p.kind <> 'recommendation_list' and p.capacity_label in ('need', 'provision')
    ),
    passage_terms as materialized (  -- one row per such passage with vocabulary terms
        select t.source_id as passage_id, list_sort(list(distinct t.term_id)) as terms
        from text_term t semi join labelled l on l.passage_id = t.source_id
        where t.source = 'passage' and t.model_version = (select v from version)
        group by t.source_id
    ),
    needs as materialized (  -- one row per need passage of a State, in the filters
        select p.passage_id as need_id, p.actor_id as need_actor_id,
            p.actor_name as need_state, p.country_iso3 as need_iso3,
            nullif(p.{region}, '') as need_region, p.language as need_language,
            p.meeting as need_meeting, p.topic_labels as need_topics,
            coalesce(t.terms, []::varchar[]) as need_terms, p.need as need_score,
            p.document_id as need_document_id
        from labelled p left join passage_terms t on t.passage_id = p.passage_id
        where {need_where} and p.capacity_label = 'need'
          and p.actor_type in {STATE_TYPES_SQL}
          and {need_scope}
    ),
    offers as materialized (  -- one row per offer passage of anyone, any meeting and region
        select p.passage_id as offer_id, p.actor_id as provider_id,
            p.actor_name as provider, p.actor_type as provider_type,
            case when p.actor_type in {STATE_TYPES_SQL}
                then p.country_iso3 end as provider_iso3,
            case when p.actor_type in {STATE_TYPES_SQL}
                then nullif(p.{region}, '') end as provider_region,
            p.language as offer_language, p.topic_labels as offer_topics,
            coalesce(t.terms, []::varchar[]) as offer_terms, p.provision as offer_score
        from labelled p left join passage_terms t on t.passage_id = p.passage_id
        where {offer_where} and p.capacity_label = 'provision'
    ),
    """  # noqa: S608 - identifiers from fixed lists; values bound


# CTEs ending in ``best``: one row per (need, offering submitter) among the ``per_need``
# best-ranked submitters of each need, with the submitter's best offer for that need and
# its rank, from the CTEs ``needs`` and ``offers`` before them (:func:`live_inputs_sql`, or
# the match tables). Bound parameters: per_need, twice.
#
# Never needs x offers (two thousand million pairs at a million passages). The ranking of
# the offers of one need depends only on the need's *signature* (its topics, terms, region
# and language) and on its State (whose own offers are left out); a submitter's offers with
# the same signature (topics, terms, language) rank by their score alone. So signatures are
# matched with signatures (joined on a shared topic or term, never a nested loop), each need
# signature keeps its ``per_need + 1`` best submitters (the need's own State can be one of
# them, and is dropped), and the needs take theirs from it.
RANKING_SQL = """
    need_sigs as materialized (  -- one row per need signature (what its ranking depends on)
        select row_number() over () as sig_id, *
        from (select distinct need_topics, need_terms, need_region, need_language from needs)
    ),
    offer_sigs as materialized (  -- one row per (submitter, offer signature): its best offer
        select row_number() over () as osig_id, *
        from offers
        qualify row_number() over (
            partition by provider_id, offer_topics, offer_terms, offer_language
            order by offer_score desc, offer_id) = 1
    ),
    need_keys as (  -- one row per (need signature, topic or term)
        select distinct sig_id, 'topic:' || unnest(need_topics) as key from need_sigs
        union all
        select distinct sig_id, 'term:' || unnest(need_terms) as key from need_sigs
    ),
    offer_keys as (
        select distinct osig_id, 'topic:' || unnest(offer_topics) as key from offer_sigs
        union all
        select distinct osig_id, 'term:' || unnest(offer_terms) as key from offer_sigs
    ),
    sig_pairs as materialized (  -- one row per (need signature, offer signature) that share
        select n.sig_id, o.osig_id,  -- a topic or a term, with how many of each
            count(*) filter (where n.key like 'topic:%') as shared_topic_count,
            count(*) filter (where n.key like 'term:%') as shared_term_count
        from need_keys n join offer_keys o on o.key = n.key
        group by n.sig_id, o.osig_id
    ),
    scored as (  -- the ranking keys of each pair, as a struct in RANK_ORDER (the terms
        -- of a passage are distinct: union = both counts - shared; h: the lower offer id)
        select sp.sig_id, o.provider_id, o.osig_id, struct_pack(
            a := sp.shared_topic_count > 0,
            b := case when n.term_count + o.term_count > sp.shared_term_count
                then sp.shared_term_count / (n.term_count + o.term_count - sp.shared_term_count)
                else 0.0 end,
            c := sp.shared_term_count,
            d := coalesce(n.need_region = o.provider_region, false),
            e := coalesce(n.need_language = o.offer_language, false),
            f := sp.shared_topic_count,
            g := coalesce(o.offer_score, -1.0),
            h := -o.offer_id) as k
        from sig_pairs sp
        join (select sig_id, len(need_terms) as term_count, need_region, need_language
              from need_sigs) n
          on n.sig_id = sp.sig_id
        join (select osig_id, provider_id, offer_id, offer_score, provider_region,
                offer_language, len(offer_terms) as term_count from offer_sigs) o
          on o.osig_id = sp.osig_id
    ),
    links as materialized (  -- each submitter once per need signature: its best offer
        select sig_id, provider_id, arg_max(osig_id, k) as osig_id, max(k) as k
        from scored group by sig_id, provider_id
    ),
    sig_best as materialized (  -- the per_need + 1 best submitters of each need signature
        select l.sig_id, o.* exclude (osig_id),
            l.k.a as topic_match, l.k.b as term_jaccard, l.k.c as shared_term_count,
            l.k.d as same_region, l.k.e as same_language, l.k.f as shared_topic_count,
            row_number() over (partition by l.sig_id order by
                l.k.a desc, l.k.b desc, l.k.c desc, l.k.d desc, l.k.e desc, l.k.f desc,
                l.k.g desc, o.provider, o.offer_id) as sig_rank
        from links l join offer_sigs o on o.osig_id = l.osig_id
        qualify sig_rank <= ? + 1
    ),
    best as (  -- the per_need best submitters of each need, its own State left out
        select n.need_id, n.need_actor_id, n.need_state, n.need_iso3, n.need_meeting,
            n.need_score, n.need_document_id, n.need_region, n.need_language,
            n.need_topics, n.need_terms, b.* exclude (sig_id),
            list_sort(list_intersect(n.need_topics, b.offer_topics)) as shared_topics,
            list_sort(list_intersect(n.need_terms, b.offer_terms)) as shared_terms,
            row_number() over (partition by n.need_id order by b.sig_rank) as rank
        from needs n
        join need_sigs s
          on s.need_topics = n.need_topics and s.need_terms = n.need_terms
         and s.need_region is not distinct from n.need_region
         and s.need_language is not distinct from n.need_language
        join sig_best b on b.sig_id = s.sig_id and b.provider_id <> n.need_actor_id
        qualify rank <= ?
    )
"""


def ranked_sql(
    source: str,
    region: str,
    *,
    need_where: str = "true",
    offer_where: str = "true",
    need_scope: str = "true",
) -> str:
    """:func:`live_inputs_sql` then :data:`RANKING_SQL`: the CTEs ``needs``, ``offers`` and
    ``best``, computed live. Bound parameters: those of need_where, need_scope,
    offer_where, then per_need twice."""
    inputs = live_inputs_sql(
        source, region, need_where=need_where, offer_where=offer_where, need_scope=need_scope
    )
    return inputs + RANKING_SQL


# The columns of match_link (migration 016), from ``best`` of RANKING_SQL: the need, its
# rank, the submitter, its best offer and the ranking keys. The rest of the need side is in
# match_need, of the offer side in match_offer.
LINK_COLUMNS = """need_id, rank, offer_id, provider_id, provider, provider_type, topic_match,
    term_jaccard, shared_term_count, same_region, same_language, shared_topic_count"""

# The columns of the ``needs`` CTE of live_inputs_sql, from match_need (alias n; {region}:
# the region column of the scheme)
STORED_NEED_COLUMNS = """n.passage_id as need_id, n.actor_id as need_actor_id,
            n.actor_name as need_state, n.country_iso3 as need_iso3,
            nullif(n.{region}, '') as need_region, n.language as need_language,
            n.meeting as need_meeting, n.topic_labels as need_topics, n.terms as need_terms,
            n.need as need_score, n.document_id as need_document_id"""

# grain: one row per need passage of a State (not in a recommendation list) in
# ``{source}`` (a relation with the columns of v_passage) that ``{scope}`` (a predicate over
# ``p.passage_id``) keeps, with the vocabulary terms the current model matched in it;
# ``matched`` is set once match_link holds its rows (MARK_MATCHED_SQL). The one definition
# of match_need's rows.
MATCH_NEED_SQL = f"""
with needs as materialized (
    select p.passage_id, p.document_id, p.actor_id, p.actor_name, p.actor_type,
        p.country_iso3, p.regional_group, p.m49_region, p.m49_subregion, p.language,
        p.meeting, p.kind, p.topic_labels, p.need
    from {{source}} p
    where p.kind <> 'recommendation_list' and p.capacity_label = 'need'
      and p.actor_type in {STATE_TYPES_SQL} and {{scope}}
),
terms as (
    select t.source_id, list_sort(list(distinct t.term_id)) as terms
    from text_term t semi join needs n on n.passage_id = t.source_id
    where t.source = 'passage'
      and t.model_version = (select value from meta where key = 'model_version')
    group by t.source_id
)
select n.*, coalesce(t.terms, []::varchar[]) as terms, false as matched
from needs n left join terms t on t.source_id = n.passage_id
"""  # noqa: S608 - fixed identifiers

# Sets ``matched`` of the needs of match_need that ``{scope}`` keeps (a predicate over
# ``passage_id``): whether they have a row in match_link (some other submitter's offer
# shares a topic or a term with them).
MARK_MATCHED_SQL = """
update match_need set matched = passage_id in (select need_id from match_link where rank = 1)
where {scope}
"""

# The columns of the ``offers`` CTE of live_inputs_sql, from match_offer (alias o; {region}:
# the region column of the scheme)
STORED_OFFER_COLUMNS = f"""o.offer_id, o.provider_id, o.provider, o.actor_type as provider_type,
            o.provider_iso3,
            case when o.actor_type in {STATE_TYPES_SQL}
                then nullif(o.{{region}}, '') end as provider_region,
            o.offer_language, o.offer_topics, o.offer_terms, o.offer_score"""

# grain: one row per offer passage (not in a recommendation list) in ``{source}`` that
# ``{scope}`` (a predicate over ``p.passage_id``) keeps, with its submitter (the State's
# regions: null for observers), its document kind and the vocabulary terms the current
# model matched in it. The one definition of match_offer's rows.
MATCH_OFFER_SQL = f"""
with offers as materialized (
    select p.passage_id as offer_id, p.actor_id as provider_id, p.actor_name as provider,
        p.actor_type, p.kind,
        case when p.actor_type in {STATE_TYPES_SQL}
            then p.country_iso3 end as provider_iso3,
        case when p.actor_type in {STATE_TYPES_SQL}
            then p.regional_group end as regional_group,
        case when p.actor_type in {STATE_TYPES_SQL}
            then p.m49_region end as m49_region,
        case when p.actor_type in {STATE_TYPES_SQL}
            then p.m49_subregion end as m49_subregion,
        p.language as offer_language, p.topic_labels as offer_topics,
        p.provision as offer_score
    from {{source}} p
    where p.kind <> 'recommendation_list' and p.capacity_label = 'provision' and {{scope}}
),
terms as (
    select t.source_id, list_sort(list(distinct t.term_id)) as terms
    from text_term t semi join offers o on o.offer_id = t.source_id
    where t.source = 'passage'
      and t.model_version = (select value from meta where key = 'model_version')
    group by t.source_id
)
select o.*, coalesce(t.terms, []::varchar[]) as offer_terms
from offers o left join terms t on t.source_id = o.offer_id
"""  # noqa: S608 - fixed identifiers


def stored_inputs_sql(
    region: str,
    *,
    need_where: str = "true",
    offer_where: str = "true",
    need_scope: str = "true",
) -> str:
    """CTEs ``needs`` and ``offers``, as :func:`live_inputs_sql`'s, read from match_need
    and match_offer (when current): ``need_where`` and ``need_scope`` over the columns of
    match_need (alias ``n``, the passage id ``n.passage_id``), ``offer_where`` over those
    of match_offer (alias ``o``: actor_type, kind). Bound parameters, in order: those of
    need_where, need_scope, offer_where."""
    needs = STORED_NEED_COLUMNS.format(region=region)
    offers = STORED_OFFER_COLUMNS.format(region=region)
    return f"""
    with needs as materialized (  -- one row per need passage of a State, in the filters
        select {needs}
        from match_need n
        where {need_where} and {need_scope}
    ),
    offers as materialized (  -- one row per offer passage, narrowed by the filters
        select {offers}
        from match_offer o
        where {offer_where}
    ),
    """  # noqa: S608 - identifiers from fixed lists; values bound


def fill_links_sql(scope: str = "true") -> str:
    """The statement that inserts into match_link the rows of the needs of match_need that
    ``scope`` keeps (a predicate over ``n.passage_id``), ranked among every offer of
    match_offer (both up to date first). Bound parameters: those of ``scope``, then
    STORED_PER_NEED twice."""
    inputs = stored_inputs_sql(STORED_SCHEME, need_scope=scope)
    return f"""insert into match_link by name {inputs} {RANKING_SQL}
    select {LINK_COLUMNS} from best"""  # noqa: S608 - fixed identifiers


# grain: one row per need of match_need whose 10 best submitters may have changed when the
# offers of the submitters ``?`` (a list of ids) changed (match_offer up to date, match_link
# not yet): those that list one of them, and those for which one of them now ranks above
# the last listed (or that list fewer than STORED_PER_NEED). The others keep their list:
# their 10 best are unchanged, and none of these submitters can enter it.
def affected_needs_sql() -> str:
    """The query of the needs whose rows of match_link a change of the offers of some
    submitters may change. Bound parameters: the submitters' ids, STORED_PER_NEED twice,
    the ids again, STORED_PER_NEED."""
    inputs = stored_inputs_sql(STORED_SCHEME, offer_where="list_contains(?, o.provider_id)")
    return f"""{inputs} {RANKING_SQL},
    listed as (  -- the needs that list one of the submitters
        select distinct need_id from match_link where list_contains(?, provider_id)
    ),
    last as (  -- the last listed submitter of each need, with its ranking keys
        select l.need_id, l.provider, l.offer_id, struct_pack(
                a := l.topic_match, b := l.term_jaccard, c := l.shared_term_count,
                d := l.same_region, e := l.same_language, f := l.shared_topic_count,
                g := coalesce(o.offer_score, -1.0)) as k,
            l.rank
        from match_link l join match_offer o on o.offer_id = l.offer_id
        qualify l.rank = max(l.rank) over (partition by l.need_id)
    ),
    entering as (  -- the needs one of the submitters now ranks above the last listed of
        select b.need_id
        from best b left join last t on t.need_id = b.need_id
        where t.need_id is null or t.rank < ? or struct_pack(
                a := b.topic_match, b := b.term_jaccard, c := b.shared_term_count,
                d := b.same_region, e := b.same_language, f := b.shared_topic_count,
                g := coalesce(b.offer_score, -1.0)) > t.k
            or (struct_pack(
                a := b.topic_match, b := b.term_jaccard, c := b.shared_term_count,
                d := b.same_region, e := b.same_language, f := b.shared_topic_count,
                g := coalesce(b.offer_score, -1.0)) = t.k
                and (b.provider, b.offer_id) < (t.provider, t.offer_id))
    )
    select need_id from listed union select need_id from entering
    """  # noqa: S608 - fixed identifiers


def matches_current(db: Database) -> bool:
    """Whether match_need, match_offer and match_link (migration 016) are up to date:
    passage_fact is, and they were computed from it as it stands."""
    try:
        return bool(
            db.scalar(
                "select coalesce(facts_stamp = current_stamp and (select value from meta "
                "where key = 'match_stamp') = current_stamp, false) from v_fact_state"
            )
        )
    except duckdb.Error:  # a database before migration 016
        return False
