-- 007: the same v_passage (same columns, same rows), built from hash joins only, and
-- v_passage_source: the same without the classification columns.
--
-- 003 joined country on "iso3 = country_iso3 and actor_type in (States)". A join condition
-- that is not a plain equality makes DuckDB fall back to a nested-loop join over every
-- passage: 9.4 of the 9.4 s of an unfiltered explorer page at 0.9 million passages (ieg
-- bench). Here each actor is joined to its country first (a few hundred rows), with the
-- State test folded into the key, and passages join that on the actor id.
--
-- v_passage_source lets a query whose filters do not involve the model's labels (the
-- explorer without a topic filter) find its rows without joining a million classification
-- rows; it then reads v_passage for the page it shows.

-- grain: one row per passage, with its document, submitter and the submitter's regions
create or replace view v_passage_source as
with submitter as (  -- one row per actor, with its country's regions when it is a State
    select
        a.id as actor_id,
        a.name as actor_name,
        a.actor_type,
        a.country_iso3,
        c.name as country_name,
        c.regional_group,
        c.m49_region,
        c.m49_subregion
    from actor a
    left join country c
         on c.iso3 = case when a.actor_type in ('member_state', 'observer_state')
                          then a.country_iso3 end
)
select
    p.id as passage_id,
    p.document_id,
    p.seq,
    p.heading,
    p.para_number,
    p.text,
    p.language,
    p.page,
    d.meeting,
    d.kind,
    d.received,
    d.title,
    d.source_name,
    d.is_sample,
    s.actor_id,
    s.actor_name,
    s.actor_type,
    s.country_iso3,
    s.country_name,
    s.regional_group,
    s.m49_region,
    s.m49_subregion
from passage p
join document d on d.id = p.document_id
join submitter s on s.actor_id = d.actor_id;

-- grain: one row per passage, with its document, submitter, the submitter's regions, and
-- the labels of the current model version (null where not classified yet).
create or replace view v_passage as
select
    v.*,
    k.classified,
    k.reason as unclassified_reason,
    k.topic,
    coalesce(k.topic_labels, []::varchar[]) as topic_labels,
    k.legislation_frameworks,
    k.criminalization,
    k.law_enforcement,
    k.electronic_evidence,
    k.international_cooperation,
    k.prevention,
    k.need,
    k.provision,
    k."none" as no_capacity,
    k.capacity_label,
    k.model_version
from v_passage_source v
left join passage_classification k
     on k.passage_id = v.passage_id
    and k.model_version = (select value from meta where key = 'model_version');
