"""The review queue: which passages a reviewer should look at first.

Two reasons to review a passage:
- the model is unsure: a topic score near its threshold (``topic_margin``, the smallest
  distance of the six scores to the current model's per-language thresholds, 0.5 where it
  has none) or a close need / provision / none call (``capacity_margin``, the winning
  probability minus the runner-up's). ``certainty`` = min(2 x topic_margin,
  capacity_margin), 0 (a coin toss) to 1;
- the document's heading names a work-plan topic (``Reference.topic_for_heading``) that is
  not among the passage's labels.
"""

from __future__ import annotations

import json

import pandas as pd

from ..analytics.filters import Filters
from ..errors import InvalidValueError
from ..records import TOPIC_IDS
from ..reference import Reference, load_reference
from ..store.db import Database
from ..store.facts import once_per_version, passage_source, with_texts

MODES = {
    "review": "Unsure or disagreeing with the heading",
    "uncertain": "Least sure first (all)",
    "disagree": "Heading names another topic",
}
NO_FILTERS = Filters()
UNSURE_BELOW = 0.25  # certainty under which a passage is in the default queue

# grain of ``scored``: one row per classified passage within the filters (uncorrected
# unless asked), with its margins and whether its heading disagrees; ``{source}`` is
# :func:`passage_source` (no text: the queue adds the texts of its rows by id)
SCORED_SQL = """
with thresholds as (
    select unnest(?::varchar[]) as language,
           unnest(?::double[]) as t1, unnest(?::double[]) as t2, unnest(?::double[]) as t3,
           unnest(?::double[]) as t4, unnest(?::double[]) as t5, unnest(?::double[]) as t6
),
headings as (
    select unnest(?::varchar[]) as heading, unnest(?::varchar[]) as heading_topic
),
scored as (
    select
        p.passage_id, p.meeting, p.actor_name, p.country_name, p.kind, p.language,
        p.document_id, p.title, p.heading, p.para_number,
        p.topic, p.topic_labels, p.capacity_label, p.corrected, p.model_version,
        p.legislation_frameworks, p.criminalization, p.law_enforcement,
        p.electronic_evidence, p.international_cooperation, p.prevention,
        p.need, p.provision, p.no_capacity,
        h.heading_topic,
        least(
            abs(p.legislation_frameworks - coalesce(t.t1, 0.5)),
            abs(p.criminalization - coalesce(t.t2, 0.5)),
            abs(p.law_enforcement - coalesce(t.t3, 0.5)),
            abs(p.electronic_evidence - coalesce(t.t4, 0.5)),
            abs(p.international_cooperation - coalesce(t.t5, 0.5)),
            abs(p.prevention - coalesce(t.t6, 0.5))
        ) as topic_margin,
        greatest(p.need, p.provision, p.no_capacity)
            - (p.need + p.provision + p.no_capacity
               - greatest(p.need, p.provision, p.no_capacity)
               - least(p.need, p.provision, p.no_capacity)) as capacity_margin,
        case when h.heading_topic is null then false  -- list_contains only where needed
             else coalesce(not list_contains(p.topic_labels, h.heading_topic), false)
        end as disagrees
    from {source} p
    left join thresholds t on t.language = p.language
    left join headings h on h.heading = p.heading
    where p.classified and {where}
)
"""

# grain: one row per passage of the chosen queue, least certain first, at most ``limit``
QUEUE_SQL = (
    SCORED_SQL
    + """
select *, least(2 * topic_margin, capacity_margin) as certainty
from scored
where {mode}
order by certainty, passage_id
limit ?
"""
)

# grain: one row: how many passages each queue holds
COUNTS_SQL = (
    SCORED_SQL
    + """
select
    count(*) filter (where {review}) as review,
    count(*) as uncertain,
    count(*) filter (where disagrees) as disagree
from scored
"""
)

MODE_SQL = {
    "review": f"(disagrees or least(2 * topic_margin, capacity_margin) < {UNSURE_BELOW})",
    "uncertain": "true",
    "disagree": "disagrees",
}


def current_thresholds(db: Database) -> dict[str, dict[str, float]]:
    """The current model version's per-language topic thresholds (from its meta)."""
    raw = db.scalar(
        "select meta from model_version "
        "where version = (select value from meta where key = 'model_version')"
    )
    try:
        meta = json.loads(raw) if raw else {}
    except (TypeError, ValueError):
        meta = {}
    return {
        lang: {t: float(info["thresholds"][t]) for t in TOPIC_IDS if t in info["thresholds"]}
        for lang, info in (meta.get("languages") or {}).items()
        if isinstance(info, dict) and isinstance(info.get("thresholds"), dict)
    }


def heading_topics(db: Database, reference: Reference | None = None) -> dict[str, str]:
    """Each stored heading that names a work-plan topic, with that topic."""
    reference = reference or load_reference()
    headings = db.query(
        f"select distinct heading from {passage_source(db)} where heading is not null"  # noqa: S608 - fixed relation
    )["heading"]
    found = {h: reference.topic_for_heading(h) for h in headings}
    return {h: t for h, t in found.items() if t}


def review_queue(
    db: Database,
    filters: Filters = NO_FILTERS,
    *,
    mode: str = "review",
    include_corrected: bool = False,
    limit: int = 50,
    reference: Reference | None = None,
) -> pd.DataFrame:
    """The passages to review first (see the module doc), least certain first. Columns:
    passage_id, meeting, actor_name, country_name, kind, language, document_id, title,
    heading, para_number, text, topic, topic_labels, capacity_label, corrected,
    model_version, the six topic scores, need, provision, no_capacity, heading_topic,
    topic_margin, capacity_margin, disagrees, certainty, and closest_call (the call that set
    the certainty, in words: :func:`closest_calls`)."""
    if mode not in MODES:
        raise InvalidValueError(f"'{mode}' is not a review queue; use one of {', '.join(MODES)}.")
    where, params = _scored_params(db, filters, include_corrected, reference)
    sql = QUEUE_SQL.format(source=passage_source(db), where=where, mode=MODE_SQL[mode])
    # the texts of the shown rows only, read by id (the passage source has none)
    queue = with_texts(db, db.query(sql, [*params, int(limit)]), after="para_number")
    queue["closest_call"] = closest_calls(
        queue, current_thresholds(db), reference or load_reference()
    )
    return queue


CAPACITY_NAMES = {"need": "need", "provision": "offer", "no_capacity": "neither"}


def closest_calls(
    queue: pd.DataFrame, thresholds: dict[str, dict[str, float]], reference: Reference
) -> pd.Series:
    """For each row of a queue, the model's call that set its ``certainty`` (its place in
    the queue), in words: the topic score nearest its threshold ("Law enforcement 0.4001,
    0.0001 above its 0.40 threshold"), or, when the need / offer / neither call is closer
    (``capacity_margin`` < 2 x ``topic_margin``), the two likeliest of the three ("Neither
    0.456 vs offer 0.455, 0.001 apart")."""

    def describe(row: pd.Series) -> str:
        if row["capacity_margin"] < 2 * row["topic_margin"]:
            first, second = sorted(CAPACITY_NAMES, key=lambda c: -float(row[c]))[:2]
            return (
                f"{CAPACITY_NAMES[first].capitalize()} {row[first]:.3f} vs "
                f"{CAPACITY_NAMES[second]} {row[second]:.3f}, "
                f"{row[first] - row[second]:.3f} apart"
            )
        limits = thresholds.get(row["language"], {})
        topic = min(TOPIC_IDS, key=lambda t: abs(float(row[t]) - limits.get(t, 0.5)))
        limit = limits.get(topic, 0.5)
        gap = float(row[topic]) - limit
        label = reference.topics[topic].short_label if topic in reference.topics else topic
        return (
            f"{label} {row[topic]:.4f}, {abs(gap):.4f} {'above' if gap >= 0 else 'below'} "
            f"its {limit:.2f} threshold"
        )

    if queue.empty:
        return pd.Series([], dtype=object, index=queue.index)
    return queue.apply(describe, axis=1)


def queue_counts(
    db: Database, filters: Filters = NO_FILTERS, *, reference: Reference | None = None
) -> dict[str, int]:
    """How many uncorrected passages each queue holds, and how many are corrected."""
    where, params = _scored_params(db, filters, False, reference)
    source = passage_source(db)
    sql = COUNTS_SQL.format(source=source, where=where, review=MODE_SQL["review"])
    row = db.query(sql, params).iloc[0]
    counts = {mode: int(row[mode]) for mode in MODES}
    where, params = filters.where("p")
    counts["corrected"] = int(
        db.scalar(f"select count(*) from {source} p where p.corrected and {where}", params)  # noqa: S608 - fixed relation, predicate from Filters.where, values bound
    )
    return counts


def _scored_params(
    db: Database, filters: Filters, include_corrected: bool, reference: Reference | None
) -> tuple[str, list]:
    """The filter predicate for SCORED_SQL and every parameter it binds, in order."""
    thresholds = current_thresholds(db)
    languages = sorted(thresholds)
    columns = [[thresholds[lang].get(t, 0.5) for lang in languages] for t in TOPIC_IDS]
    if reference is None:  # the bundled reference: once per data version (a scan of headings)
        headings = once_per_version(db, "review.heading_topics", lambda: heading_topics(db))
    else:
        headings = heading_topics(db, reference)
    where, params = filters.where("p")
    if not include_corrected:
        where = f"({where}) and not p.corrected"
    return where, [languages, *columns, list(headings), list(headings.values()), *params]
