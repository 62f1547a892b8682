-- 003: the reading view every analysis starts from.
-- grain: one row per passage, with its document, submitter, the submitter's regions, and
-- the labels of the current model version (null where not classified yet).
create view v_passage as
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
    a.id as actor_id,
    a.name as actor_name,
    a.actor_type,
    a.country_iso3,
    c.name as country_name,
    c.regional_group,
    c.m49_region,
    c.m49_subregion,
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
from passage p
join document d on d.id = p.document_id
join actor a on a.id = d.actor_id
left join country c on c.iso3 = a.country_iso3
     and a.actor_type in ('member_state', 'observer_state')
left join passage_classification k
     on k.passage_id = p.id
    and k.model_version = (select value from meta where key = 'model_version');
