-- 002: NLP output, each row with the model version that made it; the term vocabulary.
-- Human corrections (a later migration) are kept apart and win over these rows.

-- one row per sub-topic term of the controlled vocabulary
create table term (
    id varchar primary key,
    topic_id varchar not null,
    label varchar not null
);

-- one row per model version that classified anything
create table model_version (
    version varchar primary key,
    created_at timestamp not null,
    meta json,
    evaluation json
);

-- one row per (passage, model version): six topic scores, capacity scores, chosen labels
create table passage_classification (
    passage_id bigint not null,
    model_version varchar not null,
    classified boolean not null,
    reason varchar,
    legislation_frameworks float,
    criminalization float,
    law_enforcement float,
    electronic_evidence float,
    international_cooperation float,
    prevention float,
    topic varchar,
    topic_labels varchar[],
    need float,
    provision float,
    "none" float,
    capacity_label varchar,
    primary key (passage_id, model_version)
);

-- one row per (recommendation, model version), same columns
create table recommendation_classification (
    recommendation_id integer not null,
    model_version varchar not null,
    classified boolean not null,
    reason varchar,
    legislation_frameworks float,
    criminalization float,
    law_enforcement float,
    electronic_evidence float,
    international_cooperation float,
    prevention float,
    topic varchar,
    topic_labels varchar[],
    need float,
    provision float,
    "none" float,
    capacity_label varchar,
    primary key (recommendation_id, model_version)
);

-- one row per matched vocabulary term in a passage or recommendation
create table text_term (
    source varchar not null,        -- 'passage' | 'recommendation'
    source_id bigint not null,
    model_version varchar not null,
    term_id varchar not null,
    start_char integer,
    end_char integer
);

-- one row per State mentioned in a passage (as distinct from who submitted it)
create table passage_mention (
    passage_id bigint not null,
    model_version varchar not null,
    iso3 varchar not null,
    start_char integer,
    end_char integer
);
