"""Charts of the Recommendation evidence page: where one recommendation's evidence comes
from, and, per topic, each region's share of the evidence against its share of the
submitting States."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from .theme import OKABE_ITO, apply_layout, empty_figure

EVIDENCE_COLOUR = OKABE_ITO[0]  # blue
STATES_COLOUR = OKABE_ITO[1]  # orange


def evidence_regions_bar(df: pd.DataFrame, *, reference: str, region_label: str) -> go.Figure:
    """The share of each region among one recommendation's evidence passages.

    ``df`` is :func:`ieg_analysis.analytics.evidence.region_shares`: one row per region
    with region, passages, states, share."""
    title = f"Where the evidence behind recommendation {reference} comes from"
    if df.empty:
        return empty_figure("No submission passage resembles this recommendation.", title=title)
    data = df.iloc[::-1]
    fig = go.Figure(
        go.Bar(
            y=data["region"],
            x=data["share"],
            orientation="h",
            marker_color=EVIDENCE_COLOUR,
            text=[f"{s:.0%}" for s in data["share"]],
            textposition="auto",
            customdata=data[["passages", "states"]],
            hovertemplate="%{y}<br>%{x:.0%} of the evidence: %{customdata[0]} passages, "
            "%{customdata[1]} States<extra></extra>",
        )
    )
    fig.update_xaxes(title_text="Share of the evidence passages", tickformat=".0%", range=[0, 1])
    fig.update_yaxes(title_text=region_label)
    return apply_layout(fig, title=title, height=max(260, 40 * len(data) + 140))


def representation_bars(df: pd.DataFrame, *, topic_label: str, region_label: str) -> go.Figure:
    """For one topic, each region's share of the evidence behind the topic's
    recommendations beside its share of the States that submitted on the topic.

    ``df`` is :func:`ieg_analysis.analytics.evidence.representation` for one topic: one row
    per region with region, evidence_share, state_share, ratio, evidence_passages,
    states_submitting."""
    title = f"{topic_label}: share of the evidence vs share of the submitting States"
    if df.empty:
        return empty_figure("No recommendation or submission on this topic.", title=title)
    data = df.sort_values("region", ascending=False)
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            y=data["region"],
            x=data["state_share"].fillna(0),
            orientation="h",
            name="Share of the States submitting on the topic",
            marker_color=STATES_COLOUR,
            customdata=data["states_submitting"],
            text=[f"{s:.0%}" for s in data["state_share"].fillna(0)],
            textposition="auto",
            hovertemplate="%{y}<br>%{x:.0%} of the submitting States (%{customdata})"
            "<extra></extra>",
        )
    )
    fig.add_trace(
        go.Bar(
            y=data["region"],
            x=data["evidence_share"].fillna(0),
            orientation="h",
            name="Share of the evidence behind its recommendations",
            marker_color=EVIDENCE_COLOUR,
            customdata=data[["evidence_passages", "ratio"]].fillna(0),
            text=[f"{s:.0%}" for s in data["evidence_share"].fillna(0)],
            textposition="auto",
            hovertemplate="%{y}<br>%{x:.0%} of the evidence (%{customdata[0]} passages)<br>"
            "ratio %{customdata[1]:.2f}<extra></extra>",
        )
    )
    fig.update_layout(barmode="group", legend_traceorder="reversed")
    fig.update_xaxes(title_text="Share", tickformat=".0%", rangemode="tozero")
    fig.update_yaxes(title_text=region_label)
    return apply_layout(fig, title=title, height=max(320, 60 * len(data) + 160))
