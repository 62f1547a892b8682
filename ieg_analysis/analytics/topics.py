"""The Topics page: how passages spread over the work-plan topics, how confident the model
is, how well it did on the held-out set, and the evidence behind a label."""

from __future__ import annotations

import contextlib
import json
import threading
from functools import lru_cache
from pathlib import Path

import pandas as pd

from ..records import TOPIC_IDS
from ..store.db import Database
from ..store.facts import cube_source, passage_source, with_texts
from .filters import Filters

TOPIC_COLUMNS = TOPIC_IDS
GROUPINGS = {"meeting": "Meeting", "region": "Region"}


def topic_distribution(db: Database, filters: Filters, by: str = "meeting") -> pd.DataFrame:
    """grain: one row per (group, topic): passages labelled with the topic, and their share
    of the group's classified passages (a passage with two topics counts for both).
    ``by`` is "meeting" or "region" (the filters' region scheme). The shares are of all the
    group's classified passages; a topic filter keeps the rows of the chosen topics only."""
    group = "cast(meeting as varchar)" if by == "meeting" else filters.region_column
    predicate, params = filters.without("topics").where("v")
    if filters.topics:  # every group keeps a row per chosen topic, 0 where it has none
        pairs = "select grp, unnest(?) as topic from totals"
        params = [*params, list(filters.topics)]
    else:  # the topics some passage of the group carries
        pairs = "select grp, topic from labelled"
    return db.query(
        f"""
        with scoped as (
            select {group} as grp, topic_labels, n from {cube_source(db)} v
            where {predicate} and classified and kind <> 'recommendation_list'
              and {group} is not null
        ),
        totals as (select grp, cast(sum(n) as bigint) as passages from scoped group by grp),
        exploded as (select grp, unnest(topic_labels) as topic, n from scoped),
        labelled as (
            select grp, topic, cast(sum(n) as bigint) as labelled from exploded group by all
        ),
        pairs as ({pairs})
        select grp as "group", topic, coalesce(l.labelled, 0) as passages,
               t.passages as group_passages, coalesce(l.labelled, 0) / t.passages as share
        from pairs join totals t using (grp) left join labelled l using (grp, topic)
        order by "group", topic
        """,  # noqa: S608 - group and pairs are fixed expressions; values are bound
        params,
    )


def confidence_distribution(db: Database, filters: Filters) -> pd.DataFrame:
    """grain: one row per (kind of score, 0.05-wide bin): how many classified passages have
    their highest topic score, and their capacity label's probability, in the bin."""
    predicate, params = filters.where("v")
    return db.query(
        f"""
        with scoped as (
            select topic_bin, capacity_bin, n
            from {cube_source(db)} v where {predicate} and classified
        ),
        scores as (
            select 'Highest topic score' as score, topic_bin as bin, n from scoped
            union all
            select 'Capacity-building label probability', capacity_bin, n from scoped
        )
        select score, bin, cast(sum(n) as bigint) as passages
        from scores group by all order by score, bin
        """,  # noqa: S608 - the predicate comes from Filters.where
        params,
    )


def labelled_passages(
    db: Database, filters: Filters, topic: str, *, order: str = "confident", limit: int = 50
) -> pd.DataFrame:
    """grain: one row per passage labelled with ``topic`` (most confident first, or least
    confident first with ``order="uncertain"``), with all its scores and matched terms."""
    if topic not in TOPIC_COLUMNS:
        raise ValueError(f"unknown topic {topic!r}")
    direction = "asc" if order == "uncertain" else "desc"
    predicate, params = filters.without("topics").where("v")
    frame = db.query(
        f"""
        with top as (
            select * from {passage_source(db)} v
            where {predicate} and list_contains(v.topic_labels, ?)
            order by v.{topic} {direction}, v.passage_id
            limit ?
        )
        select v.passage_id, v.actor_name, v.meeting, v.regional_group, v.heading,
               v.para_number, v.language, v.topic_labels, v.capacity_label,
               v.{topic} as score, v.need, v.provision, v.no_capacity, v.model_version
        from top v
        order by v.{topic} {direction}, v.passage_id
        """,  # noqa: S608 - topic is checked against TOPIC_COLUMNS; direction is fixed
        [*params, topic, int(limit)],
    )
    frame["terms"] = frame["passage_id"].map(_matched_terms(db, frame))
    frame = frame.drop(columns=["model_version"])
    return with_texts(db, frame, after="para_number")


def _matched_terms(db: Database, frame: pd.DataFrame) -> dict:
    """passage id -> the labels of the vocabulary terms the current model matched in it
    (sorted), for the rows of ``frame`` with a model version; read by id."""
    ids = [int(i) for i, v in zip(frame["passage_id"], frame["model_version"], strict=True) if v]
    if not ids:
        return {}
    placeholders = ", ".join("?" for _ in ids)
    terms = db.query(
        "select x.source_id, list(distinct t.label order by t.label) as terms "  # noqa: S608
        "from text_term x join term t on t.id = x.term_id "
        f"where x.source = 'passage' and x.source_id in ({placeholders}) "
        "and x.model_version = (select value from meta where key = 'model_version') "
        "group by x.source_id",
        ids,
    )
    return dict(zip(terms["source_id"].astype(int), terms["terms"], strict=True))


def unclassified_summary(db: Database, filters: Filters) -> pd.DataFrame:
    """grain: one row per reason a passage was left unclassified (e.g. its language). The
    topic filter does not apply: an unclassified passage has no topic."""
    predicate, params = filters.without("topics").where("v")
    # the predicate comes from Filters.where: fixed columns, bound values
    sql = (
        "select unclassified_reason as reason, cast(sum(n) as bigint) as passages "  # noqa: S608
        f"from {cube_source(db)} v where {predicate} and classified = false "
        "group by all order by passages desc"
    )
    return db.query(sql, params)


def without_topic(db: Database, filters: Filters, by: str = "meeting") -> int:
    """Classified passages that carry no topic label (procedural text, greetings, a subject
    outside the six topics), counted as ``topic_distribution`` counts its whole: submissions
    only, every topic (a topic filter would leave none), a known group for ``by``."""
    group = "meeting" if by == "meeting" else filters.region_column
    predicate, params = filters.without("topics").where("v")
    # the predicate comes from Filters.where: fixed columns, bound values; group is fixed
    sql = (
        "select cast(coalesce(sum(n), 0) as bigint) as passages "  # noqa: S608
        f"from {cube_source(db)} v where {predicate} and classified "
        f"and kind <> 'recommendation_list' and {group} is not null and len(topic_labels) = 0"
    )
    return int(db.query(sql, params)["passages"].iloc[0])


def model_report(db: Database) -> dict | None:
    """The current model version with its training metadata and held-out evaluation."""
    frame = db.query(
        "select version, created_at, meta, evaluation from model_version "
        "where version = (select value from meta where key = 'model_version')"
    )
    if frame.empty:
        return None
    row = frame.iloc[0]
    return {
        "version": row["version"],
        "created_at": row["created_at"],
        "meta": json.loads(row["meta"]) if isinstance(row["meta"], str) else {},
        "evaluation": json.loads(row["evaluation"]) if isinstance(row["evaluation"], str) else None,
    }


CAPACITY_NAMES = {"need": "Need", "provision": "Offer", "none": "Neither"}


def evaluation_table(report: dict, topic_labels: dict[str, str] | None = None) -> pd.DataFrame:
    """grain: one row per label of both classifiers: precision, recall, F1, support (labels
    by their names: ``topic_labels`` for the topic ids, Need / Offer / Neither)."""
    evaluation = report.get("evaluation") or {}
    names = {**(topic_labels or {}), **CAPACITY_NAMES}
    rows = []
    for task, title in (("topics", "Topic"), ("capacity", "Capacity")):
        for label, scores in (evaluation.get(task, {}).get("per_label") or {}).items():
            rows.append({"classifier": title, "label": names.get(label, label), **scores})
    return pd.DataFrame(
        rows, columns=["classifier", "label", "precision", "recall", "f1", "support"]
    )


def heldout_summary(report: dict) -> pd.DataFrame:
    """grain: one row per held-out set the model was scored on (the main one first): its
    passages, topic macro-F1, need/provision macro-F1 and need/provision/none macro-F1."""
    evaluation = report.get("evaluation") or {}
    sets = [evaluation, *(evaluation.get("other_sets") or {}).values()] if evaluation else []
    return _set_scores(sets, "held-out set")


def diagnostic_summary(report: dict) -> pd.DataFrame:
    """grain: one row per diagnostic set (passages of whole documents, labelled by readers
    who did not write them; not a held-out set of the targets), with the same scores."""
    evaluation = report.get("evaluation") or {}
    return _set_scores(list((evaluation.get("diagnostic_sets") or {}).values()), "diagnostic set")


def capacity_caveat(report: dict | None) -> str:
    """One sentence on how far to trust the need/offer labels, from the current model's
    evaluation: its need/offer macro-F1 on the held-out sets, and the share of the needs and
    offers it finds (recall) in the diagnostic passages cut from whole documents."""
    evaluation = (report or {}).get("evaluation") or {}
    held = heldout_summary(report or {})["need / offer macro-F1"].dropna()
    if held.empty:
        return "Labels come from the classifier (no evaluation of this model is stored)."
    span = f"{held.min():.2f}" if held.min() == held.max() else f"{held.min():.2f}-{held.max():.2f}"
    text = f"Labels come from the classifier: need/offer F1 {span} on held-out passages"
    recalls = [
        scores["recall"]
        for diagnostic in (evaluation.get("diagnostic_sets") or {}).values()
        for label, scores in (diagnostic.get("capacity", {}).get("per_label") or {}).items()
        if label in ("need", "provision") and scores.get("support")
    ]
    if recalls:
        low, high = f"{min(recalls):.0%}", f"{max(recalls):.0%}"
        text += (
            "; in paragraphs cut from whole documents it finds "
            f"{low if low == high else f'{low}-{high}'} of the needs and offers "
            "(see the Topics page)"
        )
    return text + "."


def _set_scores(sets: list[dict], first: str) -> pd.DataFrame:
    rows = [
        {
            first: item.get("dataset", ""),
            "passages": item.get("passages", 0),
            "topic macro-F1": item.get("topics", {}).get("macro_f1"),
            "need / offer macro-F1": item.get("capacity", {}).get("need_provision_macro_f1"),
            "need / offer / neither macro-F1": item.get("capacity", {}).get("macro_f1"),
        }
        for item in sets
    ]
    return pd.DataFrame(
        rows,
        columns=[
            first,
            "passages",
            "topic macro-F1",
            "need / offer macro-F1",
            "need / offer / neither macro-F1",
        ],
    )


_LOADING = threading.Lock()


@lru_cache(maxsize=2)
def _load_classifier(model_dir: str):
    from ..nlp.classifier import Classifier

    return Classifier.load(Path(model_dir))


def _classifier(model_dir: str):
    with _LOADING:  # one load, however many threads ask at once
        return _load_classifier(model_dir)


_WARMED: set[str] = set()  # model folders warmed (or tried) by this process
_WARMED_LOCK = threading.Lock()  # not _LOADING: a rerun must not wait for the load itself


def warm_explanations(model_dir: Path) -> None:
    """Load the model for :func:`explain_label` in a background thread (about 3 s and 80 MB,
    once per process and model folder), so the first "Why this label?" does not wait for
    it. A failure is not retried here: it is left for that call to report."""
    key = str(model_dir)
    with _WARMED_LOCK:
        if key in _WARMED:
            return
        _WARMED.add(key)

    def load() -> None:
        with contextlib.suppress(Exception):
            _classifier(key)

    threading.Thread(target=load, name="ieg-warm-explanations", daemon=True).start()


def term_spans(text: str, language: str) -> list[tuple[int, int]]:
    """The character spans of the vocabulary terms in ``text``, in whatever wording and
    language the vocabulary lists them (what the classifier matched), for highlighting."""
    from ..nlp.terms import term_matcher

    return [(m.start_char, m.end_char) for m in term_matcher(language).find(text)]


def explain_label(model_dir: Path, text: str, label: str, language: str) -> dict:
    """Why the model gave ``label`` to ``text``: matched vocabulary terms and the words
    whose removal lowers the label's log-odds most."""
    from ..nlp.explain import explain

    result = explain(_classifier(str(model_dir)), text, label, language=language)
    return {
        "score": result.score,
        "terms": [(m.text, m.term_id) for m in result.terms],
        "weights": list(result.weights),
    }
