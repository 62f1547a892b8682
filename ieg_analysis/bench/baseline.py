"""The pandas baseline: the way Streamlit apps are usually written. The tables are loaded
into DataFrames once (and would be cached), then every question is answered by filtering and
grouping them in pandas on every rerun. Each function answers the same question as the
analytics function it is named after, with the same columns, so the two can be compared."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..analytics.capacity import STATE_TYPES
from ..analytics.explorer import PAGE_SIZE
from ..analytics.filters import Filters
from ..analytics.recommendations import RARE_FRACTION, SUBMISSION_KINDS, THIN_RATIO
from ..store.db import Database

_REGION_COLUMNS = ("regional_group", "m49_region", "m49_subregion")


@dataclass
class Frames:
    """Every table a page needs, in memory: ``v`` is the passage view built by merging."""

    v: pd.DataFrame
    text_term: pd.DataFrame
    recommendation: pd.DataFrame
    topic: pd.DataFrame
    term: pd.DataFrame
    version: str | None

    @property
    def megabytes(self) -> float:
        frames = (self.v, self.text_term, self.recommendation, self.topic, self.term)
        return sum(f.memory_usage(deep=True).sum() for f in frames) / 1_048_576


def load_frames(db: Database) -> Frames:
    """``select *`` of each table, then the passage view rebuilt with pandas merges."""
    with db.connect() as con:

        def table(sql: str) -> pd.DataFrame:
            return con.execute(sql).df()

        passage = table("select * from passage")
        document = table("select * from document")
        actor = table("select * from actor")
        country = table("select * from country")
        classification = table("select * from passage_classification")
        text_term = table("select * from text_term")
        recommendation = table("select * from recommendation")
        topic = table("select * from topic")
        term = table("select * from term")
        meta = table("select * from meta")
    versions = meta.loc[meta["key"] == "model_version", "value"]
    version = str(versions.iloc[0]) if len(versions) else None
    v = passage.rename(columns={"id": "passage_id"}).merge(
        document[
            ["id", "meeting", "kind", "received", "title", "source_name", "is_sample", "actor_id"]
        ].rename(columns={"id": "document_id"}),
        on="document_id",
    )
    v = v.merge(
        actor.rename(columns={"id": "actor_id", "name": "actor_name"}), on="actor_id", how="left"
    )
    states = country[["iso3", "name", *_REGION_COLUMNS]].rename(
        columns={"iso3": "country_iso3", "name": "country_name"}
    )
    v = v.merge(states, on="country_iso3", how="left")
    not_state = ~v["actor_type"].isin(STATE_TYPES)
    v.loc[not_state, ["country_name", *_REGION_COLUMNS]] = None
    current = classification[classification["model_version"] == version]
    current = current.rename(columns={"reason": "unclassified_reason", "none": "no_capacity"})
    v = v.merge(current, on="passage_id", how="left")
    v["topic_labels"] = [
        list(labels) if isinstance(labels, list | np.ndarray) else []
        for labels in v["topic_labels"]
    ]
    return Frames(
        v=v,
        text_term=text_term,
        recommendation=recommendation,
        topic=topic.sort_values("ordinal").reset_index(drop=True),
        term=term,
        version=version,
    )


def _mask(v: pd.DataFrame, filters: Filters) -> pd.Series:
    """Filters.where, in pandas."""
    mask = pd.Series(True, index=v.index)
    for values, column in (
        (filters.meetings, "meeting"),
        (filters.states, "country_iso3"),
        (filters.actor_types, "actor_type"),
        (filters.kinds, "kind"),
        (filters.languages, "language"),
    ):
        if values:
            mask &= v[column].isin(values)
    if filters.topics:
        wanted = set(filters.topics)
        mask &= v["topic_labels"].map(lambda labels: bool(wanted.intersection(labels)))
    if filters.regions:
        mask &= v[filters.region_column].isin(filters.regions)
    return mask


def _explode_topics(frame: pd.DataFrame, name: str = "topic_id") -> pd.DataFrame:
    exploded = frame.explode("topic_labels")
    exploded = exploded[exploded["topic_labels"].notna()]
    return exploded.rename(columns={"topic_labels": name})


def _sorted_names(names: pd.Series) -> list:
    return sorted(set(names.dropna()))


# --------------------------------------------------------------------------- Topics page
def topic_distribution(f: Frames, filters: Filters, by: str = "meeting") -> pd.DataFrame:
    v = f.v
    group = v["meeting"].astype(str) if by == "meeting" else v[filters.region_column]
    keep = (
        _mask(v, filters.without("topics"))
        & (v["classified"] == True)  # noqa: E712 - null (not classified yet) is not true
        & (v["kind"] != "recommendation_list")
        & group.notna()
    )
    scoped = pd.DataFrame({"grp": group[keep], "topic_labels": v.loc[keep, "topic_labels"]})
    totals = scoped.groupby("grp").size().rename("group_passages")
    labelled = _explode_topics(scoped, "topic").groupby(["grp", "topic"]).size().rename("passages")
    out = labelled.reset_index().merge(totals.reset_index(), on="grp")
    out["share"] = out["passages"] / out["group_passages"]
    out = out.rename(columns={"grp": "group"}).sort_values(["group", "topic"])
    return out[["group", "topic", "passages", "group_passages", "share"]].reset_index(drop=True)


# ------------------------------------------------------------------------- Capacity page
def _cells(f: Frames, filters: Filters) -> pd.DataFrame:
    v = f.v
    region = v[filters.region_column].replace("", None)
    base = (v["kind"] != "recommendation_list") & v["actor_type"].isin(STATE_TYPES)
    base &= region.notna()
    need_side = v[base & _mask(v, filters.without("topics"))].assign(region=region)
    offer_side = v[
        base & _mask(v, filters.without("topics", "states")) & (v["capacity_label"] == "provision")
    ].assign(region=region)
    submitting = need_side.groupby("region")["country_iso3"].nunique().rename("states_submitting")
    exploded = _explode_topics(
        need_side[["region", "topic_labels", "country_iso3", "country_name", "capacity_label"]]
    )

    def side(label: str, prefix: str) -> pd.DataFrame:
        rows = exploded[exploded["capacity_label"] == label]
        return rows.groupby(["region", "topic_id"]).agg(
            **{
                f"{prefix}_states": ("country_iso3", "nunique"),
                f"{prefix}_passages": ("country_iso3", "size"),
                f"{prefix}_state_names": ("country_name", _sorted_names),
            }
        )

    needs, offers = side("need", "need"), side("provision", "offer")
    region_offers = (
        _explode_topics(offer_side[["region", "topic_labels"]])
        .groupby(["region", "topic_id"])
        .size()
        .rename("region_offer_passages")
    )
    topics = f.topic.rename(
        columns={
            "id": "topic_id",
            "label": "topic_label",
            "short_label": "topic_short_label",
            "ordinal": "topic_ordinal",
        }
    )[["topic_id", "topic_label", "topic_short_label", "topic_ordinal"]]
    if filters.topics:
        topics = topics[topics["topic_id"].isin(filters.topics)]
    cells = submitting.reset_index().merge(topics, how="cross")
    for frame in (needs, offers, region_offers):
        cells = cells.merge(frame.reset_index(), on=["region", "topic_id"], how="left")
    for column in (
        "need_states",
        "need_passages",
        "offer_states",
        "offer_passages",
        "region_offer_passages",
    ):
        cells[column] = cells[column].fillna(0).astype("int64")
    for column in ("need_state_names", "offer_state_names"):
        cells[column] = [x if isinstance(x, list) else [] for x in cells[column]]
    cells["is_gap"] = (cells["need_passages"] > 0) & (cells["region_offer_passages"] == 0)
    return cells[
        [
            "region",
            "topic_id",
            "topic_label",
            "topic_short_label",
            "topic_ordinal",
            "states_submitting",
            "need_states",
            "need_passages",
            "need_state_names",
            "offer_states",
            "offer_passages",
            "offer_state_names",
            "region_offer_passages",
            "is_gap",
        ]
    ]


def needs_matrix(f: Frames, filters: Filters, *, measure: str = "need") -> pd.DataFrame:
    """The share-of-States heatmap (value ``share_states``)."""
    cells = _cells(f, filters)
    if measure == "need":
        names, states, passages = "need_state_names", "need_states", "need_passages"
        cells["states"] = cells[names]
        cells["measure_states"] = cells[states]
        cells["measure_passages"] = cells[passages]
    elif measure == "provision":
        cells["states"] = cells["offer_state_names"]
        cells["measure_states"] = cells["offer_states"]
        cells["measure_passages"] = cells["offer_passages"]
    else:
        gap = cells["is_gap"]
        cells["states"] = [
            n if g else [] for n, g in zip(cells["need_state_names"], gap, strict=True)
        ]
        cells["measure_states"] = cells["need_states"].where(gap, 0)
        cells["measure_passages"] = cells["need_passages"].where(gap, 0)
    cells["value"] = (cells["measure_states"] / cells["states_submitting"]).astype(float)
    cells["value_kind"] = "share_states"
    cells["measure"] = measure
    cells = cells.sort_values(["region", "topic_ordinal"]).reset_index(drop=True)
    return cells.drop(columns=["need_state_names", "offer_state_names"])


def priority_table(f: Frames, filters: Filters, *, top: int = 20) -> pd.DataFrame:
    cells = _cells(f, filters.without("topics"))
    ranked = cells[cells["need_states"] > 0].copy()
    if filters.topics:
        ranked = ranked[ranked["topic_id"].isin(filters.topics)]
    k, n, z = ranked["need_states"], ranked["states_submitting"], 1.96
    ranked["share_states"] = share = k / n
    ranked["priority"] = (
        share + z * z / (2 * n) - z * np.sqrt(share * (1 - share) / n + z * z / (4 * n * n))
    ) / (1 + z * z / n)
    ranked = ranked.sort_values(
        ["priority", "need_passages", "need_states", "region", "topic_ordinal"],
        ascending=[False, False, False, True, True],
    ).head(top)
    v = f.v
    region = v[filters.region_column].replace("", None)
    needs = v[
        (v["kind"] != "recommendation_list")
        & _mask(v, filters.without("topics"))
        & v["actor_type"].isin(STATE_TYPES)
        & (v["capacity_label"] == "need")
    ].assign(region=region)
    examples = _explode_topics(needs).sort_values(
        ["need", "meeting", "passage_id"], ascending=[False, True, True]
    )
    examples = examples.drop_duplicates(["region", "topic_id"])
    examples = examples.assign(example_document=examples["title"].fillna(examples["source_name"]))
    examples = examples.rename(
        columns={
            "country_name": "example_state",
            "meeting": "example_meeting",
            "para_number": "example_para",
            "text": "example_text",
        }
    )[
        [
            "region",
            "topic_id",
            "example_state",
            "example_meeting",
            "example_document",
            "example_para",
            "example_text",
        ]
    ]
    out = ranked.merge(examples, on=["region", "topic_id"], how="left")
    out.insert(0, "rank", range(1, len(out) + 1))
    out = out.rename(columns={"need_state_names": "states"})
    return out[
        [
            "rank",
            "region",
            "topic_id",
            "topic_label",
            "states_submitting",
            "need_states",
            "share_states",
            "priority",
            "need_passages",
            "region_offer_passages",
            "states",
            "example_state",
            "example_meeting",
            "example_document",
            "example_para",
            "example_text",
        ]
    ]


# ------------------------------------------------------------------ Recommendations page
def _submission(f: Frames, filters: Filters) -> pd.DataFrame:
    v = f.v
    return v[v["kind"].isin(SUBMISSION_KINDS) & _mask(v, filters.without("topics"))]


def _recommendations(f: Frames, filters: Filters, statuses=()) -> pd.DataFrame:
    r = f.recommendation
    keep = pd.Series(True, index=r.index)
    if filters.meetings:
        keep &= r["meeting"].isin(filters.meetings)
    if statuses:
        keep &= r["status"].isin(statuses)
    return r[keep]


def coverage(f: Frames, filters: Filters) -> pd.DataFrame:
    sub = _submission(f, filters)
    passages = _explode_topics(sub[["topic_labels"]]).groupby("topic_id").size()
    recs = _recommendations(f, filters)
    recs = recs[recs["topic_id"].notna()].groupby("topic_id").size()
    frame = f.topic.rename(columns={"id": "topic_id", "label": "topic", "meeting": "topic_meeting"})
    frame = frame[["topic_id", "topic", "short_label", "ordinal", "topic_meeting"]].copy()
    frame["recommendations"] = frame["topic_id"].map(recs).fillna(0).astype("int64")
    frame["passages"] = frame["topic_id"].map(passages).fillna(0).astype("int64")
    frame["passages_in_view"] = len(sub)
    frame["passages_classified"] = int((sub["classified"] == True).sum())  # noqa: E712
    frame["passages_labelled"] = int(sub["topic_labels"].map(len).gt(0).sum())
    rec_total, passage_total = frame["recommendations"].sum(), frame["passages"].sum()
    frame["recommendation_share"] = frame["recommendations"] / rec_total if rec_total else 0.0
    frame["passage_share"] = frame["passages"] / passage_total if passage_total else 0.0
    share = frame["passage_share"]
    frame["coverage_ratio"] = (frame["recommendation_share"] / share.where(share > 0)).astype(
        "float64"
    )
    frame["expected_recommendations"] = frame["passage_share"] * rec_total
    frame["shortfall"] = frame["expected_recommendations"] - frame["recommendations"]
    on_agenda = frame["topic_meeting"].isin(filters.meetings) if filters.meetings else True
    frame["on_agenda"] = on_agenda
    frame["thin"] = (frame["coverage_ratio"] < THIN_RATIO).fillna(False) & frame["on_agenda"]
    return frame.reset_index(drop=True)


def subtheme_gaps(
    f: Frames, filters: Filters, topic: str, *, top: int = 15, min_passages: int = 2
) -> pd.DataFrame:
    """The topic's own vocabulary terms the recommendations take up less than half as
    often as the submissions on the topic."""
    sub = _submission(f, filters)
    on_topic = sub[sub["topic_labels"].map(lambda labels: topic in labels)]
    recs = _recommendations(f, filters)
    recs = recs[recs["topic_id"] == topic]
    tt = f.text_term[f.text_term["model_version"] == f.version]
    passage_terms = (
        tt[tt["source"] == "passage"]
        .merge(
            on_topic[["passage_id", "country_iso3", "actor_id"]],
            left_on="source_id",
            right_on="passage_id",
        )
        .groupby("term_id")
        .agg(
            passages=("passage_id", "nunique"),
            states=("country_iso3", "nunique"),
            submitters=("actor_id", "nunique"),
        )
    )
    rec_terms = (
        tt[(tt["source"] == "recommendation") & tt["source_id"].isin(recs["id"])]
        .groupby("term_id")["source_id"]
        .nunique()
    )
    frame = passage_terms.reset_index().merge(
        f.term.rename(columns={"id": "term_id", "topic_id": "term_topic"}), on="term_id", how="left"
    )
    frame["label"] = frame["label"].fillna(frame["term_id"].str.replace("_", " "))
    frame["recommendations"] = frame["term_id"].map(rec_terms).fillna(0).astype("int64")
    frame["topic_passages"] = len(on_topic)
    frame["topic_recommendations"] = len(recs)
    frame = frame[(frame["passages"] >= min_passages) & (frame["term_topic"] == topic)]
    frame = frame[
        [
            "term_id",
            "label",
            "term_topic",
            "passages",
            "states",
            "submitters",
            "recommendations",
            "topic_passages",
            "topic_recommendations",
        ]
    ].copy()
    frame["passage_share"] = frame["passages"] / frame["topic_passages"]
    n_recs = frame["topic_recommendations"]
    frame["recommendation_share"] = (frame["recommendations"] / n_recs.where(n_recs > 0)).fillna(
        0.0
    )
    frame["gap"] = frame["passage_share"] - frame["recommendation_share"]
    frame["coverage"] = np.where(frame["recommendations"] == 0, "absent", "rare")
    frame = frame[frame["recommendation_share"] < frame["passage_share"] * RARE_FRACTION]
    frame = frame.sort_values(
        ["gap", "states", "passages", "term_id"], ascending=[False, False, False, True]
    )
    return frame.head(top).reset_index(drop=True)


# ------------------------------------------------------------------------- Explorer page
EXPLORER_COLUMNS = [
    "passage_id",
    "document_id",
    "meeting",
    "actor_name",
    "actor_type",
    "country_iso3",
    "regional_group",
    "m49_region",
    "m49_subregion",
    "kind",
    "title",
    "source_name",
    "heading",
    "para_number",
    "seq",
    "text",
    "language",
    "topic",
    "topic_labels",
    "capacity_label",
    "need",
    "provision",
]


def explorer_page(f: Frames, filters: Filters, page: int) -> tuple[pd.DataFrame, int]:
    """One page of the filtered listing (no search words): the rows and the total."""
    v = f.v
    matched = v[_mask(v, filters)]
    total = len(matched)
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, page), pages)
    rows = matched.sort_values(["meeting", "document_id", "seq"])
    start = (page - 1) * PAGE_SIZE
    return rows[EXPLORER_COLUMNS].iloc[start : start + PAGE_SIZE].reset_index(drop=True), total


def document_passages(f: Frames, document_id: int) -> pd.DataFrame:
    v = f.v
    rows = v[v["document_id"] == document_id].sort_values("seq")
    return rows[
        [
            "passage_id",
            "seq",
            "page",
            "heading",
            "para_number",
            "text",
            "language",
            "topic_labels",
            "capacity_label",
        ]
    ].reset_index(drop=True)
