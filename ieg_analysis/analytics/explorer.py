"""The submissions explorer: full-text search (BM25) combined with the shared filters,
paged; and the document view."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pandas as pd

from ..reference import load_reference
from ..store.db import Database
from ..store.facts import LIVE_VIEW, passage_source
from .filters import ACTOR_TYPE_LABELS, KIND_LABELS, Filters
from .search_plan import Plan, plan_search
from .topics import CAPACITY_NAMES

PAGE_SIZE = 20
EXPORT_ROW_CAP = 50_000
_RESULT_COLUMNS = """
    v.passage_id, v.document_id, v.meeting, v.actor_name, v.actor_type, v.country_iso3,
    v.regional_group, v.m49_region, v.m49_subregion, v.kind, v.title, v.source_name,
    v.heading, v.para_number, v.seq, x.text, v.language, v.topic, v.topic_labels,
    v.capacity_label, v.need, v.provision
"""


@dataclass(frozen=True)
class SearchQuery:
    """What a user typed: words ranked by BM25, and "quoted phrases" that must appear.
    A number (2017, 24/7, 16(2)) is a phrase too, since the full-text index keeps letters
    only and would drop it unsearched; a short one (up to three digits) goes with the word
    before it ("Article 16"), which alone would match any 16 (2016, 160). A token with
    letters and digits (COVID-19, G7) stays a word, searched by its letters."""

    words: tuple[str, ...]
    phrases: tuple[str, ...]

    @classmethod
    def parse(cls, text: str | None) -> SearchQuery:
        text = (text or "")[:500]
        phrases = [p.strip() for p in re.findall(r'"([^"]+)"', text) if p.strip()]
        kept: list[str] = []
        for token in re.sub(r'"[^"]*"', " ", text).split():
            number = _number(token)
            if number is None:
                kept.append(token)
            elif number.isdigit() and len(number) <= 3 and kept and (word := _word(kept[-1])):
                phrases.append(f"{word} {number}")
            else:
                phrases.append(number)
        words = tuple(re.findall(r"[^\W_]+(?:[-'][^\W_]+)*", " ".join(kept), flags=re.UNICODE))
        return cls(words[:30], tuple(phrases[:10]))

    @property
    def empty(self) -> bool:
        return not self.words and not self.phrases

    @property
    def ranking_text(self) -> str:
        """Everything typed, for BM25 (phrases contribute their words to the ranking). The
        one-letter parts of a hyphenated word are left out: "e-evidence" ranks by "evidence",
        not also by every "e" (Spanish "and")."""
        words = [
            "-".join(part for part in word.split("-") if len(part) > 1) or word
            for word in self.words
        ]
        return " ".join([*words, *self.phrases])

    @property
    def highlight_terms(self) -> tuple[str, ...]:
        return (*self.phrases, *self.words)


_QUOTES = "'\"“”‘’«»"


def _number(token: str) -> str | None:
    """The number a typed token is (its quotes, brackets and final punctuation off), or None
    when it has letters or no digit."""
    token = token.strip(_QUOTES).rstrip(".,;:!?").strip(_QUOTES)
    while len(token) > 1 and token[0] + token[-1] in ("()", "[]"):
        token = token[1:-1]  # brackets around it
    if token.startswith(("(", "[")) and not re.search(r"[)\]]", token):
        token = token[1:]  # an opening bracket without its closer
    if token.endswith((")", "]")) and not re.search(r"[(\[]", token):
        token = token[:-1]  # a closing bracket without its opener
    if any(ch.isdigit() for ch in token) and not any(ch.isalpha() for ch in token):
        return token
    return None


def _word(token: str) -> str | None:
    """A typed token that is one plain word (letters only, once quotes are off), else None."""
    token = token.strip(_QUOTES)
    return token if token.isalpha() else None


@dataclass(frozen=True)
class SearchResult:
    rows: pd.DataFrame
    total: int
    page: int
    pages: int


# BM25 as fts_main_passage.match_bm25 computes it (any of the words; k = 1.2, b = 0.75),
# from passage_postings (migration 010: tf and length per term and passage, in term order)
# and the index's current document frequencies and statistics: only the postings of the
# query's terms are read. Each term's idf and the length normalisation are computed once,
# in doubles, by the plan query (search_plan.py); with filters, the postings are joined to
# the passages that pass them before they are summed.
_BM25_HITS = """hits as (  -- one row per passage containing a query term (and, for each word
    -- of a phrase the index narrows by, one of its terms), with its BM25 score
    select p.passage_id, {columns} sum(
        (case p.termid {idf} else 0 end)  -- the query terms' idf (0: a phrase's term only)
        * (cast(p.tf as double) * (1.2 + 1))
        / (p.tf + cast(1.2 * (1 - 0.75) as double) + cast(? as double) * p.len)
    ) as score
    from ({postings}) p
    {narrow}
    group by p.passage_id
    having bool_or(p.termid in ({query})) {having}
),"""
# one query term's idf (computed by the plan query, in doubles, as match_bm25 does)
_IDF = "when ? then cast(? as double)"
_MACRO_HITS = """hits as (  -- one row per passage matching a word, with its BM25 score
    select id as passage_id, score from (
        select id, fts_main_passage.match_bm25(id, ?) as score from passage
    ) where score is not null
),"""
_CANDIDATE_COLUMNS = ("meeting", "document_id", "seq", "kind")
LOOKUP_MAX = 6_000  # candidates of a phrase checked by id (an index lookup each), else a scan
_LOOKUP_CHUNK = 2_000  # ids per lookup query (DuckDB uses the index up to 2,048 rows)
_LOOKUP_SPLIT = 400  # from this many ids on, they are looked up by two threads


def _plan(db: Database, query: SearchQuery) -> Plan:
    return plan_search(
        db, ranking_text=query.ranking_text, words=bool(query.words), phrases=query.phrases
    )


def _search_sql(
    db: Database,
    filters: Filters,
    query: SearchQuery,
    plan: Plan | None = None,
    *,
    check_text: bool = True,
    source: str | None = None,
) -> tuple[str, list]:
    """grain: one row per matching passage: passage_id, meeting, document_id, seq and its
    BM25 score (null without words). Only these narrow columns: the page's rows are read
    afterwards for the few passages shown (``_rows_sql``).

    Filters are applied to ``passage_fact`` (or, while it is not up to date, the views);
    the BM25 scores come from ``passage_postings`` for the search's terms only; passages
    that cannot contain a quoted phrase are left out by the index (``phrases.py``), and the
    text is read only for the passages that pass the rest (none with ``check_text=False``:
    the candidates, for the caller to check)."""
    plan = plan or _plan(db, query)
    predicate, params = filters.where("v")
    source = source or passage_source(db)
    if source == LIVE_VIEW and not filters.topics:
        source = "v_passage_source"
    filtered = predicate != "true"
    relation = "filtered"  # what the candidates are read from
    sql_params: list = []
    if query.words and plan.termids is None:
        hits, join, score = _MACRO_HITS, "join hits h on h.passage_id = v.passage_id", "h.score"
        sql_params = [query.ranking_text]
    elif query.words:
        # the postings of the query's terms and of the terms phrases are narrowed by (a
        # passage must have one of each word's terms: tested on the same postings)
        read = sorted({*plan.termids, *(t for termids in plan.narrowing for t in termids)})
        # without filters, each term's postings are read on their own: the table is in term
        # order, so each is a few row groups (``termid in (...)`` reads every term between
        # the first and the last); with filters, that union would be taken for the smaller
        # side of their join (its estimate is low) and hashed whole
        one = "select termid, passage_id, len, tf from passage_postings where termid"
        if filtered:
            postings = f"{one} in ({', '.join('?' for _ in read) or 'null'})"
        else:
            postings = " union all ".join(f"{one} = ?" for _ in read) or f"{one} is null"
        having, having_params = "", []
        for termids in plan.narrowing:
            having += f" and bool_or(p.termid in ({', '.join('?' for _ in termids) or 'null'}))"
            having_params.extend(termids)
        idf = " ".join(_IDF for _ in plan.termids) or "when null then 0"
        query_terms = ", ".join("?" for _ in plan.termids) or "null"
        idf_params = [v for term in zip(plan.termids, plan.idfs, strict=True) for v in term]
        sql_params = [*idf_params, plan.length_weight, *read, *plan.termids, *having_params]
        if filtered:  # the postings of the passages that pass the filters only, and their
            # columns carried along (the filtered passages are read once)
            narrow = "join filtered f on f.passage_id = p.passage_id"
            columns = ", ".join(f"any_value(f.{c}) as {c}" for c in _CANDIDATE_COLUMNS) + ","
            relation, join, score = "hits", "", "v.score"
        else:
            narrow = columns = ""
            join, score = "join hits h on h.passage_id = v.passage_id", "h.score"
        hits = _BM25_HITS.format(
            postings=postings,
            narrow=narrow,
            having=having,
            columns=columns,
            idf=idf,
            query=query_terms,
        )
    else:
        hits, join, score = "", "", "cast(null as double)"
    narrowing, narrowing_params, phrase_params = "", [], []
    for termids in plan.narrowing if not query.words else ():  # (else in ``hits``)
        indexed = ", ".join("?" for _ in termids) or "null"
        narrowing += (
            " and (v.passage_id in (select passage_id from passage_postings "  # noqa: S608
            f"where termid in ({indexed}))"
        )
        narrowing_params.extend(termids)
        # passages not (yet) in the index are candidates too
        narrowing += " or v.passage_id not in (select name from fts_main_passage.docs))"
    phrases = ""
    for phrase in query.phrases if check_text else ():
        # the pattern also names a column of the candidates (always ''), so that the test is
        # made after the join, on the candidates only: a test of x.text alone would be
        # pushed below the join and run over every passage's text (5 s at a million)
        test, bound = _phrase_test(phrase, "left(c.kind, 0)")
        phrases += " and " + test
        phrase_params.extend(bound)
    if phrases:
        matched = f"""select c.passage_id, c.meeting, c.document_id, c.seq, c.score
            from candidates c join passage x on x.id = c.passage_id
            where true {phrases}"""  # noqa: S608 - fixed SQL, values bound
    else:
        matched = "select passage_id, meeting, document_id, seq, score from candidates"
    sql = f"""
        with filtered as (  -- the passages that pass the filters
            select v.passage_id, v.meeting, v.document_id, v.seq, v.kind
            from {source} v where {predicate}
        ),
        {hits} candidates as (
            select v.passage_id, v.meeting, v.document_id, v.seq, v.kind, {score} as score
            from {relation} v {join}
            where true {narrowing}
        ),
        matched as ({matched})
        select * from matched
    """  # noqa: S608 - the predicate comes from Filters.where (fixed columns, bound values)
    return sql, [*params, *sql_params, *narrowing_params, *phrase_params]


def _phrase_test(phrase: str, anchor: str) -> tuple[str, list[str]]:
    """The SQL test that x.text contains ``phrase`` (accents and case aside), and its bound
    values. A phrase that begins or ends with a digit must not run on into more digits
    ("Article 16" is not in "Article 166", "2017" not in "20170"): a regular expression checks
    that after the cheap substring test. ``anchor`` is an always-empty expression of the
    relation to test after (see the callers)."""
    test = f"strip_accents(lower(x.text)) like '%' || strip_accents(lower(?)) || '%' || {anchor}"
    before = "(^|[^0-9])" if phrase[:1].isdigit() else ""
    after = "([^0-9]|$)" if phrase[-1:].isdigit() else ""
    if not (before or after):
        return test, [phrase]
    test += (
        f" and regexp_matches(strip_accents(lower(x.text)), '{before}' || "
        f"regexp_escape(strip_accents(lower(?))) || '{after}' || {anchor})"
    )
    return test, [phrase, phrase]


def _phrase_matches(db: Database, ids: list[int], phrases: tuple[str, ...]) -> set[int]:
    """Which of the passages ``ids`` contain every phrase, their text read by id (a lookup
    in the passage table's key each, in chunks the index is used for; an index lookup runs
    on one thread, so the chunks run two at a time)."""
    # the pattern names the id too, so that the test is not pushed into the scan (where it
    # would run over every passage's text instead of the few looked up)
    made = [_phrase_test(phrase, "left(cast(x.id as varchar), 0)") for phrase in phrases]
    tests = " and ".join(test for test, _ in made)
    bound = [value for _, values in made for value in values]

    def check(chunk: list[int]) -> list[int]:
        placeholders = ", ".join("?" for _ in chunk)
        found = db.query(
            f"select x.id from (select id, text from passage where id in ({placeholders})) x "  # noqa: S608
            f"where {tests}",
            [*chunk, *bound],
        )
        return [int(i) for i in found["id"]]

    if not ids:
        return set()
    if len(ids) < _LOOKUP_SPLIT:
        return set(check(ids))
    count = max(2, -(-len(ids) // _LOOKUP_CHUNK))
    chunks = [ids[i::count] for i in range(count)]
    with ThreadPoolExecutor(max_workers=2) as pool:
        return {i for found in pool.map(check, chunks) for i in found}


def _rows_sql(db: Database, sql: str, words: bool) -> str:
    """The result columns of one slice (``limit ? offset ?``) of ``_search_sql``, in order:
    best BM25 match first, or in meeting and document order without search words (for
    exports; a page reads its rows by id, ``_page_rows``)."""
    order = "score desc, passage_id" if words else "meeting, document_id, seq"
    outer = "m.score desc, m.passage_id" if words else "m.meeting, m.document_id, m.seq"
    return f"""
        with m as ({sql} order by {order} limit ? offset ?)
        select {_RESULT_COLUMNS}, m.score
        from m join {passage_source(db)} v on v.passage_id = m.passage_id
        join passage x on x.id = m.passage_id
        order by {outer}
    """  # noqa: S608 - fixed ordering clauses around _search_sql


_LABEL_COLUMNS = ("topic", "topic_labels", "capacity_label", "need", "provision")


def _page_rows(db: Database, page: pd.DataFrame, source: str | None = None) -> pd.DataFrame:
    """The result columns of the passages of ``page`` (passage_id, score), in its order.
    The rows are read by id, the ids bound as a list of values, on both sides of the join:
    the passage, document and submitter columns with the text from ``v_passage_source``
    (whose joins start from these few passages), the labels from the passage ``source``
    (looked up in passage_fact's index, migration 014); a join filtered on one side only
    reads every row of the other (0.3 to 0.5 s at a million passages)."""
    ids = [int(i) for i in page["passage_id"]]
    placeholders = ", ".join("?" for _ in ids) or "null"
    labels = ", ".join(f"f.{column}" for column in _LABEL_COLUMNS)
    rows = db.query(
        f"select v.* exclude (is_sample, received), {labels} "  # noqa: S608 - fixed names
        "from v_passage_source v left join ("
        f"select * from {source or passage_source(db)} where passage_id in ({placeholders})"
        f") f on f.passage_id = v.passage_id where v.passage_id in ({placeholders})",
        [*ids, *ids],
    )
    columns = [c.strip().removeprefix("v.").removeprefix("x.") for c in _RESULT_COLUMNS.split(",")]
    order = {passage_id: position for position, passage_id in enumerate(ids)}
    rows = rows.sort_values("passage_id", key=lambda c: c.map(order)).reset_index(drop=True)
    rows = rows[columns]
    rows["score"] = page["score"].to_numpy()
    return rows


def search_passages(
    db: Database,
    filters: Filters,
    text: str | None = None,
    page: int = 1,
    *,
    page_size: int = PAGE_SIZE,
) -> SearchResult:
    """One page of passages matching the search and the filters: best BM25 match first, or
    in meeting and document order without search words."""
    query = SearchQuery.parse(text)
    plan = _plan(db, query)
    source = passage_source(db)
    page = max(1, page)
    if query.phrases and plan.narrowing:
        found = _checked_by_id(db, filters, query, plan, source)
        if found is not None:
            return _paged(db, found, bool(query.words), page, page_size, source)
    sql, params = _search_sql(db, filters, query, plan, source=source)
    order = "score desc, passage_id" if query.words else "meeting, document_id, seq"
    # one query for the page and the count (without words or filters, counting every
    # passage alone is cheaper than a count over the sorted rows)
    if query.words or filters.where()[0] != "true":
        found = db.query(
            f"select passage_id, score, count(*) over () as total_matches from ({sql}) s "  # noqa: S608
            f"order by {order} limit ? offset ?",
            [*params, page_size, (page - 1) * page_size],
        )
        if len(found):
            total = int(found["total_matches"].iloc[0])
            rows = _page_rows(db, found, source)
            return SearchResult(rows, total, page, max(1, -(-total // page_size)))
        # no match, or a page past the last: counted below
    total = int(db.query(f"select count(*) as n from ({sql})", params)["n"].item())  # noqa: S608
    pages = max(1, -(-total // page_size))
    page = min(page, pages)
    found = db.query(
        f"select passage_id, score from ({sql}) s order by {order} limit ? offset ?",  # noqa: S608
        [*params, page_size, (page - 1) * page_size],
    )
    return SearchResult(_page_rows(db, found, source), total, page, pages)


def _checked_by_id(
    db: Database, filters: Filters, query: SearchQuery, plan: Plan, source: str
) -> pd.DataFrame | None:
    """grain: one row per passage matching a search with phrases (passage_id, meeting,
    document_id, seq, score), when the index narrows its candidates to at most LOOKUP_MAX:
    their text is then read by id. None when there are more (a scan is then cheaper)."""
    sql, params = _search_sql(db, filters, query, plan, check_text=False, source=source)
    candidates = db.query(f"{sql} limit ?", [*params, LOOKUP_MAX + 1])  # noqa: S608
    if len(candidates) > LOOKUP_MAX:
        return None
    ids = sorted(int(i) for i in candidates["passage_id"])
    matched = _phrase_matches(db, ids, query.phrases)
    return candidates[candidates["passage_id"].isin(matched)]


def _paged(
    db: Database, found: pd.DataFrame, words: bool, page: int, page_size: int, source: str
) -> SearchResult:
    """One page of the matches ``found``, in the order ``_search_sql``'s callers sort by."""
    if words:
        found = found.sort_values(["score", "passage_id"], ascending=[False, True])
    else:
        found = found.sort_values(["meeting", "document_id", "seq"])
    total = len(found)
    pages = max(1, -(-total // page_size))
    page = min(page, pages)
    shown = found.iloc[(page - 1) * page_size : page * page_size]
    return SearchResult(_page_rows(db, shown.reset_index(drop=True), source), total, page, pages)


STATE_TYPES = ("member_state", "observer_state")


def matching_submitters(db: Database, filters: Filters, text: str | None = None) -> pd.DataFrame:
    """grain: one row per submitter of the passages matching the search and the filters
    (those :func:`search_passages` pages through): actor_name, actor_type, country_iso3,
    is_state (a Member or observer State), passages (how many of the matches are its); States
    first, then most passages first, then by name.

    The matches are the search's own: its candidate set when a phrase is checked by id
    (``_checked_by_id``), else its narrow matched relation (``_search_sql``), counted per
    document and only then joined to the documents and their submitters; no text is read
    beyond what the search reads."""
    query = SearchQuery.parse(text)
    plan = _plan(db, query)
    source = passage_source(db)
    per_document = None
    if query.phrases and plan.narrowing:
        found = _checked_by_id(db, filters, query, plan, source)
        if found is not None:
            counts = found.groupby("document_id").size()
            per_document = (
                [int(i) for i in counts.index],
                [int(n) for n in counts.to_numpy()],
            )
    if per_document is not None:
        documents = "select unnest(?::integer[]) as document_id, unnest(?::bigint[]) as passages"
        params: list = list(per_document)
    else:
        sql, params = _search_sql(db, filters, query, plan, source=source)
        documents = f"select document_id, count(*) as passages from ({sql}) m group by document_id"  # noqa: S608 - _search_sql
    return db.query(
        f"""
        with per_document as ({documents})
        select a.name as actor_name, a.actor_type, a.country_iso3,
               list_contains(?::varchar[], a.actor_type) as is_state,
               sum(p.passages)::bigint as passages
        from per_document p join document d on d.id = p.document_id
        join actor a on a.id = d.actor_id
        group by all
        order by is_state desc, passages desc, actor_name
        """,  # noqa: S608 - fixed SQL around _search_sql, values bound
        [*params, list(STATE_TYPES)],
    )


def export_passages(db: Database, filters: Filters, text: str | None = None) -> pd.DataFrame:
    """Every passage of the current view, for download (at most EXPORT_ROW_CAP rows), with
    readable column names and the labels a reader knows: "Member State", "Written
    submission", "Offer", the topics by name in work-plan order joined with "; "."""
    query = SearchQuery.parse(text)
    sql, params = _search_sql(db, filters, query)
    frame = db.query(_rows_sql(db, sql, bool(query.words)), [*params, EXPORT_ROW_CAP, 0])
    topics = load_reference().topics  # in work-plan order
    order = {topic_id: index for index, topic_id in enumerate(topics)}

    def topic_names(labels: object) -> str:
        ids = sorted(labels if labels is not None else [], key=lambda t: order.get(t, len(order)))
        return "; ".join(topics[t].label if t in topics else str(t) for t in ids)

    frame["topic_labels"] = frame["topic_labels"].map(topic_names)
    for column, names in (
        ("actor_type", ACTOR_TYPE_LABELS),
        ("kind", KIND_LABELS),
        ("capacity_label", CAPACITY_NAMES),
    ):
        frame[column] = frame[column].map(lambda value, names=names: names.get(value, value))
    return frame[
        [
            "meeting",
            "actor_name",
            "actor_type",
            "country_iso3",
            "regional_group",
            "kind",
            "title",
            "source_name",
            "heading",
            "para_number",
            "text",
            "language",
            "topic_labels",
            "capacity_label",
        ]
    ].rename(
        columns={
            "actor_name": "submitter",
            "actor_type": "submitter_type",
            "country_iso3": "iso3",
            "regional_group": "regional_group",
            "source_name": "source_file",
            "para_number": "paragraph",
            "topic_labels": "topics",
            "capacity_label": "capacity",
        }
    )


def document_passages(db: Database, document_id: int) -> pd.DataFrame:
    """grain: one row per passage of the document, in reading order."""
    return db.query(
        "select v.passage_id, v.seq, v.page, v.heading, v.para_number, x.text, "  # noqa: S608
        "v.language, v.topic_labels, v.capacity_label "
        f"from {passage_source(db)} v join passage x on x.id = v.passage_id "
        "where v.document_id = ? order by v.seq",
        [int(document_id)],
    )


def document_info(db: Database, document_id: int) -> dict | None:
    """The document's metadata, or None when it does not exist."""
    frame = db.query(
        "select d.id, d.meeting, d.kind, d.language, d.received, d.title, d.source_name, "
        "d.source_format, d.n_passages, d.n_pages, d.is_sample, d.ingested_at, a.name as "
        "submitter, a.actor_type, c.regional_group, m.submission_deadline "
        "from document d join actor a on a.id = d.actor_id "
        "left join country c on c.iso3 = a.country_iso3 "
        "join meeting m on m.number = d.meeting where d.id = ?",
        [int(document_id)],
    )
    if frame.empty:
        return None
    return frame.astype(object).where(frame.notna(), None).iloc[0].to_dict()
