-- 010: passage_postings, the full-text index's postings ordered by term, for fast BM25.
--
-- The FTS extension's match_bm25 scans every token of the index (fts_main_passage.terms,
-- some thirty million rows at a million passages) for each search: 1.5 to 4 s. Here the
-- same postings are grouped per (term, passage) and stored in term order, so a search reads
-- only its terms' row groups (a search computes BM25 from tf, len and the index's current
-- df and statistics, as match_bm25 does: k = 1.2, b = 0.75). The writer fills it with
-- every build of the FTS index and updates it with every incremental update (new passages
-- appended, deleted ones removed), in the same transaction, and stamps `search_postings` in
-- `meta` with the index's statistics; readers use it only while the stamp matches, else
-- match_bm25 (analytics/explorer.py).

-- grain: one row per (index term, passage containing it)
create table passage_postings (
    termid bigint not null,
    passage_id bigint not null,
    len bigint not null,    -- tokens in the passage (fts_main_passage.docs.len)
    tf bigint not null      -- occurrences of the term in the passage
);
