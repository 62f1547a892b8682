"""Scaling a really ingested and classified corpus up to the benchmark size by copying it:
every document with passages (not the Rapporteur's lists) is copied ``factor - 1`` times with
new ids and content hashes, with its passages, classifications, matched terms and country
mentions. The distributions (States, regions, topics, labels) stay those of the generated
corpus. This is a benchmark device for measuring reads at a size that the ingestion and
classification rates of this machine do not reach in a CI run; those rates are measured on
the real corpus before it is copied."""

from __future__ import annotations

from ..store.db import Database

# one statement per table; c ranges over the copies, $d and $p are the id offsets
_STATEMENTS = (
    """insert into document (id, meeting, actor_id, kind, language, received, title,
        source_name, source_format, content_hash, n_passages, n_pages, is_sample, ingested_at)
    select d.id + c * $d, d.meeting, d.actor_id, d.kind, d.language, d.received, d.title,
        d.source_name, d.source_format, d.content_hash || '-copy-' || (d.id + c * $d), d.n_passages,
        d.n_pages, d.is_sample, d.ingested_at
    from document d, range(1, $factor) as copies(c)
    where d.kind <> 'recommendation_list' and d.n_passages > 0""",
    """insert into passage
    select p.id + c * $p, p.document_id + c * $d, p.seq, p.heading, p.para_number, p.text,
        p.language, p.page
    from passage p
    join document d on d.id = p.document_id, range(1, $factor) as copies(c)
    where d.kind <> 'recommendation_list'""",
    """insert into passage_classification
    select k.* replace (k.passage_id + c * $p as passage_id)
    from passage_classification k
    join passage p on p.id = k.passage_id
    join document d on d.id = p.document_id, range(1, $factor) as copies(c)
    where d.kind <> 'recommendation_list' and k.passage_id <= $p""",
    """insert into text_term
    select t.* replace (t.source_id + c * $p as source_id)
    from text_term t
    join passage p on p.id = t.source_id
    join document d on d.id = p.document_id, range(1, $factor) as copies(c)
    where t.source = 'passage' and d.kind <> 'recommendation_list' and t.source_id <= $p""",
    """insert into passage_mention
    select m.* replace (m.passage_id + c * $p as passage_id)
    from passage_mention m
    join passage p on p.id = m.passage_id
    join document d on d.id = p.document_id, range(1, $factor) as copies(c)
    where d.kind <> 'recommendation_list' and m.passage_id <= $p""",
)


def replicate(db: Database, factor: int) -> int:
    """Copy the corpus so that it holds ``factor`` times its passages (of documents other
    than recommendation lists); return the passage count after. Call it once, after
    classification, before any other write: copies take ids above every existing one (the
    document id sequence is moved past them; passage ids are always max + 1)."""
    with db.connect(write=True) as con:
        if factor > 1:
            doc_offset, passage_offset = con.execute(
                "select (select max(id) from document), (select max(id) from passage)"
            ).fetchone()
            params = {"factor": int(factor), "d": int(doc_offset), "p": int(passage_offset)}
            con.execute("begin transaction")
            try:
                for statement in _STATEMENTS:
                    needed = {k: v for k, v in params.items() if f"${k}" in statement}
                    con.execute(statement, needed)
                # the copies took explicit ids: move the document id sequence past them, so a
                # later ingest into the copied database gets free ids
                # (last_value is the last id handed out, or the next after a reopen: + 1 is
                # safe either way, at the cost of at most one unused id)
                con.execute(
                    "select max(nextval('document_id_seq')) from range((select max(id) "
                    "from document) - (select coalesce(last_value, 0) from duckdb_sequences() "
                    "where sequence_name = 'document_id_seq') + 1)"
                )
                con.execute(
                    "update meta set value = cast(cast(value as bigint) + 1 as varchar) "
                    "where key = 'data_version'"
                )
                con.execute("commit")
            except Exception:
                con.execute("rollback")
                raise
            con.execute("checkpoint")
        return int(con.execute("select count(*) from passage").fetchone()[0])
