"""Reviewers' label corrections: record one (a signed-in Secretariat user, never a held-out
text), list them, and turn the latest correction of each passage into a labelled training
passage for ``ieg train --with-corrections``."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from ..errors import InvalidValueError, NotAuthorisedError
from ..records import CAPACITY_LABELS, CORRECTION_GENRE, TOPIC_IDS
from ..store.db import Database
from ..store.writer import Writer
from .heldout import HELDOUT_PATH, check_not_heldout, is_heldout

TRAINABLE_LANGUAGES = ("en", "fr", "es")


def correct_labels(
    db: Database,
    passage_id: int,
    *,
    topics: Sequence[str],
    capacity: str,
    user: str,
    note: str = "",
    heldout_path: Path = HELDOUT_PATH,
) -> int:
    """Record ``user``'s labels for a passage (the same labels as before is a confirmation)
    with an audit entry; return the correction id. Refused in one sentence: no user, an
    unknown label or passage, or a text of the held-out evaluation set."""
    if not user or not user.strip():
        raise NotAuthorisedError()
    unknown = [t for t in topics if t not in TOPIC_IDS]
    if unknown:
        raise InvalidValueError(f"'{unknown[0]}' is not a work-plan topic.")
    if capacity not in CAPACITY_LABELS:
        raise InvalidValueError(f"'{capacity}' is not one of need, provision or none.")
    row = db.query(
        f"select text, {', '.join(TOPIC_IDS)} from v_passage where passage_id = ?",  # noqa: S608 - fixed column names
        [int(passage_id)],
    )
    if row.empty:
        raise InvalidValueError(f"Passage {passage_id} does not exist (any more); reload the page.")
    passage = row.iloc[0]
    check_not_heldout(passage["text"], path=heldout_path)
    chosen = [t for t in TOPIC_IDS if t in set(topics)]  # work-plan order, no repeats
    with Writer(db) as writer:
        return writer.record_correction(
            int(passage_id),
            user=user.strip(),
            topics=chosen,
            topic=main_topic(chosen, passage),
            capacity=capacity,
            note=note.strip(),
        )


def main_topic(topics: Sequence[str], scores: pd.Series) -> str | None:
    """The main topic among the chosen ones: the one the model scored highest (as the
    model's own main topic is), in work-plan order on a tie or without scores."""
    if not topics:
        return None

    def score(topic: str) -> float:
        value = scores.get(topic)
        return -1.0 if value is None or pd.isna(value) else float(value)

    return max(topics, key=lambda t: (score(t), -TOPIC_IDS.index(t)))


# grain: one row per correction (latest first)
CORRECTIONS_SQL = """
select
    c.id,
    c.corrected_at,
    c.user_name,
    c.source_id as passage_id,
    c.model_version,
    c.before_topics,
    c.before_capacity,
    c.after_topics,
    c.after_capacity,
    c.note,
    p.language,
    p.text
from label_correction c
join passage p on p.id = c.source_id
where c.source = 'passage'
order by c.corrected_at desc, c.id desc
limit ?
"""


def corrections(db: Database, *, limit: int = 200) -> pd.DataFrame:
    """The latest corrections, with who, when, the labels before and after, and the text."""
    return db.query(CORRECTIONS_SQL, [int(limit)])


# grain: one row per corrected passage: its latest correction, with its text and language
LATEST_SQL = """
select
    c.source_id as passage_id,
    p.text,
    p.language,
    c.after_topics,
    c.after_capacity
from label_correction c
join passage p on p.id = c.source_id
where c.source = 'passage'
qualify row_number() over (partition by c.source_id order by c.corrected_at desc, c.id desc) = 1
order by c.source_id
"""


def training_passages(
    db: Database, *, heldout_path: Path = HELDOUT_PATH
) -> tuple[list[dict], list[str]]:
    """The latest correction of each passage as a labelled training line (the format of
    ``data/training/*.jsonl``, genre :data:`CORRECTION_GENRE`), and a sentence for each
    correction left out (a language without a model, or a held-out text, which the guard
    should already have refused)."""
    records, left_out = [], []
    for row in db.query(LATEST_SQL).itertuples(index=False):
        if row.language not in TRAINABLE_LANGUAGES:
            left_out.append(f"passage {row.passage_id}: no model for language '{row.language}'")
            continue
        if is_heldout(row.text, path=heldout_path):
            left_out.append(f"passage {row.passage_id}: its text is in the held-out set")
            continue
        records.append(
            {
                "id": f"correction-{row.passage_id}",
                "text": row.text,
                "lang": row.language,
                "topics": [t for t in TOPIC_IDS if t in set(row.after_topics)],
                "capacity": row.after_capacity,
                "genre": CORRECTION_GENRE,
            }
        )
    return records, left_out
