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

import duckdb

from .db import Database

FACT_TABLE = "passage_fact"
CUBE_TABLE = "passage_cube"
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
    first(passage_id order by need desc nulls last, passage_id) as need_passage,
    max(provision) as max_provision,
    first(passage_id order by provision desc nulls last, passage_id) as provision_passage
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
