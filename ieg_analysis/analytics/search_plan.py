"""What the full-text index says about a search before it runs: the index terms of the
words typed (with their idf under the index's current statistics), whether the tables
derived from the index are current (``passage_postings``, migration 010; ``search_word``,
migration 013; `meta` keys search_postings and search_words), and for each word of a
quoted phrase, the terms a passage must have one of to contain it (``phrases.py``)."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from ..store.db import Database
from .phrases import token_patterns

# the index terms of a search text; whether passage_postings and search_word were built from
# the current index; each phrase normalised as the text is for the test (and whether the
# index's tokenizer normalises it the same way)
_PLAN_SQL = """
with stamp as (select num_docs || '/' || avgdl as value from fts_main_passage.stats)
select
    coalesce((
        select list(struct_pack(
            termid := d.termid,
            idf := cast(log((((s.num_docs - d.df) + 0.5) / (d.df + 0.5)) + 1) as double)
        ) order by d.termid)
        from fts_main_passage.dict d cross join fts_main_passage.stats s
        where d.term in (select distinct stem(unnest(fts_main_passage.tokenize(?)), 'porter'))
    ), []) as terms,
    (select cast(1.2 * 0.75 / avgdl as double) from fts_main_passage.stats) as length_weight,
    coalesce((select value from meta where key = 'search_postings')
        = (select value from stamp), false) as postings,
    coalesce((select value from meta where key = 'search_words')
        = (select value from stamp), false) as words,
    {phrases} as phrases
"""
_PHRASES_SQL = """coalesce((
        select list(
            case when strip_accents(lower(p)) = lower(strip_accents(p))
            then strip_accents(lower(p)) end order by i)
        from (select unnest(?::varchar[]) as p, generate_subscripts(?::varchar[], 1) as i)
    ), []::varchar[])"""
# per LIKE pattern over search_word: the terms of the words it matches, and whether it also
# matches a stop word
_PATTERNS_SQL = """
select t.i, t.pattern,
    coalesce((select list(distinct w.termid) from search_word w where w.word like t.pattern),
        []::bigint[]) as termids,
    exists (select 1 from fts_main_passage.stopwords s where s.sw like t.pattern) as stop
from (select unnest(?::varchar[]) as pattern, generate_subscripts(?::varchar[], 1) as i) t
order by t.i
"""


@dataclass(frozen=True)
class Plan:
    """What the index says about a search: its terms (None: passage_postings is not current,
    so match_bm25 ranks), and per narrowing token of its phrases, the terms of which a
    matching passage has at least one (empty: no narrowing)."""

    termids: tuple[int, ...] | None
    narrowing: tuple[tuple[int, ...], ...]
    idfs: tuple[float, ...] = ()  # of termids, from the index's current statistics
    length_weight: float = 0.0  # k * b / the mean length of the indexed passages


def plan_search(db: Database, *, ranking_text: str, words: bool, phrases: tuple[str, ...]) -> Plan:
    """What the index says about a search: the terms of ``ranking_text`` (everything typed)
    and the narrowing of its quoted ``phrases``. Without a full-text index, a search with
    ``words`` fails as before; phrases alone are then checked on text."""
    if not words and not phrases:
        return Plan((), ())
    try:
        if phrases:
            sql, params = _PLAN_SQL.format(phrases=_PHRASES_SQL), [list(phrases)] * 2
        else:  # (the phrases' part of the query costs a few ms)
            sql, params = _PLAN_SQL.format(phrases="[]::varchar[]"), []
        row = db.query(sql, [ranking_text, *params]).iloc[0]
    except duckdb.CatalogException:  # no full-text index yet: phrases are checked on text
        if words:
            raise
        return Plan((), ())
    if not bool(row["postings"]):
        return Plan(None, ())
    terms = list(row["terms"])
    index = {
        "idfs": tuple(float(t["idf"]) for t in terms),
        "length_weight": float(row["length_weight"]),
    }
    termids = tuple(int(t["termid"]) for t in terms)
    if not bool(row["words"]):
        return Plan(termids, (), **index)
    patterns = [
        token.like
        for normalized in row["phrases"]
        if normalized is not None
        for token in token_patterns(normalized)
    ]
    if not patterns:
        return Plan(termids, (), **index)
    found = db.query(_PATTERNS_SQL, [patterns, patterns])
    narrowing = tuple(
        tuple(sorted(int(t) for t in r.termids)) for r in found.itertuples() if not r.stop
    )
    return Plan(termids, tuple(dict.fromkeys(narrowing)), **index)
