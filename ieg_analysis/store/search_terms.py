"""The search index's terms of passages, computed away from the store: an in-memory DuckDB
with the same full-text-search extension, the index's own ``tokenize`` macro and stop words
(``Writer.search_tokenizer``) and its stemmer, so the terms are those the index would make.
Ingest workers compute them while they parse, so that the writer, holding the database,
only appends them (``Writer.add_documents(terms=...)``)."""

from __future__ import annotations

from collections.abc import Sequence

import duckdb
import pyarrow as pa

from .db import fts_extension_path


class SearchTerms:
    """``terms = SearchTerms(tokenizer)(texts)``: per text, its index terms (stemmed words
    without stop words, repeated as often as they occur)."""

    def __init__(self, tokenizer: tuple[str, list[str]]) -> None:
        definition, stopwords = tokenizer
        extension = fts_extension_path()
        if extension is None:
            raise RuntimeError("the full-text-search extension is not installed")
        self.con = duckdb.connect()
        self.con.execute("set threads = 1")  # one per worker process
        self.con.execute(f"LOAD '{extension.as_posix()}'")
        # the definition is the index's own macro, read from the database, never user text
        self.con.execute(f"create macro tokenize(s) as {definition}")
        self.con.execute("create table stopwords (sw varchar)")
        if stopwords:
            self.con.executemany("insert into stopwords values (?)", [[w] for w in stopwords])

    def __call__(self, texts: Sequence[str]) -> list[list[str]]:
        found: list[list[str]] = [[] for _ in texts]
        if not texts:
            return found
        table = pa.table({"i": pa.array(range(len(texts)), pa.int32()), "text": list(texts)})
        self.con.register("texts_in", table)
        rows = self.con.execute(
            "select i, list(stem(w, 'porter')) from ("
            "select i, unnest(tokenize(text)) as w from texts_in) "
            "where w not null and len(w) > 0 and w not in (select sw from stopwords) "
            "group by i"
        ).fetchall()
        self.con.unregister("texts_in")
        for i, terms in rows:
            found[i] = terms
        return found

    def close(self) -> None:
        self.con.close()
