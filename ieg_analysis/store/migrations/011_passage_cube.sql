-- 011: passage_cube, passage counts per combination of everything the pages filter and group
-- by, for the aggregate analytics (some thirty thousand rows at a million passages).
--
-- Its rows are computed from passage_fact by facts.CUBE_SQL (the one definition) and kept
-- up to date by the writer in the same transactions as passage_fact (writer.py,
-- `_refresh_facts`): the cells of the submitters a write touches are recomputed. `meta`
-- key cube_stamp says which facts_stamp it was computed at; readers use it only when both
-- stamps are current (store/facts.py), else compute the same rows on the fly.

-- grain: one row per (meeting, document kind, passage language, submitter, topic labels,
-- capacity label, classified, reason, bin of the highest topic score, bin of the capacity
-- label's probability) with at least one passage
create table passage_cube (
    meeting integer,
    kind varchar,
    language varchar,
    actor_id integer,
    actor_name varchar,
    actor_type varchar,
    country_iso3 varchar,
    country_name varchar,
    regional_group varchar,
    m49_region varchar,
    m49_subregion varchar,
    topic_labels varchar[],
    capacity_label varchar,
    classified boolean,
    unclassified_reason varchar,
    topic_bin float,         -- least(floor(highest topic score * 20) / 20, 0.95)
    capacity_bin float,      -- the same of greatest(need, provision, none)
    n bigint not null,       -- passages
    max_need float,
    need_passage bigint,     -- the passage with the highest need score (lowest id on a tie)
    max_provision float,
    provision_passage bigint -- the passage with the highest provision score (likewise)
);
