-- 008: human label corrections, kept apart from the model's output and winning over it.
--
-- A Secretariat reviewer confirms or corrects a passage's six topic labels and its
-- need / provision / none label. Every correction is a new row (nothing is updated or
-- deleted), so the table is also the history: who, when, the labels before and after.
-- The latest correction of a passage wins in v_passage over whatever model version is
-- current, so every page, count and export follows it, also after a retraining.

-- one row per correction (or confirmation) of one passage's labels
create sequence label_correction_id_seq start 1;
create table label_correction (
    id integer primary key default nextval('label_correction_id_seq'),
    source varchar not null,            -- 'passage' (recommendations: not yet reviewed)
    source_id bigint not null,
    corrected_at timestamp not null,    -- UTC
    user_name varchar not null,         -- the signed-in Secretariat user, or the CLI operator
    model_version varchar,              -- the model whose labels the reviewer saw
    before_topics varchar[],            -- the labels shown before (model or earlier correction)
    before_capacity varchar,
    after_topics varchar[] not null,    -- the six-topic labels chosen (possibly none)
    after_topic varchar,                -- the main topic among them (null when none)
    after_capacity varchar not null,    -- need | provision | none
    note varchar
);

-- v_passage_source (007) is unchanged.

-- grain: one row per passage, with its document, submitter, the submitter's regions, and
-- its labels: the latest human correction where there is one, else the current model
-- version's (null where not classified yet). The columns of 007, plus `corrected`.
create or replace view v_passage as
with latest_correction as (  -- one row per corrected passage: its latest correction
    select
        source_id as passage_id,
        after_topics,
        after_topic,
        after_capacity
    from label_correction
    where source = 'passage'
    qualify row_number() over (partition by source_id order by corrected_at desc, id desc) = 1
)
select
    v.*,
    k.classified,
    k.reason as unclassified_reason,
    case when h.passage_id is null then k.topic else h.after_topic end as topic,
    case
        when h.passage_id is null then coalesce(k.topic_labels, []::varchar[])
        else h.after_topics
    end as topic_labels,
    k.legislation_frameworks,
    k.criminalization,
    k.law_enforcement,
    k.electronic_evidence,
    k.international_cooperation,
    k.prevention,
    k.need,
    k.provision,
    k."none" as no_capacity,
    case when h.passage_id is null then k.capacity_label else h.after_capacity end
        as capacity_label,
    k.model_version,
    h.passage_id is not null as corrected
from v_passage_source v
left join passage_classification k
     on k.passage_id = v.passage_id
    and k.model_version = (select value from meta where key = 'model_version')
left join latest_correction h on h.passage_id = v.passage_id;
