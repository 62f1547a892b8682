-- 004: the audit log: who added, deleted or relabelled what, and when.

-- one row per write action (a document stored or deleted, a label corrected, a model retrained)
create sequence audit_log_id_seq start 1;
create table audit_log (
    id integer primary key default nextval('audit_log_id_seq'),
    logged_at timestamp not null,   -- UTC
    user_name varchar not null,     -- the signed-in Secretariat user, or the CLI's local operator
    action varchar not null,        -- add_document | delete_document | relabel | retrain
    target varchar not null,        -- what it acted on, e.g. 'document 12'
    detail varchar                  -- a one-line description (file name, submitter, counts)
);
