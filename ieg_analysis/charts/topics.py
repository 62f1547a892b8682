"""Charts of the Topics page."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from .theme import OKABE_ITO, apply_layout, empty_figure


def topic_distribution_chart(
    df: pd.DataFrame,
    *,
    topic_labels: dict[str, str],
    group_label: str,
    only: tuple[str, ...] = (),
) -> go.Figure:
    """Grouped horizontal bars: the share of each group's passages on each topic (``only``
    these topics when given; each topic keeps its colour either way).

    ``df``: one row per (group, topic) with share and passages."""
    first = group_label.split(" ", 1)[0]
    lowered = group_label if first.isupper() else group_label.lower()  # "UN", "M49" stay
    title = f"Passages on each work-plan topic, by {lowered}"
    if df.empty:
        return empty_figure("No classified passages match the filters.", title=title)
    fig = go.Figure()
    groups = list(dict.fromkeys(df["group"]))
    for index, topic in enumerate(topic_labels):
        if only and topic not in only:
            continue
        part = df[df["topic"] == topic].set_index("group").reindex(groups)
        fig.add_trace(
            go.Bar(
                y=[str(g) if group_label != "Meeting" else f"Meeting {g}" for g in groups],
                x=part["share"].fillna(0) * 100,
                name=topic_labels[topic],
                orientation="h",
                marker_color=OKABE_ITO[index % len(OKABE_ITO)],
                customdata=part["passages"].fillna(0),
                hovertemplate="%{y}<br>"
                + topic_labels[topic]
                + ": %{x:.0f}% (%{customdata:,} passages)<extra></extra>",
            )
        )
    fig.update_layout(barmode="group")
    # a passage can carry several topics: a group's bars can add up to more than 100%
    fig.update_xaxes(
        title_text="Share of the group's classified passages (%; a passage can have several topics)"
    )
    fig.update_yaxes(title_text=group_label, autorange="reversed")
    return apply_layout(fig, title=title, height=max(360, 90 * len(groups) + 120))


def confidence_histogram(df: pd.DataFrame) -> go.Figure:
    """The distribution of the model's confidence, one bar series per kind of score."""
    title = "How sure the model is"
    if df.empty:
        return empty_figure("No classified passages match the filters.", title=title)
    fig = go.Figure()
    for index, (score, part) in enumerate(df.groupby("score", sort=False)):
        fig.add_trace(
            go.Bar(
                x=part["bin"] + 0.025,
                y=part["passages"],
                name=score,
                marker_color=OKABE_ITO[index * 2],
                hovertemplate="%{x:.2f}: %{y:,} passages<extra>" + score + "</extra>",
            )
        )
    # side by side in each 0.05 bin: overlaid, the taller series hid the other
    fig.update_layout(barmode="group", bargap=0.15, bargroupgap=0.0)
    fig.update_xaxes(title_text="Score (0 to 1)", range=[0, 1], dtick=0.1)
    fig.update_yaxes(title_text="Passages (count)")
    return apply_layout(fig, title=title, height=360)


def calibration_chart(bins: list[dict], *, title: str) -> go.Figure:
    """Reliability diagram: observed accuracy against stated confidence, per bin."""
    data = pd.DataFrame(bins or [])
    if data.empty or "confidence" not in data:
        return empty_figure("No calibration data in the evaluation report.", title=title)
    data = data[data["n"] > 0]
    fig = go.Figure(
        [
            go.Scatter(
                x=[0, 1],
                y=[0, 1],
                mode="lines",
                name="Perfect calibration",
                line={"dash": "dot", "color": "#9aa0a6"},
            ),
            go.Scatter(
                x=data["confidence"],
                y=data["accuracy"],
                mode="lines+markers",
                name="Model",
                marker={"size": 8 + 10 * (data["n"] / data["n"].max()), "color": OKABE_ITO[0]},
                customdata=data["n"],
                hovertemplate="stated %{x:.2f}, right %{y:.0%} of %{customdata} times"
                "<extra></extra>",
            ),
        ]
    )
    fig.update_xaxes(title_text="Stated confidence", range=[0, 1])
    fig.update_yaxes(title_text="Share right", range=[0, 1], tickformat=".0%")
    return apply_layout(fig, title=title, height=340)
