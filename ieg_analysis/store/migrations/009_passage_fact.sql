-- 009: passage_fact, v_passage materialised without the text, for the aggregate analytics.
--
-- v_passage joins a million passages to their documents, submitters, regions, the current
-- model's classification and the latest label correction on every read: one to two seconds
-- per aggregate at a million passages. passage_fact holds the same rows and columns (all
-- but the text, which is read from `passage` for the few rows a page shows), kept up to date
-- by the writer inside each write's transaction (writer.py, `_refresh_facts`).
--
-- facts_stamp in `meta` is the data version and model version the table was last brought
-- up to date at. v_fact_state compares it with the current ones: readers use the table only
-- when they agree, else v_passage (correct, slower), so a write made outside the writer's
-- methods can never make a page wrong; the writer's next refresh rebuilds the table whole.

-- grain: one row per passage: the columns of v_passage except text
create table passage_fact as
select * exclude (text) from v_passage
order by passage_id;

-- grain: one row: the stamp passage_fact is up to date at, the current one, and the one
-- before the current write (the data version less one)
create view v_fact_state as
with m as (
    select
        coalesce(max(value) filter (where key = 'data_version'), '0') as data_version,
        coalesce(max(value) filter (where key = 'model_version'), '') as model_version,
        max(value) filter (where key = 'facts_stamp') as facts_stamp
    from meta
)
select
    data_version || '/' || model_version as current_stamp,
    cast(cast(data_version as bigint) - 1 as varchar) || '/' || model_version as previous_stamp,
    facts_stamp
from m;

insert or replace into meta (key, value)
select 'facts_stamp', current_stamp from v_fact_state;
