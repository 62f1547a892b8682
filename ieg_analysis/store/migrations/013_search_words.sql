-- 013: search_word, the words of the full-text index before stemming, for quoted phrases.
--
-- A quoted phrase must occur in a passage's text (case- and accent-insensitive substring,
-- analytics/explorer.py). Checking it reads the text of every candidate passage: at a
-- million passages the scan of the text column alone takes 0.1 to 0.3 s. Every word of a
-- phrase that lies between two separators of the index's tokenizer must be a whole token
-- of a matching passage; the first and last words must at least end or begin one. This
-- table maps each token found in the indexed passages (stop words aside) to the index term
-- its stem is, so that those tokens can be looked up in passage_postings: passages without
-- them are left out before any text is read (analytics/phrases.py). The postings only ever
-- narrow the candidates; every match is still checked on its text.
--
-- The writer fills it with every build of the index (and whenever it was not current) and
-- extends it with every incremental update, in the same transaction; words whose term
-- leaves the index go with it. A word whose last passage was deleted may stay while its
-- term remains (it then only makes the narrowing a little wider). `meta` key search_words
-- stamps it with the index's statistics; readers use it only while the stamp matches.

-- grain: one row per distinct token of the indexed passages that is not a stop word
create table search_word (
    word varchar not null,      -- as fts_main_passage.tokenize gives it
    termid bigint not null      -- fts_main_passage.dict term of stem(word, 'porter')
);
