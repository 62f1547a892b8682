-- 012: term_cube, passages per matched vocabulary term and combination of everything the
-- sub-theme gap analysis filters and groups by (analytics/recommendations.py).
--
-- subtheme_gaps and gap_passages joined passage_fact with every matched term of the current
-- model (some two million text_term rows at a million passages): 0.6 to 0.7 s. term_cube
-- holds those counts, computed by facts.TERM_CUBE_SQL (the one definition) and kept up to
-- date by the writer in the same transactions as passage_fact and passage_cube (writer.py,
-- `_refresh_facts`): the cells of the submitters a write touches are recomputed. `meta` key
-- term_cube_stamp says which facts_stamp it was computed at; readers use it only when both
-- stamps are current (store/facts.py), else compute the same rows on the fly.

-- grain: one row per (term matched by the current model, meeting, document kind, passage
-- language, submitter, topic labels) with at least one passage of that term
create table term_cube (
    term_id varchar not null,
    meeting integer,
    kind varchar,
    language varchar,
    actor_id integer,
    actor_name varchar,
    actor_type varchar,
    country_iso3 varchar,
    regional_group varchar,
    m49_region varchar,
    m49_subregion varchar,
    topic_labels varchar[],
    n bigint not null        -- passages mentioning the term
);

insert into term_cube by name
select tt.term_id, p.meeting, p.kind, p.language, p.actor_id,
    any_value(p.actor_name) as actor_name,
    any_value(p.actor_type) as actor_type,
    any_value(p.country_iso3) as country_iso3,
    any_value(p.regional_group) as regional_group,
    any_value(p.m49_region) as m49_region,
    any_value(p.m49_subregion) as m49_subregion,
    p.topic_labels,
    count(*) as n
from passage_fact p
join (
    select distinct source_id, term_id
    from text_term
    where source = 'passage'
      and model_version = (select value from meta where key = 'model_version')
) tt on tt.source_id = p.passage_id
group by tt.term_id, p.meeting, p.kind, p.language, p.actor_id, p.topic_labels
order by tt.term_id;

-- computed from passage_fact as it stands: current exactly when passage_fact is
insert or replace into meta (key, value)
select 'term_cube_stamp', coalesce(facts_stamp, '') from v_fact_state;
