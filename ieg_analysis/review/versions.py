"""The model versions the store knows: when each was made, what it was trained on, how it
scored on the held-out set, and how many passages it labelled."""

from __future__ import annotations

import json

import pandas as pd

from ..store.db import Database

# grain: one row per model version, newest first
VERSIONS_SQL = """
with labelled as (
    select model_version, count(*) filter (where classified) as passages_labelled
    from passage_classification
    group by model_version
),
corrected as (
    select model_version, count(*) as corrections
    from label_correction
    group by model_version
)
select
    m.version,
    m.created_at,
    m.meta,
    m.evaluation,
    coalesce(l.passages_labelled, 0) as passages_labelled,
    coalesce(c.corrections, 0) as corrections_of_its_labels,
    m.version = (select value from meta where key = 'model_version') as current
from model_version m
left join labelled l on l.model_version = m.version
left join corrected c on c.model_version = m.version
order by m.created_at desc, m.version
"""

COLUMNS = [
    "version",
    "current",
    "created_at",
    "training_passages",
    "trained_on_corrections",
    "topics_macro_f1",
    "capacity_macro_f1",
    "need_provision_macro_f1",
    "evaluated_on",
    "passages_labelled",
    "corrections_of_its_labels",
]


def _json(raw: object) -> dict:
    if not raw or (isinstance(raw, float) and pd.isna(raw)):
        return {}
    try:
        value = json.loads(raw) if isinstance(raw, str) else raw
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def model_versions(db: Database) -> pd.DataFrame:
    """One row per model version: version, current, created_at, training_passages (own
    language, summed over languages), trained_on_corrections, the held-out macro-F1s
    (topics; capacity over 3 labels and over need/provision) and the data they were
    measured on, passages_labelled, corrections_of_its_labels (reviewers who changed or
    confirmed what it said)."""
    rows = []
    for row in db.query(VERSIONS_SQL).itertuples(index=False):
        meta, evaluation = _json(row.meta), _json(row.evaluation)
        languages = meta.get("languages") or {}
        topics = evaluation.get("topics") or {}
        capacity = evaluation.get("capacity") or {}
        rows.append(
            {
                "version": row.version,
                "current": bool(row.current),
                "created_at": row.created_at,
                "training_passages": sum(
                    int(info.get("train_passages", 0))
                    for info in languages.values()
                    if isinstance(info, dict)
                )
                or None,
                "trained_on_corrections": int(meta.get("corrections", 0)),
                "topics_macro_f1": topics.get("macro_f1"),
                "capacity_macro_f1": capacity.get("macro_f1"),
                "need_provision_macro_f1": capacity.get("need_provision_macro_f1"),
                "evaluated_on": evaluation.get("dataset"),
                "passages_labelled": int(row.passages_labelled),
                "corrections_of_its_labels": int(row.corrections_of_its_labels),
            }
        )
    frame = pd.DataFrame(rows, columns=COLUMNS)
    return frame.astype({"training_passages": "Int64"})
