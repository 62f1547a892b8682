"""Charts of the Work-plan tracker page: submissions on time and late per region, and the
comments on the preliminary recommendations by outcome."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from .recommendations import OUTCOME_COLOURS
from .theme import OKABE_ITO, apply_layout, empty_figure

TIMELINESS_COLOURS = {
    "on_time": OKABE_ITO[0],  # blue
    "late": OKABE_ITO[5],  # vermillion
    "undated": "#9aa0a6",  # grey
}
TIMELINESS_NAMES = {"on_time": "On time", "late": "Late", "undated": "No received date"}


def timeliness_bars(df: pd.DataFrame, *, meeting_label: str, region_label: str) -> go.Figure:
    """Written submissions per region of one meeting, stacked: on time, late, undated.

    ``df`` is :func:`ieg_analysis.analytics.tracker.submissions_timeliness` for one
    meeting: one row per region with region, on_time, late, undated, submission_deadline.
    """
    title = f"Written submissions for the {meeting_label}: on time and late"
    if df.empty:
        return empty_figure(
            "No written submission for this meeting under these filters.", title=title
        )
    deadline = pd.Timestamp(df["submission_deadline"].iloc[0]).strftime("%d %B %Y").lstrip("0")
    regions = df["region"].tolist()[::-1]  # first region on top
    data = df.set_index("region").reindex(regions)
    fig = go.Figure()
    for column, name in TIMELINESS_NAMES.items():
        counts = data[column].fillna(0).astype(int)
        if column == "undated" and not counts.any():
            continue
        fig.add_trace(
            go.Bar(
                y=regions,
                x=counts,
                orientation="h",
                name=name,
                marker_color=TIMELINESS_COLOURS[column],
                text=[str(n) if n else "" for n in counts],
                textposition="inside",
                insidetextanchor="middle",
                hovertemplate=f"%{{y}}<br>{name}: %{{x}}<extra></extra>",
            )
        )
    fig.update_layout(barmode="stack", legend_traceorder="normal")
    fig.update_xaxes(title_text=f"Written submissions (deadline {deadline})", rangemode="tozero")
    fig.update_yaxes(title_text=region_label)
    return apply_layout(fig, title=title, height=max(300, 48 * len(regions) + 140))


def comments_bars(df: pd.DataFrame) -> go.Figure:
    """Comments received on the preliminary recommendations, per listed topic, stacked by
    the recommendation's outcome.

    ``df`` is :func:`ieg_analysis.analytics.tracker.comments_by_status`: one row per
    (topic, outcome) with topic, topic_ordinal, outcome, recommendations, with_comments,
    comments."""
    title = "Comments on the preliminary recommendations, by topic and outcome"
    if df.empty or not df["comments"].sum():
        return empty_figure("No comment on a preliminary recommendation yet.", title=title)
    order = df.drop_duplicates("topic").sort_values("topic_ordinal")["topic"].tolist()[::-1]
    fig = go.Figure()
    outcomes = [o for o in OUTCOME_COLOURS if o in set(df["outcome"])]
    outcomes += sorted(set(df["outcome"]) - set(outcomes))
    for outcome in outcomes:
        part = df[df["outcome"] == outcome].set_index("topic").reindex(order)
        counts = part["comments"].fillna(0).astype(int)
        fig.add_trace(
            go.Bar(
                y=order,
                x=counts,
                orientation="h",
                name=outcome,
                marker_color=OUTCOME_COLOURS.get(outcome, "#9aa0a6"),
                customdata=part[["recommendations", "with_comments"]].fillna(0).astype(int),
                text=[str(n) if n else "" for n in counts],
                textposition="inside",
                insidetextanchor="middle",
                hovertemplate="%{y}<br>"
                + outcome
                + ": %{x} comments on %{customdata[1]} of %{customdata[0]} "
                "recommendations<extra></extra>",
            )
        )
    fig.update_layout(barmode="stack", legend_title_text="Outcome", legend_traceorder="normal")
    fig.update_xaxes(title_text="Comments received", rangemode="tozero")
    return apply_layout(fig, title=title, height=max(300, 48 * len(order) + 140))
