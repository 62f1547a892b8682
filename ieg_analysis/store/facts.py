"""Where the aggregate analytics read passages from: ``passage_fact`` (migration 009, the
columns of ``v_passage`` but the text, materialised by the writer) when it is up to date,
else ``v_passage`` itself (the same columns, computed on every read)."""

from __future__ import annotations

import duckdb

from .db import Database

FACT_TABLE = "passage_fact"
LIVE_VIEW = "v_passage"


def passage_source(db: Database) -> str:
    """The name of the relation to read passage facts from: ``passage_fact`` when its stamp
    matches the current data and model versions, else ``v_passage``. A fixed identifier,
    never user input; it has every column of ``v_passage`` except ``text``."""
    try:
        fresh = db.scalar("select facts_stamp = current_stamp from v_fact_state")
    except duckdb.Error:  # a database before migration 009
        return LIVE_VIEW
    return FACT_TABLE if fresh else LIVE_VIEW
