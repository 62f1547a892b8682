"""Charts of the Capacity-building page: the region × topic heatmap and the world map."""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go

from .theme import apply_layout, empty_figure

# light = little, dark = much: one hue from near white to dark blue (ColorBrewer Blues,
# colour-blind safe). Zero reads as pale, not as the bright yellow end of cividis that
# drew the eye to empty cells; on the map it stays distinct from the grey of "no submission".
COLOURS = "Blues"
# the map's scale starts at a visible light blue, not Blues' white: a State that submitted
# but expressed no need must not look like the sea or the page
MAP_COLOURS = [[0.0, "#deebf7"], [0.35, "#9ecae1"], [0.7, "#3182bd"], [1.0, "#08306b"]]
SELECTED = "#D55E00"  # Okabe-Ito vermilion: the outline of the clicked cell
TITLES = {
    "need": "Capacity-building needs by region and work-plan topic",
    "provision": "Offers of capacity-building help by region and work-plan topic",
    "gap": "Needs without any offer from the same region, by work-plan topic",
}
NOUNS = {"need": "a need", "provision": "an offer", "gap": "a need no one in the region offers"}


def _names(states: object, *, per_line: int = 4, limit: int = 40) -> str:
    names = [html.escape(str(s)) for s in (list(states) if states is not None else [])]
    if not names:
        return "none"
    shown = names[:limit]
    lines = [", ".join(shown[i : i + per_line]) for i in range(0, len(shown), per_line)]
    more = f"<br>and {len(names) - limit} more" if len(names) > limit else ""
    return "<br>".join(lines) + more


def _wrap(label: str, width: int = 14) -> str:
    """A tick label on two lines when long, so that topic names stay horizontal."""
    words, lines = label.split(), [""]
    for word in words:
        if lines[-1] and len(lines[-1]) + 1 + len(word) > width:
            lines.append(word)
        else:
            lines[-1] = f"{lines[-1]} {word}".strip()
    return "<br>".join(lines)


def _format(value: float, kind: str) -> str:
    return f"{value:.0%}" if kind == "share_states" else f"{int(value):,}"


def needs_heatmap(
    df: pd.DataFrame,
    *,
    value_label: str,
    region_label: str = "Region",
    selected: tuple[str, str] | None = None,
) -> go.Figure:
    """Regions (rows) × the six work-plan topics (columns, in work-plan order).

    ``df`` is :func:`ieg_analysis.analytics.capacity.needs_matrix`: one row per (region,
    topic) with region, topic_id, topic_short_label, topic_ordinal, value, value_kind,
    measure, states, measure_states, measure_passages, states_submitting. A transparent
    marker sits on every cell so that a click selects it (Plotly heatmaps emit no selection
    events); its ``customdata`` is [region, topic_id]. ``selected`` (region, topic_id)
    outlines the cell whose passages are listed.
    """
    measure = str(df["measure"].iloc[0]) if len(df) else "need"
    title = TITLES.get(measure, TITLES["need"])
    if df.empty:
        return empty_figure(
            "No State submitted anything under these filters: widen them.", title=title
        )
    kind = str(df["value_kind"].iloc[0])
    data = df.sort_values(["topic_ordinal", "region"])
    topics = data.drop_duplicates("topic_id")[["topic_id", "topic_short_label"]]
    regions = sorted(data["region"].unique())
    grid = data.pivot(index="region", columns="topic_id", values="value").reindex(
        index=regions, columns=list(topics["topic_id"])
    )
    labels = [_wrap(str(label)) for label in topics["topic_short_label"]]
    text = [[_format(v, kind) for v in row] for row in grid.fillna(0).to_numpy()]
    zmax = 1.0 if kind == "share_states" else max(float(grid.max().max()), 1.0)
    fig = go.Figure(
        go.Heatmap(
            z=grid.to_numpy(),
            x=labels,
            y=regions,
            text=text,
            texttemplate="%{text}",
            textfont={"size": 13},
            colorscale=COLOURS,
            zmin=0,
            zmax=zmax,
            xgap=2,
            ygap=2,
            # a horizontal key above the grid, right-aligned: on a narrow screen the cells
            # keep the width a vertical bar would take
            colorbar={
                "title": {"text": value_label, "side": "top"},
                "tickformat": ".0%" if kind == "share_states" else ",d",
                "orientation": "h",
                "x": 1,
                "xanchor": "right",
                "y": 1.0,
                "yanchor": "bottom",
                "len": 0.45,  # wide enough for its title in a 1,000-pixel window
                "thickness": 10,
            },
            hoverinfo="skip",
        )
    )
    noun = NOUNS.get(measure, "a need")
    hover = []
    for _, row in data.iterrows():
        share = row["measure_states"] / row["states_submitting"] if row["states_submitting"] else 0
        hover.append(
            f"<b>{html.escape(str(row['region']))} · {html.escape(str(row['topic_label']))}</b>"
            f"<br>{int(row['measure_states'])} of {int(row['states_submitting'])} submitting "
            f"States ({share:.0%}) with {noun}"
            f"<br>{int(row['measure_passages'])} passages"
            f"<br>Offers on the topic by States of the region: "
            f"{int(row.get('region_offer_passages', 0) or 0)} passages"
            f"<br><br>{_names(row['states'])}"
            "<br><i>Click to list the passages</i>"
        )
    label_of = dict(zip(topics["topic_id"], labels, strict=True))
    fig.add_trace(
        go.Scatter(
            x=data["topic_id"].map(label_of),
            y=data["region"],
            mode="markers",
            marker={"symbol": "square", "size": 30, "color": "rgba(0,0,0,0)"},
            customdata=data[["region", "topic_id"]].to_numpy(),
            hovertext=hover,
            hovertemplate="%{hovertext}<extra></extra>",
            showlegend=False,
            selected={"marker": {"color": "rgba(0,0,0,0)"}},
            unselected={"marker": {"color": "rgba(0,0,0,0)"}},
            name="cells",
        )
    )
    if selected and selected[0] in regions and selected[1] in label_of:
        column = list(label_of).index(selected[1])
        row = regions.index(selected[0])
        fig.add_shape(
            type="rect",
            x0=column - 0.5,
            x1=column + 0.5,
            y0=row - 0.5,
            y1=row + 0.5,
            xref="x",
            yref="y",
            line={"color": SELECTED, "width": 4},
        )
    # no axis title: the ticks are topics (the chart title says so), and under two-line ticks
    # Plotly drew the title between them
    fig.update_xaxes(title_text="", side="bottom", showgrid=False)
    fig.update_yaxes(title_text=region_label, autorange="reversed", showgrid=False)
    fig.update_layout(clickmode="event+select", dragmode=False, hovermode="closest")
    height = 140 + 46 * len(regions)
    return apply_layout(fig, title=title, height=max(height, 320))


def need_map(df: pd.DataFrame, *, topic_label: str, topojson_url: str) -> go.Figure:
    """A world choropleth of need intensity per State for one topic.

    ``df`` is :func:`ieg_analysis.analytics.capacity.state_need_intensity`: one row per
    State with iso3, name, passages, topic_passages, need_passages, need_share (0–1).
    States that submitted nothing under the filters stay grey. Plotly fetches the world
    geometry from ``<topojson_url>world_110m.json``; the URL is kept in ``layout.meta`` and
    must also be given to the renderer as the ``topojsonURL`` config option.
    """
    title = f"Need intensity per State: {topic_label}"
    if df.empty:
        return empty_figure(
            "No State submitted anything under these filters: widen them.", title=title
        )
    hover = [
        f"<b>{html.escape(str(row['name']))}</b>"
        f"<br>{int(row['need_passages'])} need passages on the topic"
        f"<br>of {int(row['passages'])} passages submitted ({row['need_share']:.1%})"
        f"<br>{int(row['topic_passages'])} passages on the topic"
        for _, row in df.iterrows()
    ]
    fig = go.Figure(
        go.Choropleth(
            locations=df["iso3"],
            locationmode="ISO-3",
            z=df["need_share"],
            zmin=0,
            zmax=max(float(df["need_share"].max()), 0.01),
            colorscale=MAP_COLOURS,
            marker={"line": {"color": "white", "width": 0.4}},
            colorbar={
                "title": {"text": "Needs on the topic<br>(% of the State's passages)"},
                "tickformat": ".0%",
                "len": 0.8,  # room above for the two-line title, at any size
                "y": 0.4,
                "yanchor": "middle",
            },
            hovertext=hover,
            hovertemplate="%{hovertext}<extra></extra>",
        )
    )
    fig.update_geos(
        projection_type="natural earth",
        projection_rotation_lon=0,
        showframe=False,
        showcoastlines=False,
        showcountries=True,
        countrycolor="white",
        showland=True,
        landcolor="#c9c9c9",
        lataxis_range=[-58, 85],
    )
    fig.update_layout(meta={"topojsonURL": topojson_url})
    fig.add_annotation(  # the land colour's meaning: not in the colour scale
        text="Grey: no submission in view",
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        xanchor="left",
        yanchor="bottom",
        showarrow=False,
        font={"size": 12, "color": "#555555"},
    )
    fig = apply_layout(fig, title=title, height=460)
    fig.update_layout(margin={"l": 0, "r": 0, "t": 60, "b": 0})
    return fig
