"""Charts of the Recommendation coverage page."""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from ..records import THIN_RATIO
from .theme import OKABE_ITO, apply_layout, empty_figure

# outcome -> colour (Okabe-Ito: distinguishable with the common colour-vision deficiencies)
OUTCOME_COLOURS = {
    "Adopted": OKABE_ITO[2],  # bluish green
    "Merged": OKABE_ITO[4],  # sky blue
    "Pending": OKABE_ITO[1],  # orange
    "Withdrawn": OKABE_ITO[5],  # vermillion
}
RECOMMENDATION_COLOUR = OKABE_ITO[0]  # blue
PASSAGE_COLOUR = OKABE_ITO[1]  # orange


def _topic_label(row: pd.Series) -> str:
    return f"{row['topic']} (meeting {row['meeting']})"


def outcomes_bar(df: pd.DataFrame) -> go.Figure:
    """Recommendations per listed topic and meeting, stacked by their outcome at the
    stock-taking meeting.

    ``df`` is :func:`ieg_analysis.analytics.recommendations.outcomes_by_topic`: one row per
    (topic, meeting, status) with topic, ordinal, meeting, outcome, recommendations.
    """
    title = "Preliminary recommendations per topic and their stock-taking outcome"
    if df.empty:
        return empty_figure("No recommendations in this selection.", title=title)
    data = df.copy()
    data["label"] = data.apply(_topic_label, axis=1)
    order = data.drop_duplicates("label").sort_values(["meeting", "ordinal"])["label"].tolist()
    totals = data.groupby("label")["recommendations"].sum()
    fig = go.Figure()
    outcomes = [o for o in OUTCOME_COLOURS if o in set(data["outcome"])]
    outcomes += sorted(set(data["outcome"]) - set(outcomes))
    for outcome in outcomes:
        part = data[data["outcome"] == outcome].set_index("label").reindex(order)
        counts = part["recommendations"].fillna(0).astype(int)
        shares = counts / totals.reindex(order)
        fig.add_trace(
            go.Bar(
                y=order,
                x=counts,
                orientation="h",
                name=outcome,
                marker_color=OUTCOME_COLOURS.get(outcome, "#9aa0a6"),
                text=[str(n) if n else "" for n in counts],
                textposition="inside",
                insidetextanchor="middle",
                customdata=shares,
                hovertemplate=f"%{{y}}<br>{outcome}: %{{x}} (%{{customdata:.0%}})<extra></extra>",
            )
        )
    fig.update_layout(barmode="stack", legend_title_text="Outcome", legend_traceorder="normal")
    fig.update_xaxes(title_text="Recommendations (count)")
    fig.update_yaxes(
        title_text="", autorange="reversed", categoryorder="array", categoryarray=order
    )
    return apply_layout(fig, title=title, height=max(300, 120 + 42 * len(order)))


def _two_places(ratio: float) -> str:
    """Cut, not rounded, to two places: 0.7986 is thin (below 0.8) and reads 0.79, not 0.80."""
    return f"{math.floor(ratio * 100 + 1e-9) / 100:.2f}"  # 0.29 * 100 is 28.999...


def coverage_chart(df: pd.DataFrame) -> go.Figure:
    """Per topic, its share of the recommendations beside its share of the submission
    passages (a dumbbell), with the coverage ratio written at the right: below 1, the topic
    has fewer recommendations than its weight in the submissions.

    ``df`` is :func:`ieg_analysis.analytics.recommendations.coverage`: one row per topic
    with topic, recommendations, passages, recommendation_share, passage_share,
    coverage_ratio, expected_recommendations.
    """
    title = "Coverage: share of recommendations vs share of submission passages, per topic"
    if df.empty or (df["recommendations"].sum() == 0 and df["passages"].sum() == 0):
        return empty_figure("No recommendations or labelled passages to compare.", title=title)
    data = df.sort_values("ordinal")
    topics = data["topic"].tolist()
    fig = go.Figure()
    for _, row in data.iterrows():
        thin = bool(row.get("thin", row["coverage_ratio"] < 1))
        fig.add_trace(
            go.Scatter(
                x=[row["passage_share"], row["recommendation_share"]],
                y=[row["topic"]] * 2,
                mode="lines",
                line={"color": OKABE_ITO[5] if thin else "#9aa0a6", "width": 3},
                showlegend=False,
                hoverinfo="skip",
            )
        )
    fig.add_trace(
        go.Scatter(
            x=data["passage_share"],
            y=topics,
            mode="markers",
            name="Share of submission passages",
            marker={"size": 13, "color": PASSAGE_COLOUR, "symbol": "diamond"},
            customdata=data[["passages"]],
            hovertemplate="%{y}<br>%{x:.1%} of topic labels on submission passages "
            "(%{customdata[0]:,} passages)<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=data["recommendation_share"],
            y=topics,
            mode="markers",
            name="Share of recommendations",
            marker={"size": 13, "color": RECOMMENDATION_COLOUR},
            customdata=data[["recommendations", "expected_recommendations"]],
            hovertemplate="%{y}<br>%{x:.1%} of recommendations (%{customdata[0]}; "
            "%{customdata[1]:.0f} if proportional to the submissions)<extra></extra>",
        )
    )
    top = float(max(data["passage_share"].max(), data["recommendation_share"].max(), 0.05))
    thin = data["thin"] if "thin" in data else data["coverage_ratio"] < 1
    agenda = data["on_agenda"] if "on_agenda" in data else [True] * len(data)
    labels = [
        ("not raised in submissions" if pd.isna(ratio) else f"ratio {_two_places(ratio)}")
        + (" · thin" if is_thin else "")
        + ("" if on_agenda else " · off the agenda")
        for ratio, is_thin, on_agenda in zip(data["coverage_ratio"], thin, agenda, strict=True)
    ]
    # the ratios in a column of their own right of the plot (an axis of their own), so that
    # the share axis ends where the data does
    fig.add_trace(
        go.Scatter(
            x=[0.0] * len(topics),
            y=topics,
            mode="text",
            text=labels,
            textposition="middle right",
            showlegend=False,
            hoverinfo="skip",
            textfont={"color": "#333333"},
            xaxis="x2",
        )
    )
    fig.add_annotation(
        text=f"Ratio; thin: below {THIN_RATIO:g}",
        xref="x2 domain",
        x=0,
        xanchor="left",
        yref="paper",
        y=1.0,
        yanchor="bottom",
        showarrow=False,
        font={"size": 12, "color": "#555555"},
    )
    fig.update_layout(
        xaxis={"domain": [0, 0.74]},
        xaxis2={"domain": [0.76, 1.0], "range": [0, 1], "visible": False, "fixedrange": True},
    )
    fig.layout.xaxis.update(
        title_text="Share of the topic total (%)", tickformat=".0%", range=[0, top * 1.1]
    )
    fig.update_yaxes(
        title_text="", autorange="reversed", categoryorder="array", categoryarray=topics
    )
    return apply_layout(fig, title=title, height=max(320, 130 + 46 * len(topics)))


def gaps_chart(df: pd.DataFrame, *, topic: str = "") -> go.Figure:
    """Per sub-theme term, the share of the topic's submission passages that mention it
    beside the share of its recommendations that do.

    ``df`` is :func:`ieg_analysis.analytics.recommendations.subtheme_gaps`: one row per term
    with label, passages, recommendations, passage_share, recommendation_share, coverage.
    """
    title = "Sub-themes raised in submissions but rare in recommendations" + (
        f": {topic}" if topic else ""
    )
    if df.empty:
        return empty_figure("No sub-theme gaps in this selection.", title=title)
    data = df.copy()
    data["name"] = data.apply(
        lambda row: f"{row['label']} (absent)" if row["coverage"] == "absent" else row["label"],
        axis=1,
    )
    names = data["name"].tolist()
    fig = go.Figure(
        [
            go.Bar(
                y=names,
                x=data["passage_share"],
                orientation="h",
                name="Submission passages on the topic that mention it",
                marker_color=PASSAGE_COLOUR,
                customdata=data[["passages", "states"]],
                hovertemplate="%{y}<br>%{x:.1%} of passages (%{customdata[0]} passages, "
                "%{customdata[1]} States)<extra></extra>",
            ),
            go.Bar(
                y=names,
                x=data["recommendation_share"],
                orientation="h",
                name="Recommendations on the topic that mention it",
                marker_color=RECOMMENDATION_COLOUR,
                customdata=data[["recommendations"]],
                hovertemplate="%{y}<br>%{x:.1%} of recommendations (%{customdata[0]})"
                "<extra></extra>",
            ),
        ]
    )
    fig.update_layout(barmode="group", bargap=0.25)
    fig.update_xaxes(title_text="Share that mention the term (%)", tickformat=".0%")
    fig.update_yaxes(
        title_text="", autorange="reversed", categoryorder="array", categoryarray=names
    )
    return apply_layout(fig, title=title, height=max(300, 140 + 44 * len(names)))
