"""Where the analytics read passages from.

- ``passage_fact`` (migration 009): the columns of ``v_passage`` but the text, one row per
  passage, materialised by the writer; else ``v_passage`` itself (the same columns,
  computed on every read).
- ``passage_cube`` (migration 011): passage counts per combination of the filtered and
  grouped columns (:data:`CUBE_SQL`), for the aggregates; else the same rows computed on
  the fly from the passage source.

Both are refreshed by the writer in each write's transaction and stamped with the data
and model versions they are up to date at; a reader uses them only when the stamps are
current, so a write made around the writer never makes a page wrong, only slower.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import duckdb
import pandas as pd

from .db import Database

T = TypeVar("T")
FACT_TABLE = "passage_fact"
CUBE_TABLE = "passage_cube"
TERM_CUBE_TABLE = "term_cube"
LIVE_VIEW = "v_passage"

# grain: one row per (meeting, kind, language, submitter, topic labels, capacity label,
# classified, reason, topic-score bin, capacity-score bin) with passages in ``{source}`` (a
# relation with the columns of v_passage). The one definition of passage_cube's rows.
CUBE_SQL = """
select
    meeting, kind, language, actor_id,
    any_value(actor_name) as actor_name,
    any_value(actor_type) as actor_type,
    any_value(country_iso3) as country_iso3,
    any_value(country_name) as country_name,
    any_value(regional_group) as regional_group,
    any_value(m49_region) as m49_region,
    any_value(m49_subregion) as m49_subregion,
    topic_labels, capacity_label, classified, unclassified_reason, topic_bin, capacity_bin,
    count(*) as n,
    max(need) as max_need,
    arg_max(passage_id, (coalesce(need, -1), -passage_id)) as need_passage,
    max(provision) as max_provision,
    arg_max(passage_id, (coalesce(provision, -1), -passage_id)) as provision_passage
from (
    select *,
        least(floor(greatest(legislation_frameworks, criminalization, law_enforcement,
                             electronic_evidence, international_cooperation, prevention)
                    * 20) / 20, 0.95) as topic_bin,
        least(floor(greatest(need, provision, no_capacity) * 20) / 20, 0.95) as capacity_bin
    from {source}
)
group by meeting, kind, language, actor_id, topic_labels, capacity_label, classified,
    unclassified_reason, topic_bin, capacity_bin
"""

# grain: one row per (term the current model matched in a passage, meeting, kind, language,
# submitter, topic labels) with passages in ``{source}`` (a relation with the columns of
# v_passage). The one definition of term_cube's rows (migration 012 fills it the same way).
TERM_CUBE_SQL = """
select tt.term_id, p.meeting, p.kind, p.language, p.actor_id,
    any_value(p.actor_name) as actor_name,
    any_value(p.actor_type) as actor_type,
    any_value(p.country_iso3) as country_iso3,
    any_value(p.regional_group) as regional_group,
    any_value(p.m49_region) as m49_region,
    any_value(p.m49_subregion) as m49_subregion,
    p.topic_labels,
    count(*) as n
from {source} p
join (
    select distinct source_id, term_id
    from text_term
    where source = 'passage'
      and model_version = (select value from meta where key = 'model_version')
) tt on tt.source_id = p.passage_id
group by tt.term_id, p.meeting, p.kind, p.language, p.actor_id, p.topic_labels
"""


# answers computed once per database file and data version (see :func:`once_per_version`)
_ANSWERS: dict[tuple, object] = {}
# grain: one row: what such answers depend on, besides the file itself
_VERSION_SQL = """
select
    (select max(value) filter (where key = 'data_version') from meta) as data_version,
    (select max(value) filter (where key = 'model_version') from meta) as model_version,
    (select count(*) from ingest_run) as runs,
    (select max(finished_at) from ingest_run) as last_ingest
"""


def once_per_version(db: Database, name: str, compute: Callable[[], T]) -> T:
    """``compute()``, or its answer for the same database file at the same data version,
    model version and ingest runs (every write bumps the data version). For the summaries
    every page shows on every rerun: a rerun reads four values from small tables."""
    version = tuple(str(v) for v in db.query(_VERSION_SQL).iloc[0])
    try:
        stat = db.path.stat()
        file = (str(db.path.resolve()), stat.st_ino, stat.st_mtime_ns)
    except OSError:
        file = (str(db.path), None, None)
    key = (name, *file, *version)
    if key not in _ANSWERS:
        answer = compute()
        if len(_ANSWERS) > 256:
            _ANSWERS.clear()
        _ANSWERS[key] = answer
    return _ANSWERS[key]  # type: ignore[return-value]


def _state(db: Database) -> tuple[bool, bool]:
    """Whether passage_fact, and passage_cube, are up to date."""
    try:
        row = db.query(
            "select facts_stamp = current_stamp as facts, "
            "coalesce(facts_stamp = current_stamp "
            "and (select value from meta where key = 'cube_stamp') = current_stamp, false) "
            "as cube from v_fact_state"
        ).iloc[0]
    except duckdb.Error:  # a database before migrations 009 and 011
        return False, False
    return bool(row["facts"]), bool(row["cube"])


def term_cube_current(db: Database) -> bool:
    """Whether term_cube (migration 012) is up to date."""
    try:
        return bool(
            db.scalar(
                "select coalesce(facts_stamp = current_stamp and (select value from meta "
                "where key = 'term_cube_stamp') = current_stamp, false) from v_fact_state"
            )
        )
    except duckdb.Error:  # a database before migration 012
        return False


def term_cube_source(db: Database) -> str:
    """The relation to read passages per matched term from: ``term_cube`` when up to date,
    else the same rows computed from the passage source (a parenthesised query). Columns:
    those of term_cube (migration 012); ``n`` passages per row."""
    if term_cube_current(db):
        return TERM_CUBE_TABLE
    return "(" + TERM_CUBE_SQL.format(source=passage_source(db)) + ")"


def passage_source(db: Database) -> str:
    """The relation to read passage rows from: ``passage_fact`` when up to date, else
    ``v_passage``. A fixed identifier, never user input; it has every column of
    ``v_passage`` except ``text``."""
    return FACT_TABLE if _state(db)[0] else LIVE_VIEW


def cube_source(db: Database) -> str:
    """The relation to read passage counts from: ``passage_cube`` when up to date, else the
    same rows computed from the passage source (a parenthesised query). Columns: those of
    passage_cube (migration 011); ``n`` passages per row."""
    facts, cube = _state(db)
    if cube:
        return CUBE_TABLE
    return "(" + CUBE_SQL.format(source=FACT_TABLE if facts else LIVE_VIEW) + ")"


def passage_rows(db: Database, ids: list[int], columns: str) -> pd.DataFrame:
    """``columns`` (SQL over the columns of ``v_passage_source``: the passage, its document
    and submitter, no labels; fixed by the caller) of the passages ``ids``, with their
    ``passage_id``, read by id: the view's joins start from the few passages (15 ms for 20
    passages at a million, where reading them from passage_fact takes 50 to 70 ms)."""
    ids = sorted({int(i) for i in ids})
    placeholders = ", ".join("?" for _ in ids) or "null"
    return db.query(
        f"select passage_id, {columns} from v_passage_source "  # noqa: S608 - fixed
        f"where passage_id in ({placeholders})",
        ids,
    )


def with_texts(
    db: Database,
    frame: pd.DataFrame,
    *,
    id_column: str = "passage_id",
    column: str = "text",
    after: str | None = None,
) -> pd.DataFrame:
    """``frame`` with the text of the passage of each row's ``id_column`` as ``column``
    (placed after the column ``after``, else last). The texts are read by id, with the ids
    bound as a list of values, which DuckDB looks up row group by row group: joining the
    passage table instead reads every passage's text (0.6 s at a million passages)."""
    frame = frame.copy()
    ids = sorted({int(i) for i in frame[id_column].dropna()})
    texts: dict[int, str] = {}
    for first in range(0, len(ids), 1000):
        chunk = ids[first : first + 1000]
        placeholders = ", ".join("?" for _ in chunk)
        found = db.query(f"select id, text from passage where id in ({placeholders})", chunk)  # noqa: S608 - placeholders only
        texts.update(zip(found["id"].astype(int), found["text"], strict=True))
    values = frame[id_column].map(lambda i: None if pd.isna(i) else texts.get(int(i)))
    if column in frame.columns:
        frame = frame.drop(columns=[column])
    position = frame.columns.get_loc(after) + 1 if after is not None else len(frame.columns)
    frame.insert(position, column, values.astype(object))
    return frame
