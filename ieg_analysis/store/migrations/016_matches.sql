-- 016: match_need, match_offer, match_link: the needs-to-offers matching materialised for
-- the Needs and offers page (analytics/matching.py explains the ranking).
--
-- At a million passages the page ranked the offers of every need on every render (some
-- sixty thousand needs, a million signature pairs: two to four seconds). These tables hold
-- the answer for the common view (every offer counts; "same region" in the UN regional
-- groups), computed from passage_fact by the definitions in store/matches.py and kept up to
-- date by the writer in the same transactions as passage_fact (writer.py,
-- `_refresh_facts`): the rows of the needs a write touches are recomputed, and all of them
-- when it touches an offer. `meta` key match_stamp says which facts_stamp they were
-- computed at; readers use them only when both stamps are current (store/matches.py), else
-- compute live.

-- grain: one row per need passage of a State (not in a recommendation list)
create table match_need (
    passage_id bigint not null,
    document_id integer,
    actor_id integer,
    actor_name varchar,
    actor_type varchar,
    country_iso3 varchar,
    regional_group varchar,
    m49_region varchar,
    m49_subregion varchar,
    language varchar,
    meeting integer,
    kind varchar,
    topic_labels varchar[],
    need float,
    terms varchar[],            -- the vocabulary terms the current model matched, sorted
    matched boolean not null    -- it has rows in match_link: some other submitter's offer
                                -- shares a topic or a term with it
);

-- grain: one row per offer passage (not in a recommendation list), of any submitter
create table match_offer (
    offer_id bigint not null,
    provider_id integer,
    provider varchar,
    actor_type varchar,         -- the submitter's type
    kind varchar,               -- the document's kind
    provider_iso3 varchar,      -- the State's regions: null for observers
    regional_group varchar,
    m49_region varchar,
    m49_subregion varchar,
    offer_language varchar,
    offer_topics varchar[],
    offer_score float,
    offer_terms varchar[]       -- the vocabulary terms the current model matched, sorted
);

-- grain: one row per (need passage, rank) for the 10 best-ranked offering submitters of
-- each need among every offer, "same region" in the UN regional groups
create table match_link (
    need_id bigint not null,
    rank bigint not null,
    offer_id bigint,            -- the submitter's best offer for this need
    provider_id integer,
    provider varchar,
    provider_type varchar,
    topic_match boolean,
    term_jaccard double,
    shared_term_count bigint,
    same_region boolean,
    same_language boolean,
    shared_topic_count bigint
);

-- filled from passage_fact as it stands (store/matches.py: MATCH_NEED_SQL with every need,
-- MATCH_OFFER_SQL, fill_links_sql, MARK_MATCHED_SQL): current exactly when passage_fact is
insert into match_need by name
with needs as materialized (
    select p.passage_id, p.document_id, p.actor_id, p.actor_name, p.actor_type,
        p.country_iso3, p.regional_group, p.m49_region, p.m49_subregion, p.language,
        p.meeting, p.kind, p.topic_labels, p.need
    from passage_fact p
    where p.kind <> 'recommendation_list' and p.capacity_label = 'need'
      and p.actor_type in ('member_state', 'observer_state') and true
),
terms as (
    select t.source_id, list_sort(list(distinct t.term_id)) as terms
    from text_term t semi join needs n on n.passage_id = t.source_id
    where t.source = 'passage'
      and t.model_version = (select value from meta where key = 'model_version')
    group by t.source_id
)
select n.*, coalesce(t.terms, []::varchar[]) as terms, false as matched
from needs n left join terms t on t.source_id = n.passage_id;

insert into match_offer by name
with offers as materialized (
    select p.passage_id as offer_id, p.actor_id as provider_id, p.actor_name as provider,
        p.actor_type, p.kind,
        case when p.actor_type in ('member_state', 'observer_state')
            then p.country_iso3 end as provider_iso3,
        case when p.actor_type in ('member_state', 'observer_state')
            then p.regional_group end as regional_group,
        case when p.actor_type in ('member_state', 'observer_state')
            then p.m49_region end as m49_region,
        case when p.actor_type in ('member_state', 'observer_state')
            then p.m49_subregion end as m49_subregion,
        p.language as offer_language, p.topic_labels as offer_topics,
        p.provision as offer_score
    from passage_fact p
    where p.kind <> 'recommendation_list' and p.capacity_label = 'provision'
),
terms as (
    select t.source_id, list_sort(list(distinct t.term_id)) as terms
    from text_term t semi join offers o on o.offer_id = t.source_id
    where t.source = 'passage'
      and t.model_version = (select value from meta where key = 'model_version')
    group by t.source_id
)
select o.*, coalesce(t.terms, []::varchar[]) as offer_terms
from offers o left join terms t on t.source_id = o.offer_id;

insert into match_link by name
with needs as materialized (  -- every need passage of a State
    select n.passage_id as need_id, n.actor_id as need_actor_id,
        n.actor_name as need_state, n.country_iso3 as need_iso3,
        nullif(n.regional_group, '') as need_region, n.language as need_language,
        n.meeting as need_meeting, n.topic_labels as need_topics, n.terms as need_terms,
        n.need as need_score, n.document_id as need_document_id
    from match_need n
),
offers as materialized (  -- every offer passage
    select o.offer_id, o.provider_id, o.provider, o.actor_type as provider_type,
        o.provider_iso3,
        case when o.actor_type in ('member_state', 'observer_state')
            then nullif(o.regional_group, '') end as provider_region,
        o.offer_language, o.offer_topics, o.offer_terms, o.offer_score
    from match_offer o
),
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
    qualify sig_rank <= 10 + 1
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
    qualify rank <= 10
)

select need_id, rank, offer_id, provider_id, provider, provider_type, topic_match,
term_jaccard, shared_term_count, same_region, same_language, shared_topic_count from best;

update match_need set matched = true
where passage_id in (select need_id from match_link where rank = 1);

insert or replace into meta (key, value)
select 'match_stamp', coalesce(facts_stamp, '') from v_fact_state;
