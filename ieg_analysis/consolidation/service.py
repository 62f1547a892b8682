"""The clusters of a database's recommendations, with the Secretariat's decisions applied.

Every recommendation that is not withdrawn takes part, from all meetings and across topics.
Decisions constrain the clustering (``clustering.cluster``): an accepted or merged cluster
stays together, a member split off never rejoins the members it was split from. A cluster
whose members are all merged into one of them is *settled*: accepted here by the Secretariat
(who and when come from the decision), or already merged by an ingested outcome list.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..nlp.terms import load_terms
from ..store.db import Database
from . import queries
from .clustering import DEFAULT_THRESHOLD, cluster, mean_similarity, pairwise, representative
from .vectors import features, similarity_matrix

SUGGESTED, ACCEPTED, ALREADY_MERGED = "suggested", "accepted", "already merged"


@dataclass(frozen=True)
class Consolidation:
    """The clusters at one threshold.

    - ``clusters``: grain one row per cluster of two or more recommendations, largest first;
    - ``members``: grain one row per (cluster, recommendation), the representative first;
    - ``pairs``: grain one row per pair of members of a cluster, most similar first;
    - ``singles``: grain one row per recommendation in no cluster;
    - ``decisions``: grain one row per Secretariat decision, newest first.
    """

    threshold: float
    recommendations: int
    singletons: int
    clusters: pd.DataFrame
    members: pd.DataFrame
    pairs: pd.DataFrame
    singles: pd.DataFrame = field(default_factory=pd.DataFrame)
    decisions: pd.DataFrame = field(default_factory=pd.DataFrame)

    def cluster(self, number: int) -> pd.Series:
        return self.clusters.set_index("cluster").loc[number]

    def members_of(self, number: int) -> pd.DataFrame:
        return self.members[self.members["cluster"] == number].reset_index(drop=True)


def constraints(
    decisions: pd.DataFrame, links: pd.DataFrame
) -> tuple[list[set[int]], set[frozenset[int]]]:
    """The groups that must stay together and the pairs that must stay apart, replaying the
    decisions in order: a later 'together' overrides an earlier 'apart' between the same
    recommendations, and a split takes a member out of its group."""
    group_of: dict[int, int] = {}
    groups: dict[int, set[int]] = {}
    apart: set[frozenset[int]] = set()
    for decision_id, rows in links.groupby("decision_id", sort=True):
        together = rows[rows["kind"] == "together"]
        if len(together):
            ids = set(together["recommendation_a"]) | set(together["recommendation_b"])
            joined = set(ids)
            for rid in ids:
                if rid in group_of:
                    joined |= groups.pop(group_of[rid], set())
            for rid in joined:
                group_of[rid] = int(decision_id)
            groups[int(decision_id)] = joined
            apart = {pair for pair in apart if not pair <= joined}
        for removed, other in rows[rows["kind"] == "apart"][
            ["recommendation_a", "recommendation_b"]
        ].itertuples(index=False):
            removed, other = int(removed), int(other)
            if removed in group_of and other in groups.get(group_of[removed], set()):
                groups[group_of[removed]].discard(removed)
                del group_of[removed]
            apart.add(frozenset((removed, other)))
    return [g for g in groups.values() if len(g) > 1], apart


def consolidate(db: Database, threshold: float = DEFAULT_THRESHOLD) -> Consolidation:
    """Cluster the stored recommendations at ``threshold`` under the decisions taken."""
    recs = queries.recommendations(db)
    decisions = queries.decisions(db)
    together, apart = constraints(decisions, queries.links(db))
    return build(recs, threshold, together=together, apart=apart, decisions=decisions)


def build(
    recs: pd.DataFrame,
    threshold: float,
    *,
    together: list[set[int]] | None = None,
    apart: set[frozenset[int]] | None = None,
    decisions: pd.DataFrame | None = None,
) -> Consolidation:
    """The clusters of ``recs`` (columns of ``queries.recommendations``)."""
    recs = recs.reset_index(drop=True)
    decisions = decisions if decisions is not None else pd.DataFrame()
    position = {int(rid): i for i, rid in enumerate(recs["id"])}
    texts, languages = recs["text"].tolist(), recs["language"].tolist()
    similarity = similarity_matrix(texts, languages) if len(recs) else np.zeros((0, 0))
    bags = [set(features(t, lang)) for t, lang in zip(texts, languages, strict=True)]
    named = [sorted(f.removeprefix("term:") for f in bag if f.startswith("term:")) for bag in bags]
    groups = [[position[rid] for rid in group if rid in position] for group in (together or [])]
    forbidden = [
        tuple(position[rid] for rid in pair)
        for pair in (apart or set())
        if all(rid in position for rid in pair)
    ]
    found = cluster(similarity, threshold, together=groups, apart=forbidden)
    cluster_rows, member_rows, pair_rows = [], [], []
    numbered = [group for group in found if len(group) > 1]
    for number, group in enumerate(numbered, start=1):
        frame = recs.iloc[group]
        state, rep, decision = _state(frame, decisions)
        if rep is None:  # suggest a wording the meetings have not merged away already,
            # preferring the one the meetings merged others into
            targets = set(frame["merged_into_id"].dropna().astype(int))
            kept = [i for i in group if int(recs.at[i, "id"]) in targets]
            standing = kept or [i for i in group if recs.at[i, "status"] != "merged"]
            rep = int(recs.at[representative(group, similarity, bags, standing), "id"])
        rep_row = position[rep]
        others = frame[frame["id"] != rep]
        cluster_rows.append(
            {
                "cluster": number,
                "member_ids": tuple(int(i) for i in frame["id"]),
                "size": len(group),
                "meetings": ", ".join(str(m) for m in sorted(frame["meeting"].unique())),
                "n_meetings": frame["meeting"].nunique(),
                "topics": "; ".join(dict.fromkeys(frame["topic_short"])),
                "n_topics": frame["topic_id"].nunique(dropna=False),
                "mean_similarity": mean_similarity(similarity, group),
                "min_similarity": min(s for _, _, s in pairwise(similarity, group)),
                "representative_id": rep,
                "representative": recs.at[rep_row, "reference"],
                "topic_id": recs.at[rep_row, "topic_id"],
                "topic": recs.at[rep_row, "topic"],
                "wording": recs.at[rep_row, "text"],
                "merges": ", ".join(others["reference"]),
                "left_out": left_out(group, rep_row, named, recs["reference"]),
                "state": state,
                "decided_by": decision["user_name"] if decision is not None else None,
                "decided_at": decision["decided_at"] if decision is not None else None,
            }
        )
        ordered = [rep_row] + [i for i in group if i != rep_row]
        for i in ordered:
            member_rows.append(
                {
                    "cluster": number,
                    **{
                        k: recs.at[i, k]
                        for k in (
                            "id",
                            "reference",
                            "meeting",
                            "number",
                            "topic_id",
                            "topic_short",
                            "status",
                            "text",
                        )
                    },
                    "merged_into": recs.at[i, "merged_into"]
                    if isinstance(recs.at[i, "merged_into"], str)
                    else "",
                    "is_representative": i == rep_row,
                    "similarity": float(similarity[i, rep_row]),
                }
            )
        for a, b, value in pairwise(similarity, group):
            pair_rows.append(
                {
                    "cluster": number,
                    "a": recs.at[a, "reference"],
                    "b": recs.at[b, "reference"],
                    "similarity": value,
                }
            )
    return Consolidation(
        threshold=threshold,
        recommendations=len(recs),
        singletons=sum(1 for group in found if len(group) == 1),
        clusters=pd.DataFrame(cluster_rows, columns=_CLUSTER_COLUMNS),
        members=pd.DataFrame(member_rows, columns=_MEMBER_COLUMNS),
        pairs=pd.DataFrame(pair_rows, columns=["cluster", "a", "b", "similarity"]),
        singles=recs.iloc[[group[0] for group in found if len(group) == 1]].reset_index(drop=True),
        decisions=decisions.iloc[::-1].reset_index(drop=True),
    )


def left_out(group: list[int], rep_row: int, named: list[list[str]], references: pd.Series) -> str:
    """The vocabulary terms members of a group name and its suggested wording does not, each
    with the members naming it: "phishing (4.43, 4.58)". Recommendations that share their
    register ("UNODC should compile good practices on the criminalization of ...") can group
    while asking about different things; this says what the wording would leave out."""
    labels = {term.term_id: term.label for term in load_terms()}
    kept = set(named[rep_row])
    missing: dict[str, list[str]] = {}
    for i in group:
        for term_id in dict.fromkeys(named[i]):
            if term_id not in kept:
                missing.setdefault(term_id, []).append(str(references.iat[i]))
    return "; ".join(
        f"{labels.get(term_id, term_id)} ({', '.join(refs)})" for term_id, refs in missing.items()
    )


def _state(frame: pd.DataFrame, decisions: pd.DataFrame) -> tuple[str, int | None, dict | None]:
    """Settled when every member but one is merged into that one."""
    targets = set(frame["merged_into_id"].dropna().astype(int))
    if len(targets) == 1:
        target = next(iter(targets))
        others = frame[frame["id"] != target]
        if (
            target in set(frame["id"])
            and ((others["status"] == "merged") & (others["merged_into_id"] == target)).all()
        ):
            ids = set(int(i) for i in frame["id"])
            if len(decisions):
                accepts = decisions[
                    (decisions["action"] == "accept") & (decisions["representative_id"] == target)
                ]
                for _, row in accepts.iloc[::-1].iterrows():
                    if set(row["member_ids"]) == ids:
                        return ACCEPTED, target, row.to_dict()
            return ALREADY_MERGED, target, None
    return SUGGESTED, None, None


_CLUSTER_COLUMNS = [
    "cluster",
    "member_ids",
    "size",
    "meetings",
    "n_meetings",
    "topics",
    "n_topics",
    "mean_similarity",
    "min_similarity",
    "representative_id",
    "representative",
    "topic_id",
    "topic",
    "wording",
    "merges",
    "left_out",
    "state",
    "decided_by",
    "decided_at",
]
_MEMBER_COLUMNS = [
    "cluster",
    "id",
    "reference",
    "meeting",
    "number",
    "topic_id",
    "topic_short",
    "status",
    "merged_into",
    "text",
    "is_representative",
    "similarity",
]


def draft_list(consolidation: Consolidation, topic_order: list[str]) -> pd.DataFrame:
    """The consolidated draft list. grain: one row per consolidated recommendation (a
    cluster's suggested or accepted wording, or a recommendation in no cluster that is not
    merged into another), by topic in work-plan order, then by first source reference.
    ``sources`` are the references of the recommendations it stands for."""
    rows = []
    for row in consolidation.clusters.itertuples(index=False):
        members = consolidation.members_of(row.cluster)
        rows.append(
            {
                "topic_id": row.topic_id,
                "topic": row.topic,
                "text": row.wording,
                "representative": row.representative,
                "sources": list(members["reference"]),
                "merges": row.merges,
                "left_out": row.left_out,
                "state": row.state,
                "also_listed_under": "; ".join(
                    t for t in dict.fromkeys(members["topic_short"]) if t != _short(members, row)
                ),
                "first": (int(members["meeting"].min()), int(members["number"].min())),
            }
        )
    singles = consolidation.singles
    if len(singles):
        for rec in singles[singles["status"] != "merged"].itertuples(index=False):
            rows.append(
                {
                    "topic_id": rec.topic_id,
                    "topic": rec.topic,
                    "text": rec.text,
                    "representative": rec.reference,
                    "sources": [rec.reference],
                    "merges": "",
                    "left_out": "",
                    "state": "stands alone",
                    "also_listed_under": "",
                    "first": (int(rec.meeting), int(rec.number)),
                }
            )
    frame = pd.DataFrame(
        rows,
        columns=[
            "topic_id",
            "topic",
            "text",
            "representative",
            "sources",
            "merges",
            "left_out",
            "state",
            "also_listed_under",
            "first",
        ],
    )
    rank = {topic: i for i, topic in enumerate(topic_order)}
    frame["order"] = frame["topic_id"].map(lambda t: rank.get(t, len(rank)))
    frame = frame.sort_values(["order", "first"], kind="stable").drop(columns=["order", "first"])
    return frame.reset_index(drop=True)


def _short(members: pd.DataFrame, row) -> str:
    return members.loc[members["is_representative"], "topic_short"].iloc[0]
