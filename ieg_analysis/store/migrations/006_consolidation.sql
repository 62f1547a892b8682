-- 006: the Secretariat's decisions on clusters of recommendations (consolidation for the
-- stock-taking meeting), and the constraints they put on the clustering.

-- one row per decision: accept a cluster, split a member off it, merge two clusters
create sequence consolidation_decision_id_seq start 1;
create table consolidation_decision (
    id integer primary key default nextval('consolidation_decision_id_seq'),
    decided_at timestamp not null,      -- UTC
    user_name varchar not null,         -- the signed-in Secretariat user, or the CLI's operator
    action varchar not null,            -- accept | split | merge
    member_ids integer[] not null,      -- the recommendations of the cluster(s) decided on
    representative_id integer,          -- accept: the recommendation the others merge into
    removed_id integer,                 -- split: the member taken out
    previous json,                      -- accept/split: status and merged_into_id before
    threshold double,                   -- the clustering threshold the cluster was seen at
    note varchar
);

-- one row per pair constraint of a decision: 'together' (one cluster) or 'apart' (never)
create table consolidation_link (
    decision_id integer not null,
    recommendation_a integer not null,
    recommendation_b integer not null,
    kind varchar not null               -- together | apart
);
