-- 001: reference tables, documents and passages, recommendations and comments, ingest log.
-- Grain is written above each table.

-- one row per key: sample flag, data version, last ingest
create table meta (key varchar primary key, value varchar);

-- one row per State (193 Member States and 2 observer States)
create table country (
    iso3 varchar primary key,
    iso2 varchar,
    m49_code varchar,
    name varchar not null,
    status varchar not null,
    regional_group varchar,
    m49_region varchar,
    m49_subregion varchar,
    m49_intermediate_region varchar
);

-- one row per meeting of the Expert Group
create table meeting (
    number integer primary key,
    name varchar not null,
    start_date date not null,
    end_date date not null,
    stocktaking boolean not null,
    submission_deadline date not null,
    note varchar,
    agenda varchar              -- what a meeting without work-plan topics treats
);

-- one row per work-plan topic
create table topic (
    id varchar primary key,
    label varchar not null,
    short_label varchar not null,
    meeting integer not null,
    ordinal integer not null
);

-- one row per submitting actor: a State, an organization, a company, academia, a UNODC programme
create sequence actor_id_seq start 1;
create table actor (
    id integer primary key default nextval('actor_id_seq'),
    name varchar not null unique,
    actor_type varchar not null,   -- member_state | observer_state | organization | private_sector | academia | unodc
    country_iso3 varchar           -- the State itself, or an observer's seat where known
);

-- one row per ingested file
create sequence document_id_seq start 1;
create table document (
    id integer primary key default nextval('document_id_seq'),
    meeting integer not null,
    actor_id integer not null,
    kind varchar not null,          -- written_submission | statement | recommendation_list | comment
    language varchar,               -- dominant language of its passages
    received date,
    title varchar,
    source_name varchar not null,
    source_format varchar not null, -- pdf | docx | txt | md | csv | json
    content_hash varchar not null unique,
    n_passages integer not null,
    n_pages integer,
    is_sample boolean not null default false,
    ingested_at timestamp not null default current_timestamp
);

-- one row per paragraph of a document, in reading order
create table passage (
    id bigint primary key,
    document_id integer not null,
    seq integer not null,
    heading varchar,
    para_number varchar,
    text varchar not null,
    language varchar not null,
    page integer
);

-- one row per preliminary recommendation (meeting, number)
create sequence recommendation_id_seq start 1;
create table recommendation (
    id integer primary key default nextval('recommendation_id_seq'),
    meeting integer not null,
    topic_id varchar,
    number integer not null,
    text varchar not null,
    status varchar not null,        -- preliminary | adopted | merged | withdrawn
    merged_into_id integer,
    document_id integer,
    unique (meeting, number)
);

-- one row per comment on a recommendation
create sequence recommendation_comment_id_seq start 1;
create table recommendation_comment (
    id integer primary key default nextval('recommendation_comment_id_seq'),
    recommendation_id integer not null,
    actor_id integer not null,
    received date,
    text varchar not null,
    document_id integer
);

-- one row per ingest run (CLI batch, upload, sample build)
create sequence ingest_run_id_seq start 1;
create table ingest_run (
    id integer primary key default nextval('ingest_run_id_seq'),
    started_at timestamp not null,
    finished_at timestamp,
    source varchar not null,
    documents_added integer not null default 0,
    passages_added integer not null default 0,
    refused integer not null default 0,
    skipped integer not null default 0
);
